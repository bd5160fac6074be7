package nodenogg.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.yjs.YjsFormat;
import nodenogg.persistence.yjs.YjsStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UpdateStore} of Yjs updates must do, whatever keeps the bytes. A backend's test
 * extends this class and says how to open a fresh, empty store (the in-memory store here, SQLite in
 * persistence-sqlite, PostgreSQL later). Updates come from the engine, so the checks are the
 * engine's.
 */
public abstract class UpdateStoreContract {

  /** A new, empty store of Yjs updates with automatic compaction off; the test closes it. */
  protected abstract UpdateStore newStore() throws Exception;

  protected UpdateStore store;

  @BeforeEach
  void openStore() throws Exception {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** Each transaction's update of {@code n} text inserts by {@code client}. */
  protected static List<byte[]> typing(long client, int n) {
    Doc d = new Doc(new Doc.Options().clientId(client));
    List<byte[]> out = new ArrayList<>();
    d.onUpdate((u, origin, tr) -> out.add(u));
    for (int i = 0; i < n; i++) {
      d.getText("t").insert(d.getText("t").length(), "x" + i);
    }
    return out;
  }

  private static Doc replay(List<byte[]> updates) {
    Doc d = new Doc();
    for (byte[] u : updates) {
      Updates.applyUpdate(d, u);
    }
    return d;
  }

  @Test
  void theFormatIsYjs() {
    assertEquals(YjsFormat.NAME, store.format().name());
  }

  @Test
  void appendsAreAcknowledgedInOrderAndLoadBackAsSent() throws Exception {
    List<byte[]> sent = typing(7, 20);
    List<CompletableFuture<Long>> acks = new ArrayList<>();
    for (byte[] u : sent) {
      acks.add(store.append("doc-a", u));
    }
    long previous = 0;
    for (CompletableFuture<Long> ack : acks) {
      long seq = ack.get(10, TimeUnit.SECONDS);
      assertTrue(seq > previous, "sequence numbers increase: " + seq + " after " + previous);
      previous = seq;
    }
    assertEquals(
        Optional.of(new DocumentInfo("doc-a", 20, sent.stream().mapToLong(b -> b.length).sum())),
        store.info("doc-a"));
    List<byte[]> back = store.load("doc-a");
    assertEquals(sent.size(), back.size());
    for (int i = 0; i < sent.size(); i++) {
      assertArrayEquals(sent.get(i), back.get(i), "update " + i);
    }
    assertEquals(List.of("doc-a"), store.list());
    assertEquals(List.of(), store.load("unknown"));
    assertEquals(Optional.empty(), store.info("unknown"));
    assertEquals(Optional.empty(), store.loadState("unknown"));
  }

  @Test
  void aRefusedUpdateIsATypedRejectionAndStoresNothing() throws Exception {
    byte[] good = typing(1, 1).get(0);
    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> store.append("d", truncated).get(10, TimeUnit.SECONDS));
    InvalidUpdateException refused = assertInstanceOf(InvalidUpdateException.class, e.getCause());
    assertTrue(refused.isRejection(), "a refused input is not a storage failure");
    assertThrows(
        RuntimeException.class,
        () -> Updates.applyUpdate(new Doc(), truncated),
        "the engine refuses it too");
    assertEquals(List.of(), store.list(), "nothing stored, not even the document");
    assertThrows(IllegalArgumentException.class, () -> store.append("", good));
    assertThrows(IllegalArgumentException.class, () -> store.append(null, good));
  }

  /**
   * Issue 12 finding 2: Yjs ignores bytes after the delete set, so the store must take such an
   * update too.
   */
  @Test
  void whatTheEngineAppliesTheStoreTakesTrailingBytesIncluded() throws Exception {
    Doc source = new Doc(new Doc.Options().clientId(3));
    source.getMap("m").set("k", "v");
    byte[] state = Updates.encodeStateAsUpdate(source);
    byte[] padded = Arrays.copyOf(state, state.length + 1);
    padded[state.length] = 0x2a;
    Doc engine = new Doc();
    Updates.applyUpdate(engine, padded); // the engine applies it
    assertTrue(store.append("padded", padded).get(10, TimeUnit.SECONDS) > 0);
    Doc loaded = new Doc();
    assertTrue(YjsStorage.load(store, loaded, "padded"));
    assertEquals(engine.getMap("m").toJSON(), loaded.getMap("m").toJSON());
    assertArrayEquals(Updates.encodeStateVector(engine), store.version("padded"));
  }

  @Test
  void versionIsTheStateVectorOfClocksStoredContiguouslyFromZero() throws Exception {
    List<byte[]> five = typing(5, 4); // clocks 0-1, 2-3, 4-5, 6-7 ("x0".."x3")
    store.append("d", five.get(0)).join();
    store.append("d", five.get(2)).join(); // gap 2..4: not counted yet
    assertEquals(Map.of(5L, 2L), Updates.decodeStateVector(store.version("d")));
    store.append("d", typing(9, 1).get(0)).join();
    // Yjs writes the entries by client id, descending: [2, 9, 2, 5, 2]
    assertArrayEquals(new byte[] {2, 9, 2, 5, 2}, store.version("d"));
    store.append("d", five.get(1)).join(); // fills the gap
    assertEquals(Map.of(5L, 6L, 9L, 2L), Updates.decodeStateVector(store.version("d")));
    assertArrayEquals(new byte[] {0}, store.version("nothing"));
  }

