package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import nodenogg.persistence.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failing commits and disk errors must never produce an acknowledgement for an update that is not
 * stored, must surface the error on the affected futures, and must leave the store usable.
 */
class FaultInjectionTest {

  @TempDir Path dir;

  private static final StoreOptions OPTS =
      StoreOptions.defaults().withoutAutoCompaction().withDurability(Durability.NORMAL);

  private record Sent(String doc, byte[] update, CompletableFuture<Long> ack) {}

  @Test
  void failingTheNthCallNeverAcknowledgesAnUnstoredUpdate() {
    for (int n = 1; n <= 40; n++) {
      Path db = dir.resolve("nth-" + n + ".db");
      FaultyConnection faults = FaultyConnection.nth(n, n);
      List<Sent> sent = new ArrayList<>();
      try (SqliteUpdateStore store = SqliteUpdateStore.open(db, OPTS, faults)) {
        faults.arm();
        for (int i = 0; i < 30; i++) {
          String doc = "d" + (i % 3);
          byte[] u = TestUpdates.text(10 + i % 3, i / 3, "v");
          sent.add(new Sent(doc, u, store.append(doc, u)));
          if (i % 7 == 0) {
            store.flush().join();
          }
        }
        store.flush().join();
        if (faults.injected.get() == 0) {
          assertEquals(0, countFailures(sent), "no fault, no failure");
        }
        // the store keeps working once the fault has passed
        byte[] later = TestUpdates.text(99, 0, "after");
        assertTrue(store.append("other", later).join() > 0, "append after fault " + n);
        sent.add(new Sent("other", later, CompletableFuture.completedFuture(1L)));
      }
      verifyAcknowledgedPresent(db, sent, "fault at call " + n);
    }
  }

  @Test
  void randomFaultsUnderConcurrentLoadGiveNoFalseAcks() throws Exception {
    long seed = Long.getLong("nodenogg.faults.seed", 42L);
    int target = Integer.getInteger("nodenogg.faults.target", 2_000);
    Path db = dir.resolve("random.db");
    FaultyConnection faults = FaultyConnection.random(seed, 0.05);
    List<Sent> sent = java.util.Collections.synchronizedList(new ArrayList<>());
    int failedAcks = 0;
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db, OPTS.withMaxBatch(16), faults)) {
      faults.arm();
      int[] clocks = new int[4];
      for (int round = 0; faults.injected.get() < target; round++) {
        for (int c = 0; c < 4; c++) {
          byte[] u = TestUpdates.text(1000 + c, clocks[c]++, "w");
          String doc = "doc" + c;
          sent.add(new Sent(doc, u, store.append(doc, u)));
        }
        if (round % 50 == 0) {
          store.flush().join();
        }
        assertTrue(round < 2_000_000, "fault target not reached (seed " + seed + ")");
      }
      store.flush().join();
      for (Sent s : sent) {
        try {
          s.ack.join();
        } catch (CompletionException e) {
          failedAcks++;
          assertTrue(e.getCause() instanceof StoreException, "typed error: " + e.getCause());
          assertTrue(
              e.getCause().getMessage().contains("[SQLITE_"),
              "error surfaces SQLite's cause: " + e.getCause());
        }
      }
      faults.disarm();
      assertTrue(store.append("doc0", TestUpdates.text(5000, 0, "ok")).join() > 0);
    }
    System.out.println(
        "FaultInjectionTest: seed="
            + seed
            + " injected="
            + faults.injected.get()
            + " appends="
            + sent.size()
            + " failed="
            + failedAcks);
    assertTrue(failedAcks > 0, "faults were injected into commits");
    verifyAcknowledgedPresent(db, sent, "random faults, seed " + seed);
  }

  private static int countFailures(List<Sent> sent) {
    int failed = 0;
    for (Sent s : sent) {
      if (s.ack.isCompletedExceptionally()) {
        failed++;
      }
    }
    return failed;
  }

  /** Reopens without faults; every acknowledged update must be stored byte-for-byte. */
  static void verifyAcknowledgedPresent(Path db, List<Sent> sent, String context) {
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db, OPTS)) {
      assertTrue(store.check().ok(), context + ": " + store.check());
      Set<String> docs = new HashSet<>();
      sent.forEach(s -> docs.add(s.doc));
      Set<ByteBuffer> stored = new HashSet<>();
      for (String d : docs) {
        store.load(d).forEach(b -> stored.add(ByteBuffer.wrap(b)));
      }
      int acked = 0;
      for (Sent s : sent) {
        if (s.ack.isDone() && !s.ack.isCompletedExceptionally()) {
          acked++;
          assertTrue(
              stored.contains(ByteBuffer.wrap(s.update)),
              "FALSE ACK: acknowledged update missing, " + context);
        }
      }
      assertTrue(acked > 0, context + ": nothing was acknowledged at all");
    }
  }
}
