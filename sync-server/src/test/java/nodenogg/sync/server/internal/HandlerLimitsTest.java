package nodenogg.sync.server.internal;

import static nodenogg.sync.server.TestTime.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.UpdateStore;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.protocol.ToyDocument;
import nodenogg.sync.protocol.YWebsocketProtocol;
import nodenogg.sync.server.TokenAuthHooks;
import nodenogg.sync.server.websocket.WebSocketCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input and limits at the protocol-handler level (no sockets): each case closes only its
 * connection.
 */
class HandlerLimitsTest {
  private ExecutorService pool;
  private UpdateStore store;
  private HocuspocusHandler hp;
  private YWebsocketHandler yws;

  @BeforeEach
  void setUp() {
    pool = Executors.newFixedThreadPool(2);
    store =
        new InMemoryUpdateStore(
            UpdateFormat.opaque()); // toy documents: bytes the store does not interpret
    TokenAuthHooks hooks = new TokenAuthHooks("secret", "read", null);
    DocumentRegistry registry = new DocumentRegistry(pool, store, hooks, ToyDocument::new);
    ServerContext ctx = new ServerContext(registry, hooks, pool, 1000, 5, 2, 200, 60_000, false);
    hp = new HocuspocusHandler(ctx);
    yws = new YWebsocketHandler(ctx);
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private static boolean sentType(FakeConnection c, int type, int sub) {
    for (byte[] m : c.sent) {
      Hocuspocus.Frame f = Hocuspocus.decode(m);
      if (f.type() == type
          && (sub < 0
              || new Lib0Decoder(m, m.length - f.body().remaining(), m.length).readVarUint()
                  == sub)) {
        return true;
      }
    }
    return false;
  }

  private FakeConnection authed(String doc) throws InterruptedException {
    FakeConnection c = new FakeConnection(hp, "/sync", "");
    c.receive(Hocuspocus.authToken(doc, "secret", "4.8.0"));
    await("authenticated", () -> sentType(c, Hocuspocus.AUTH, Hocuspocus.AUTH_AUTHENTICATED));
    return c;
  }

  @Test
  void garbageFrameClosesOnlyThatConnection() throws Exception {
    FakeConnection good = authed("doc");
    FakeConnection bad = new FakeConnection(hp, "/sync", "");
    bad.receive(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    assertEquals(WebSocketCodes.PROTOCOL_ERROR, bad.closeCode);
    FakeConnection bad2 = authed("doc");
    bad2.receive(new byte[] {3, 'd', 'o', 'c', 0, 2, 5, 1}); // Sync/Update with a truncated payload
    await("closed", () -> bad2.closeCode == WebSocketCodes.PROTOCOL_ERROR);
    good.receive(Hocuspocus.syncUpdate("doc", ToyDocument.encode(List.of("x".getBytes()))));
    await("good connection still served", () -> sentType(good, Hocuspocus.SYNC_STATUS, 1));
    assertTrue(good.isOpen());
    assertEquals(1, store.load("doc").size());
  }

  @Test
  void implicitAuthenticationServesProvidersThatSendNoToken() throws Exception {
    DocumentRegistry registry =
        new DocumentRegistry(
            pool, store, nodenogg.sync.server.SyncServerHooks.NONE, ToyDocument::new);
    HocuspocusHandler lenient =
        new HocuspocusHandler(
            new ServerContext(
                registry,
                nodenogg.sync.server.SyncServerHooks.NONE,
                pool,
                1000,
                5,
                2,
                200,
                60_000,
                true));
    FakeConnection c = new FakeConnection(lenient, "/sync", "");
    c.receive(
        Hocuspocus.syncStep1(
            "doc",
            ToyDocument.encode(List.of()))); // no Auth first, as a 2.x provider without token
    await(
        "authenticated and answered",
        () ->
            sentType(c, Hocuspocus.AUTH, Hocuspocus.AUTH_AUTHENTICATED)
                && sentType(c, Hocuspocus.SYNC, -1));
    FakeConnection strict = new FakeConnection(hp, "/sync", "");
    strict.receive(Hocuspocus.syncStep1("doc", ToyDocument.encode(List.of())));
    Thread.sleep(100);
    assertTrue(strict.sent.isEmpty(), "without implicit authentication the message waits for Auth");
  }

  @Test
  void serverOnlyMessageTypesCloseTheConnection() throws Exception {
    FakeConnection c = authed("doc");
    c.receive(Hocuspocus.syncStatus("doc", true));
    assertEquals(WebSocketCodes.POLICY_VIOLATION, c.closeCode);
    FakeConnection d = new FakeConnection(hp, "/sync", "");
    d.receive(
        new nodenogg.crdt.encoding.Lib0Encoder()
            .writeVarString("doc")
            .writeVarUint(Hocuspocus.BROADCAST_STATELESS)
            .writeVarString("x")
            .toByteArray());
    assertEquals(WebSocketCodes.POLICY_VIOLATION, d.closeCode);
  }

  @Test
  void junkBeforeAuthIsBoundedInCountBytesDocumentsAndTime() throws Exception {
    FakeConnection many = new FakeConnection(hp, "/sync", "");
    for (int i = 0; i < 6; i++) {
      many.receive(Hocuspocus.queryAwareness("doc"));
    }
    assertEquals(WebSocketCodes.RESET_CONNECTION, many.closeCode, "6 queued messages > limit 5");
    FakeConnection big = new FakeConnection(hp, "/sync", "");
    big.receive(Hocuspocus.stateless("doc", "x".repeat(1001)));
    assertEquals(WebSocketCodes.RESET_CONNECTION, big.closeCode, "bytes > limit 1000");
    FakeConnection docs = new FakeConnection(hp, "/sync", "");
    docs.receive(Hocuspocus.queryAwareness("a"));
    docs.receive(Hocuspocus.queryAwareness("b"));
    docs.receive(Hocuspocus.queryAwareness("c"));
    assertEquals(WebSocketCodes.RESET_CONNECTION, docs.closeCode, "3 pending documents > limit 2");
    FakeConnection slow = new FakeConnection(hp, "/sync", "");
    slow.receive(Hocuspocus.queryAwareness("doc"));
    Thread.sleep(250);
    hp.sweep(System.currentTimeMillis());
    assertEquals(
        WebSocketCodes.CONNECTION_TIMEOUT, slow.closeCode, "no auth within the 200 ms deadline");
  }

  @Test
  void deniedTokenGetsPermissionDeniedAndQueuedUpdatesAreDropped() throws Exception {
    FakeConnection c = new FakeConnection(hp, "/sync", "");
    c.receive(Hocuspocus.authToken("doc", "wrong", null));
    c.receive(Hocuspocus.syncUpdate("doc", ToyDocument.encode(List.of("evil".getBytes()))));
    await("denied", () -> sentType(c, Hocuspocus.AUTH, Hocuspocus.AUTH_PERMISSION_DENIED));
    Thread.sleep(100);
    assertTrue(c.isOpen(), "the socket stays open, as in Hocuspocus");
    assertEquals(0, store.load("doc").size());
  }

  @Test
  void readOnlyUpdateIsRefusedWithSyncStatusZero() throws Exception {
    FakeConnection c = new FakeConnection(hp, "/sync", "");
    c.receive(Hocuspocus.authToken("doc", "read", null));
    c.receive(Hocuspocus.syncUpdate("doc", ToyDocument.encode(List.of("nope".getBytes()))));
    await("refused", () -> sentType(c, Hocuspocus.SYNC_STATUS, 0));
    assertEquals(0, store.load("doc").size());
  }

  @Test
  void yWebsocketAwarenessIsBoundToTheConnectionsClientId() throws Exception {
    FakeConnection a = new FakeConnection(yws, "/room", "token=secret");
    FakeConnection b = new FakeConnection(yws, "/room", "token=secret");
    nodenogg.sync.protocol.Awareness alice = new nodenogg.sync.protocol.Awareness(100);
    alice.setLocalState(java.util.Map.of("n", "alice"));
    a.receive(YWebsocketProtocol.awareness(alice.encodeUpdate(List.of(100L))));
    await(
        "alice's entry echoed to her",
        () -> a.sent.stream().anyMatch(m -> m[0] == YWebsocketProtocol.AWARENESS));
    // b tries to overwrite alice's entry with a higher clock
    nodenogg.sync.protocol.Awareness fake = new nodenogg.sync.protocol.Awareness(100);
    for (int i = 0; i < 5; i++) {
      fake.setLocalState(java.util.Map.of("n", "mallory"));
    }
    b.receive(YWebsocketProtocol.awareness(fake.encodeUpdate(List.of(100L))));
    FakeConnection watcher = new FakeConnection(yws, "/room", "token=secret");
    await("watcher got awareness", () -> watcher.sent.size() >= 2);
    nodenogg.sync.protocol.Awareness seen = new nodenogg.sync.protocol.Awareness(1);
    for (byte[] m : watcher.sent) {
      Lib0Decoder r = new Lib0Decoder(m);
      if (r.readVarUint() == YWebsocketProtocol.AWARENESS) {
        seen.applyUpdate(r.readVarUint8Array(), "net");
      }
    }
    assertEquals(java.util.Map.of("n", "alice"), seen.getStates().get(100L));
    FakeConnection noToken = new FakeConnection(yws, "/room", "");
    await("unauthorized", () -> noToken.closeCode == WebSocketCodes.UNAUTHORIZED);
  }

  @Test
  void unauthenticatedQueuesShareOneServerWideBudget() throws Exception {
    // issue 12 finding 1: pre-auth queues were capped per connection only, so many sockets
    // exhausted the heap
    java.util.concurrent.CountDownLatch slowAuth = new java.util.concurrent.CountDownLatch(1);
    TokenAuthHooks tokens = new TokenAuthHooks("secret", null, null);
    nodenogg.sync.server.SyncServerHooks hooks =
        new nodenogg.sync.server.SyncServerHooks() {
          @Override
          public nodenogg.sync.server.AuthResult authenticate(nodenogg.sync.server.AuthRequest r) {
            if (r.protocol() == nodenogg.sync.server.AuthRequest.Protocol.Y_WEBSOCKET) {
              try {
                slowAuth.await(); // keeps the y-websocket socket unauthenticated while it sends
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return tokens.authenticate(r);
          }
        };
    nodenogg.sync.server.websocket.MemoryBudget server =
        new nodenogg.sync.server.websocket.MemoryBudget(1 << 20);
    nodenogg.sync.server.websocket.MemoryBudget preAuth = server.child(10_000);
    DocumentRegistry registry = new DocumentRegistry(pool, store, hooks, ToyDocument::new);
    ServerContext ctx =
        new ServerContext(
            registry, hooks, pool, 4000, 100, 10, 60_000, 60_000, false, preAuth, server);
    HocuspocusHandler h = new HocuspocusHandler(ctx);
    YWebsocketHandler y = new YWebsocketHandler(ctx);
    List<FakeConnection> attackers = new java.util.ArrayList<>();
    String junk = "x".repeat(900);
    // each connection stays under its own 4000-byte limit; together they pass the 10,000-byte share
    for (int i = 0; i < 4; i++) {
      FakeConnection c = new FakeConnection(h, "/sync", "");
      attackers.add(c);
      for (int k = 0; k < 4; k++) {
        c.receive(Hocuspocus.stateless("doc", junk));
      }
    }
    assertEquals(-1, attackers.get(0).closeCode);
    assertEquals(-1, attackers.get(1).closeCode);
    assertEquals(
        WebSocketCodes.TRY_AGAIN_LATER,
        attackers.get(2).closeCode,
        "the newest demand that does not fit: 1013");
    assertTrue(preAuth.used() <= 10_000 && server.used() == preAuth.used());
    // a y-websocket socket that is not authenticated yet queues into the same share
    FakeConnection yw = new FakeConnection(y, "/room", "token=secret");
    yw.receive(new byte[3000]);
    assertEquals(WebSocketCodes.TRY_AGAIN_LATER, yw.closeCode);
    slowAuth.countDown();
    // closing frees the share: a newcomer fits again
    attackers.forEach(c -> c.close(1000, "bye"));
    assertEquals(0, preAuth.used());
    assertEquals(0, server.used());
    FakeConnection honest = new FakeConnection(h, "/sync", "");
    honest.receive(Hocuspocus.stateless("doc", junk));
    honest.receive(Hocuspocus.authToken("doc", "secret", null));
    await("authenticated", () -> sentType(honest, Hocuspocus.AUTH, Hocuspocus.AUTH_AUTHENTICATED));
    await("queue drained and released", () -> preAuth.used() == 0);
  }
}
