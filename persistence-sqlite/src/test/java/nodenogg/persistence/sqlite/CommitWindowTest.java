package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.sqlite.internal.StoreHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group-commit window gathers appends that arrive one by one into one commit. */
class CommitWindowTest {

  /** Counts commits. */
  private static final class Commits implements StoreHooks {
    final AtomicInteger count = new AtomicInteger();

    @Override
    public void at(Point point) throws SQLException {
      if (point == Point.BEFORE_COMMIT) {
        count.incrementAndGet();
      }
    }
  }

  private static List<byte[]> updates(int n) {
    Doc doc = new Doc();
    List<byte[]> out = new ArrayList<>();
    doc.onUpdate((u, origin, tr) -> out.add(u));
    for (int i = 0; i < n; i++) {
      doc.getMap("m").set("k" + i, i);
    }
    return out;
  }

  @Test
  void appendsArrivingOneByOneWithinTheWindowShareOneCommit(@TempDir Path dir) throws Exception {
    Commits commits = new Commits();
    // a long window ended early by maxBatch: deterministic whatever the machine's speed
    StoreOptions options =
        StoreOptions.defaults().withMaxBatch(5).withCommitWindow(Duration.ofSeconds(10));
    List<byte[]> five = updates(5);
    try (SqliteUpdateStore store = SqliteUpdateStore.open(dir.resolve("w.db"), options, commits)) {
      List<CompletableFuture<?>> acks = new ArrayList<>();
      for (byte[] u : five) {
        acks.add(store.append("doc", u));
        Thread.sleep(20); // one by one, not queued together
      }
      for (CompletableFuture<?> a : acks) {
        a.get(30, TimeUnit.SECONDS);
      }
      assertEquals(1, commits.count.get(), "five appends, one commit");
      Doc back = new Doc();
      for (byte[] u : store.load("doc")) {
        Updates.applyUpdate(back, u);
      }
      assertEquals(5, back.getMap("m").size());
    }
  }

  @Test
  void anOperationIsNotKeptWaitingByTheWindow(@TempDir Path dir) throws Exception {
    StoreOptions options = StoreOptions.defaults().withCommitWindow(Duration.ofSeconds(10));
    try (SqliteUpdateStore store = SqliteUpdateStore.open(dir.resolve("w.db"), options)) {
      CompletableFuture<?> ack = store.append("doc", updates(1).get(0));
      long t0 = System.nanoTime();
      store.flush().get(30, TimeUnit.SECONDS); // ends the window: the append commits with it
      assertTrue(ack.isDone(), "the append is durable once flush returns");
      assertTrue(
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 9,
          "flush waited out the window");
    }
  }

  @Test
  void windowIsBounded() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StoreOptions.defaults().withCommitWindow(Duration.ofSeconds(11)));
    assertThrows(
        IllegalArgumentException.class,
        () -> StoreOptions.defaults().withCommitWindow(Duration.ofMillis(-1)));
  }
}
