package nodenogg.sync.server.internal;

import static nodenogg.sync.server.TestTime.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.persistence.ForwardingUpdateStore;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.StoreException;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.server.SyncServerHooks;
import nodenogg.sync.server.websocket.WebSocketCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 finding 3: a document whose store fails is evicted, its clients are closed with 1013
 * (they reconnect), nobody joins the failed copy, and the document is loaded again from the store
 * as soon as the next client asks, working again once the store does.
 */
class DocumentFailureTest {
  private ExecutorService pool;
  private FlakyStore store;
  private DocumentRegistry registry;
  private HocuspocusHandler hp;

  /** An in-memory store whose appends fail while {@code failing} is set (a full disk). */
  static final class FlakyStore extends ForwardingUpdateStore {
    volatile boolean failing;

    FlakyStore() {
      super(new InMemoryUpdateStore());
    }

    @Override
    public CompletableFuture<Long> append(String document, byte[] update) {
      if (failing) {
        return CompletableFuture.failedFuture(new StoreException("disk full"));
      }
      return super.append(document, update);
    }
  }

  @BeforeEach
  void setUp() {
    pool = Executors.newFixedThreadPool(2);
    store = new FlakyStore();
    registry = new DocumentRegistry(pool, store, SyncServerHooks.NONE, DocSync::newDocument);
    hp =
        new HocuspocusHandler(
            new ServerContext(
                registry, SyncServerHooks.NONE, pool, 1 << 20, 100, 10, 10_000, 60_000, false));
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private static byte[] insert(long client, String text) {
    Doc d = new Doc(new Doc.Options().clientId(client));
    d.getText("t").insert(0, text);
    return Updates.encodeStateAsUpdate(d);
  }

  private static boolean hasStatus(FakeConnection c, int status) {
    for (byte[] m : c.sent) {
      Hocuspocus.Frame f = Hocuspocus.decode(m);
      if (f.type() == Hocuspocus.SYNC_STATUS && f.body().readVarUint() == status) {
        return true;
      }
    }
    return false;
  }

  private FakeConnection joined(String doc) throws InterruptedException {
    FakeConnection c = new FakeConnection(hp, "/sync", "");
    c.receive(Hocuspocus.authToken(doc, "", null));
    c.receive(Hocuspocus.syncStep1(doc, new byte[] {0}));
    await(
        "synced",
        () ->
            c.sent.stream()
                .anyMatch(
                    m -> {
                      Hocuspocus.Frame f = Hocuspocus.decode(m);
                      if (f.type() != Hocuspocus.SYNC) {
                        return false;
                      }
                      Lib0Decoder r = f.body();
                      return r.readVarUint() == 1; // Step2
                    }));
    return c;
  }

  @Test
  void aFailedDocumentClosesItsClientsWith1013AndIsLoadedAgainWhenTheStoreWorks() throws Exception {
    FakeConnection a = joined("d");
    FakeConnection b = joined("d");
    a.receive(Hocuspocus.syncUpdate("d", insert(1, "kept")));
    await("acknowledged", () -> hasStatus(a, 1));
    DocumentRegistry.Lease held = registry.acquire("d"); // a user still holding the failed copy
    ServerDocument first = held.document().get(10, TimeUnit.SECONDS);

    store.failing = true;
    a.receive(Hocuspocus.syncUpdate("d", insert(2, "lost")));
    await(
        "both closed with 1013",
        () ->
            a.closeCode == WebSocketCodes.TRY_AGAIN_LATER
                && b.closeCode == WebSocketCodes.TRY_AGAIN_LATER);
    assertTrue(first.failed());

    // a newcomer while the failed copy is still held: it gets a fresh copy, not the failed one
    DocumentRegistry.Lease fresh = registry.acquire("d");
    ServerDocument second = fresh.document().get(10, TimeUnit.SECONDS);
    assertNotSame(first, second);
    assertFalse(second.failed());
    held.release(); // releasing the old lease does not touch the new copy
    assertEquals(List.of("d"), registry.loaded());

    // the store is still full: the new copy fails too, and its clients are told to retry again
    FakeConnection c = joined("d");
    c.receive(Hocuspocus.syncUpdate("d", insert(3, "again")));
    await("closed", () -> c.closeCode == WebSocketCodes.TRY_AGAIN_LATER);
    fresh.release();

    // the store works again: the document comes back, with what was durable, and takes writes
    store.failing = false;
    FakeConnection d = joined("d");
    d.receive(Hocuspocus.syncUpdate("d", insert(4, "back")));
    await("acknowledged after recovery", () -> hasStatus(d, 1));
    DocumentRegistry.Lease check = registry.acquire("d");
    ServerDocument third = check.document().get(10, TimeUnit.SECONDS);
    CompletableFuture<String> text = new CompletableFuture<>();
    third
        .executor()
        .execute(() -> text.complete(((DocSync) third.doc()).doc().getText("t").toString()));
    String t = text.get(10, TimeUnit.SECONDS);
    assertTrue(
        t.contains("kept") && t.contains("back") && !t.contains("lost") && !t.contains("again"), t);
    check.release();
  }

  @Test
  void aClientJoiningWhileTheDocumentFailsIsClosedNotLeftInAFailedCopy() throws Exception {
    FakeConnection a = joined("j");
    DocumentRegistry.Lease held = registry.acquire("j");
    ServerDocument doc = held.document().get(10, TimeUnit.SECONDS);
    // block the document's executor so the joiner's join is queued behind the failure
    CompletableFuture<Void> gate = new CompletableFuture<>();
    doc.executor().execute(gate::join);
    FakeConnection joiner = new FakeConnection(hp, "/sync", "");
    joiner.receive(Hocuspocus.authToken("j", "", null));
    store.failing = true;
    a.receive(Hocuspocus.syncUpdate("j", insert(1, "x")));
    Thread.sleep(
        100); // let the joiner's auth and acquire reach the executor queue (either order is fine)
    gate.complete(null);
    await("the joiner is told to retry", () -> joiner.closeCode == WebSocketCodes.TRY_AGAIN_LATER);
    joiner.receive(Hocuspocus.syncUpdate("j", insert(5, "y")));
    assertFalse(hasStatus(joiner, 1), "nothing acknowledged on a failed document");
    held.release();
  }
}