  @Test
  void flushWaitsForEveryEarlierAppend() throws Exception {
    List<CompletableFuture<Long>> acks = new ArrayList<>();
    for (byte[] u : typing(4, 200)) {
      acks.add(store.append("d", u));
    }
    store.flush().get(30, TimeUnit.SECONDS);
    for (CompletableFuture<Long> f : acks) {
      assertTrue(f.isDone(), "flush completes after every earlier append");
      f.get();
    }
  }

  @Test
  void compactionKeepsTheContentAndTheVersion() throws Exception {
    List<byte[]> ups = typing(11, 60);
    for (byte[] u : ups) {
      store.append("d", u);
    }
    store.flush().get(30, TimeUnit.SECONDS);
    byte[] versionBefore = store.version("d");
    DocumentInfo after = store.compact("d").orElseThrow();
    assertEquals(1, after.updateCount());
    assertEquals(Optional.of(after), store.info("d"));
    Doc loaded = new Doc();
    YjsStorage.load(store, loaded, "d");
    Doc reference = replay(ups);
    assertEquals(reference.getText("t").toString(), loaded.getText("t").toString());
    assertArrayEquals(versionBefore, store.version("d"), "compaction does not change the version");
    Doc fromState = new Doc();
    Updates.applyUpdate(fromState, store.loadState("d").orElseThrow());
    assertArrayEquals(
        Updates.encodeStateAsUpdate(reference), Updates.encodeStateAsUpdate(fromState));
    assertEquals(Optional.empty(), store.compact("unknown"));
  }

  @Test
  void pendingUpdatesSurviveCompaction() throws Exception {
    List<byte[]> ups = typing(13, 30);
    for (byte[] u : ups.subList(1, ups.size())) { // everything depends on the first insert
      store.append("d", u);
    }
    store.flush().get(30, TimeUnit.SECONDS);
    store.compact("d");
    store.append("d", ups.get(0)).get(10, TimeUnit.SECONDS);
    Doc loaded = new Doc();
    YjsStorage.load(store, loaded, "d");
    assertFalse(loaded.hasPending());
    assertEquals(replay(ups).getText("t").toString(), loaded.getText("t").toString());
    assertEquals(1, store.compact("d").orElseThrow().updateCount());
  }

  @Test
  void deleteAndMetadata() throws Exception {
    store.append("a", typing(1, 1).get(0)).get(10, TimeUnit.SECONDS);
    store.append("b", typing(2, 1).get(0)).get(10, TimeUnit.SECONDS);
    store.putMetadata("a", "owner", "alice");
    store.putMetadata("a", "title", "A");
    store.putMetadata("c", "only", "meta");
    assertEquals(Map.of("owner", "alice", "title", "A"), store.metadata("a"));
    store.putMetadata("a", "title", null);
    assertEquals(Map.of("owner", "alice"), store.metadata("a"));
    assertEquals(List.of("a", "b", "c"), store.list());
    assertTrue(store.delete("a"));
    assertFalse(store.delete("a"));
    assertEquals(Map.of(), store.metadata("a"));
    assertEquals(List.of(), store.load("a"));
    assertEquals(List.of("b", "c"), store.list());
    assertThrows(IllegalArgumentException.class, () -> store.putMetadata("b", "", "x"));
    assertEquals(
        1L,
        store.append("a", typing(1, 1).get(0)).get(10, TimeUnit.SECONDS),
        "a deleted document starts afresh");
  }

  @Test
  void checkReadsEveryDocumentBack() throws Exception {
    store.append("a", typing(1, 1).get(0)).get(10, TimeUnit.SECONDS);
    store.append("b", typing(2, 1).get(0)).get(10, TimeUnit.SECONDS);
    CheckReport report = store.check();
    assertTrue(report.ok(), report.toString());
    assertEquals(2, report.documentsChecked());
  }

  @Test
  void concurrentAppendersAreAllStored() throws Exception {
    int threads = 4;
    List<CompletableFuture<Long>> acks = Collections.synchronizedList(new ArrayList<>());
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<byte[]> ups = typing(100 + t, 150);
      String doc = "doc" + (t % 2);
      Thread th = new Thread(() -> ups.forEach(u -> acks.add(store.append(doc, u))));
      ts.add(th);
      th.start();
    }
    for (Thread th : ts) {
      th.join();
    }
    store.flush().get(30, TimeUnit.SECONDS);
    for (CompletableFuture<Long> f : acks) {
      f.get();
    }
    assertEquals(threads * 150, store.load("doc0").size() + store.load("doc1").size());
    long clocks = replay(typing(100, 150)).getText("t").length(); // "x0".."x149": 490 UTF-16 units
    assertEquals(
        Map.of(100L, clocks, 102L, clocks), Updates.decodeStateVector(store.version("doc0")));
  }

  @Test
  void aClosedStoreRefusesEverythingWithAStoreException() throws Exception {
    store.append("d", typing(1, 1).get(0)).get(10, TimeUnit.SECONDS);
    store.close();
    ExecutionException e =
        assertThrows(
            ExecutionException.class,
            () -> store.append("d", typing(2, 1).get(0)).get(10, TimeUnit.SECONDS));
    StoreException failure = assertInstanceOf(StoreException.class, e.getCause());
    assertFalse(failure.isRejection(), "a closed store is a store failure, not a refused input");
    assertTrue(failure.getMessage().contains("closed"), failure.getMessage());
    assertThrows(StoreException.class, () -> store.load("d"));
    assertThrows(StoreException.class, () -> store.list());
    store.close(); // idempotent
  }
}
