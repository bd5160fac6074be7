package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Updates;
import nodenogg.persistence.DocumentInfo;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteUpdateStoreTest {

  @TempDir Path dir;

  private static StoreOptions noCompaction() {
    return StoreOptions.defaults().withoutAutoCompaction();
  }

  @Test
  void settingsAreReadBackFromTheConnection() {
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir)) {
      Map<String, String> s = store.settings();
      assertEquals("wal", s.get("journal_mode"));
      assertEquals("2", s.get("synchronous"), "FULL is synchronous=2");
      assertEquals("1", s.get("foreign_keys"));
      assertEquals("5000", s.get("busy_timeout"));
      assertEquals("0", s.get("wal_autocheckpoint"), "checkpoints run off the writer thread");
      assertEquals("true", s.get("background_checkpoint"));
      assertEquals(dir.resolve("microcosm.db").toAbsolutePath(), store.file());
    }
    try (SqliteUpdateStore store =
        SqliteUpdateStore.open(
            dir.resolve("n.db"), StoreOptions.defaults().withDurability(Durability.NORMAL))) {
      assertEquals("1", store.settings().get("synchronous"), "NORMAL is synchronous=1");
    }
  }

  @Test
  void appendedUpdatesLoadBackInOrderAfterReopen() throws Exception {
    List<byte[]> sent = new ArrayList<>();
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, noCompaction())) {
      List<CompletableFuture<Long>> acks = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        byte[] u = TestUpdates.text(7, i, "x");
        sent.add(u);
        acks.add(store.append("doc-a", u));
      }
      for (int i = 0; i < acks.size(); i++) {
        assertEquals(i + 1, acks.get(i).get(10, TimeUnit.SECONDS), "seq of append " + i);
      }
      assertEquals(
          Optional.of(new DocumentInfo("doc-a", 20, sent.stream().mapToLong(b -> b.length).sum())),
          store.info("doc-a"));
    }
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, noCompaction())) {
      List<byte[]> back = store.load("doc-a");
      assertEquals(sent.size(), back.size());
      for (int i = 0; i < sent.size(); i++) {
        assertArrayEquals(sent.get(i), back.get(i));
      }
      assertEquals(List.of("doc-a"), store.list());
      assertEquals(List.of(), store.load("unknown"));
      assertEquals(Optional.empty(), store.info("unknown"));
    }
  }

  @Test
  void stateVectorTracksContiguousClocksPerClient() {
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, noCompaction())) {
      store.append("d", TestUpdates.text(5, 0, "abc")).join();
      store.append("d", TestUpdates.text(9, 0, "é😀")).join(); // JS length 3: 1 + surrogate pair
      store.append("d", TestUpdates.text(5, 5, "zz")).join(); // gap 3..5 missing: not counted yet
      assertEquals(Map.of(5L, 3L, 9L, 3L), sv(store, "d"));
      // Yjs writes the entries by client id, descending: [2, 9, 3, 5, 3]
      assertArrayEquals(new byte[] {2, 9, 3, 5, 3}, store.version("d"));
      store.append("d", TestUpdates.text(5, 3, "yy")).join();
      assertEquals(Map.of(5L, 7L, 9L, 3L), sv(store, "d"));
      assertArrayEquals(new byte[] {0}, store.version("nothing"));
    }
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, noCompaction())) {
      assertEquals(Map.of(5L, 7L, 9L, 3L), sv(store, "d"), "state vector survives reopen");
      store.append("d", TestUpdates.text(5, 7, "q")).join();
      assertEquals(Map.of(5L, 8L, 9L, 3L), sv(store, "d"), "coverage survives reopen");
    }
  }

  @Test
  void malformedUpdateIsRejectedWithoutStoringAnything() {
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, noCompaction())) {
      byte[] good = TestUpdates.text(1, 0, "hello");
      byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> store.append("d", truncated).get());
      assertInstanceOf(InvalidUpdateException.class, e.getCause());
      assertEquals(List.of(), store.list());
      assertThrows(IllegalArgumentException.class, () -> store.append("", good));
    }
  }

  /**
   * Metadata and delete are covered for every store by UpdateStoreContract
   * (SqliteUpdateStoreContractTest).
   */
  @Test
  void deleteClearAndMetadata() {
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, noCompaction())) {
      store.append("a", TestUpdates.text(1, 0, "a")).join();
      store.append("b", TestUpdates.text(1, 0, "b")).join();
      store.putMetadata("c", "only", "meta");
      assertTrue(store.delete("a"));
      // a deleted document starts afresh
      assertEquals(1L, store.append("a", TestUpdates.text(1, 0, "again")).join());
      store.clear();
      assertEquals(List.of(), store.list());
      assertEquals(Map.of(), store.metadata("c"));
      store.append("b", TestUpdates.text(2, 0, "b")).join();
      assertEquals(1, store.load("b").size());
    }
  }

  @Test
  void closeCommitsQueuedAppendsAndLaterCallsFail() throws Exception {
    List<CompletableFuture<Long>> acks = new ArrayList<>();
    SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, noCompaction());
    for (int i = 0; i < 500; i++) {
      acks.add(store.append("d", TestUpdates.text(3, i, "x")));
    }
    store.close();
    for (CompletableFuture<Long> f : acks) {
      assertTrue(f.isDone());
      f.get();
    }
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> store.append("d", TestUpdates.text(3, 500, "x")).get());
    assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    assertThrows(StoreException.class, () -> store.load("d"));
    store.close(); // idempotent
    try (SqliteUpdateStore again = SqliteUpdateStore.openDirectory(dir, noCompaction())) {
      assertEquals(500, again.load("d").size());
    }
  }

  @Test
  void closingFromAnAcknowledgementCallbackDoesNotHang() throws Exception {
    SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, noCompaction());
    CompletableFuture<Void> closedInCallback = new CompletableFuture<>();
    store
        .append("d", TestUpdates.text(1, 0, "x"))
        .thenRun(
            () -> {
              store.close();
              closedInCallback.complete(null);
            });
    closedInCallback.get(5, TimeUnit.SECONDS);
    assertThrows(StoreException.class, () -> store.list());
    store.close(); // waits for the close begun in the callback
    try (SqliteUpdateStore again = SqliteUpdateStore.openDirectory(dir, noCompaction())) {
      assertEquals(1, again.load("d").size());
    }
  }

  @Test
  void concurrentAppendersAreAllAcknowledgedAndStored() throws Exception {
    int threads = 4;
    int perThread = 300;
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, noCompaction())) {
      List<Thread> ts = new ArrayList<>();
      List<CompletableFuture<Long>> acks =
          java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < threads; t++) {
        long client = 100 + t;
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    acks.add(store.append("doc" + (client % 2), TestUpdates.text(client, i, "k")));
                  }
                });
        ts.add(th);
        th.start();
      }
      for (Thread th : ts) {
        th.join();
      }
      store.flush().get(30, TimeUnit.SECONDS);
      for (CompletableFuture<Long> f : acks) {
        assertTrue(f.isDone(), "flush completes after every earlier append");
        f.get();
      }
      assertEquals(threads * perThread, store.load("doc0").size() + store.load("doc1").size());
      assertEquals(Map.of(100L, (long) perThread, 102L, (long) perThread), sv(store, "doc0"));
    }
  }

  private static Map<Long, Long> sv(SqliteUpdateStore store, String doc) {
    return Updates.decodeStateVector(store.version(doc));
  }
}
