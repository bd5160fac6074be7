package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.DocumentInfo;
import nodenogg.persistence.yjs.YjsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction with the engine: atomic, lossless (pending data included), safe under concurrent
 * appends.
 */
class CompactionTest {

  @TempDir Path dir;

  /**
   * Makes {@code n} seeded edits on a fresh doc of client {@code client}; returns each
   * transaction's update.
   */
  static List<byte[]> edits(long client, long seed, int n) {
    Doc d = new Doc(new Doc.Options().clientId(client));
    List<byte[]> out = new ArrayList<>();
    d.onUpdate((u, origin, tr) -> out.add(u));
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      int op = r.nextInt(10);
      var text = d.getText("t");
      if (op < 6 || text.length() == 0) {
        text.insert(
            r.nextInt(text.length() + 1),
            Character.toString((char) ('a' + r.nextInt(26))).repeat(1 + r.nextInt(4)));
      } else if (op < 8) {
        int at = r.nextInt(text.length());
        text.delete(at, Math.min(1 + r.nextInt(3), text.length() - at));
      } else {
        d.getMap("m").set("k" + r.nextInt(5), r.nextInt(1000));
      }
    }
    return out;
  }

  /** toJSON with the roots these tests use defined (an undefined root has no type to print). */
  static Map<String, Object> json(Doc d) {
    d.getText("t");
    d.getMap("m");
    return d.toJSON();
  }

  private static Doc replay(List<byte[]> updates) {
    Doc d = new Doc();
    for (byte[] u : updates) {
      Updates.applyUpdate(d, u);
    }
    return d;
  }

  @Test
  void compactReplacesTheLogWithOneEquivalentUpdate() {
    List<byte[]> ups = edits(11, 1, 300);
    try (SqliteUpdateStore store =
        SqliteUpdateStore.openDirectory(dir, StoreOptions.defaults().withoutAutoCompaction())) {
      for (byte[] u : ups) {
        store.append("d", u);
      }
      store.flush().join();
      Map<Long, Long> svBefore = sv(store, "d");
      assertEquals(300, store.info("d").orElseThrow().updateCount());
      DocumentInfo after = store.compact("d").orElseThrow();
      assertEquals(1, after.updateCount());
      assertEquals(after, store.info("d").orElseThrow());
      Doc loaded = new Doc();
      assertTrue(YjsStorage.load(store, loaded, "d"));
      Doc reference = replay(ups);
      assertEquals(json(reference), json(loaded));
      assertArrayEquals(Updates.encodeStateVector(reference), Updates.encodeStateVector(loaded));
      assertEquals(svBefore, sv(store, "d"), "state vector unchanged by compaction");
      assertEquals(
          Map.of(11L, Updates.decodeStateVector(Updates.encodeStateVector(reference)).get(11L)),
          svBefore);
    }
  }

  @Test
  void logIsCompactedAutomaticallyPastTheCountThreshold() throws Exception {
    List<byte[]> ups = edits(12, 2, 120);
    try (SqliteUpdateStore store =
        SqliteUpdateStore.openDirectory(dir, StoreOptions.defaults().withCompactionCount(50))) {
      for (byte[] u : ups) {
        store.append("d", u).join();
      }
      long deadline = System.currentTimeMillis() + 20_000;
      while (store.info("d").orElseThrow().updateCount() > 50
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(store.info("d").orElseThrow().updateCount() <= 50, store.info("d").toString());
      Doc loaded = new Doc();
      YjsStorage.load(store, loaded, "d");
      assertEquals(json(replay(ups)), json(loaded));
    }
  }

  @Test
  void pendingDataSurvivesCompactionAndRestart() {
    List<byte[]> ups = edits(13, 3, 40);
    List<byte[]> withoutFirst =
        ups.subList(1, ups.size()); // everything depends on the first insert
    Path db = dir.resolve("p.db");
    try (SqliteUpdateStore store =
        SqliteUpdateStore.open(db, StoreOptions.defaults().withoutAutoCompaction())) {
      for (byte[] u : withoutFirst) {
        store.append("d", u);
      }
      store.flush().join();
      store.compact("d");
      Doc partial = new Doc();
      YjsStorage.load(store, partial, "d");
      assertTrue(partial.hasPending(), "the text edits cannot integrate without the first insert");
    }
    try (SqliteUpdateStore store =
        SqliteUpdateStore.open(db, StoreOptions.defaults().withoutAutoCompaction())) {
      store.append("d", ups.get(0)).join();
      Doc loaded = new Doc();
      YjsStorage.load(store, loaded, "d");
      assertFalse(loaded.hasPending());
      Doc reference = replay(ups);
      assertEquals(json(reference), json(loaded));
      assertEquals(1, store.compact("d").orElseThrow().updateCount());
      Doc again = new Doc();
      YjsStorage.load(store, again, "d");
      assertEquals(json(reference), json(again));
      Doc fromState = new Doc();
      Updates.applyUpdate(fromState, store.loadState("d").orElseThrow());
      assertArrayEquals(
          Updates.encodeStateAsUpdate(reference), Updates.encodeStateAsUpdate(fromState));
    }
  }

  @Test
  void compactionUnderConcurrentAppendsLosesNothing() throws Exception {
    int writers = 3;
    List<List<byte[]>> perWriter = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      perWriter.add(edits(100 + w, 40 + w, 250));
    }
    List<CompletableFuture<Long>> acks = Collections.synchronizedList(new ArrayList<>());
    try (SqliteUpdateStore store =
        SqliteUpdateStore.openDirectory(dir, StoreOptions.defaults().withCompactionCount(25))) {
      AtomicBoolean running = new AtomicBoolean(true);
      Thread compactor =
          new Thread(
              () -> {
                while (running.get()) {
                  store.compact("shared");
                }
              });
      compactor.start();
      List<Thread> threads = new ArrayList<>();
      for (List<byte[]> ups : perWriter) {
        Thread t = new Thread(() -> ups.forEach(u -> acks.add(store.append("shared", u))));
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      store.flush().join();
      running.set(false);
      compactor.join();
      acks.forEach(CompletableFuture::join);
      List<byte[]> all = new ArrayList<>();
      perWriter.forEach(all::addAll);
      Doc reference = replay(all);
      Doc loaded = new Doc();
      YjsStorage.load(store, loaded, "shared");
      assertEquals(json(reference), json(loaded));
      assertArrayEquals(Updates.encodeStateVector(reference), Updates.encodeStateVector(loaded));
    }
  }

  private static Map<Long, Long> sv(SqliteUpdateStore store, String doc) {
    return Updates.decodeStateVector(store.version(doc));
  }
}
