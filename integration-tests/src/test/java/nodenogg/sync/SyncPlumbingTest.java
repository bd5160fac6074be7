package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.UpdateStore;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.client.YWebsocketClient;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.ToyDocument;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.TokenAuthHooks;
import org.junit.jupiter.api.Test;

/**
 * Server and client plumbing over loopback with a toy grow-only-set document (no CRDT engine):
 * multiplexing, acknowledgements, auth, read-only, reconnect and offline edits.
 */
class SyncPlumbingTest {
  private static final ClientOptions FAST =
      ClientOptions.defaults()
          .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
          .withSeed(7);

  private static SyncServer server(UpdateStore store, int port) throws Exception {
    return SyncServer.builder()
        .port(port)
        .store(store)
        .closeStoreOnShutdown(false)
        .documentFactory(ToyDocument::new)
        .hooks(new TokenAuthHooks("rw", "ro", null))
        .build()
        .start();
  }

  @Test
  void twoDocumentsOnOneSocketConvergeAndAreAcknowledged() throws Exception {
    UpdateStore store = new InMemoryUpdateStore(UpdateFormat.opaque());
    try (SyncServer s = server(store, 0)) {
      URI uri = URI.create("ws://127.0.0.1:" + s.port() + "/sync");
      try (HocuspocusClient a = HocuspocusClient.connect(uri, FAST);
          HocuspocusClient b = HocuspocusClient.connect(uri, FAST)) {
        ToyDocument a1 = new ToyDocument();
        ToyDocument a2 = new ToyDocument();
        ToyDocument b1 = new ToyDocument();
        ToyDocument b2 = new ToyDocument();
        a1.add("offline-before-connect");
        Awareness awA = new Awareness(11);
        Awareness awB = new Awareness(22);
        awA.setLocalState(Map.of("user", "a"));
        awB.setLocalState(Map.of("user", "b"));
        HocuspocusDocument da1 = a.open("doc-1", a1, awA, "rw");
        HocuspocusDocument da2 = a.open("doc-2", a2, null, "rw");
        HocuspocusDocument db1 = b.open("doc-1", b1, awB, "rw");
        HocuspocusDocument db2 = b.open("doc-2", b2, null, "rw");
        Await.get(da1.whenSynced(), 5000);
        Await.get(db2.whenSynced(), 5000);
        a1.add("a-one");
        b1.add("b-one");
        a2.add("a-two");
        Await.until(
            "doc-1 converges", 5000, () -> a1.texts().equals(b1.texts()) && a1.texts().size() == 3);
        Await.until("doc-2 converges", 5000, () -> b2.texts().equals(Set.of("a-two")));
        assertTrue(a2.texts().equals(Set.of("a-two")));
        Await.until(
            "acks",
            5000,
            () ->
                da1.unsyncedChanges() == 0
                    && da2.unsyncedChanges() == 0
                    && db1.unsyncedChanges() == 0);
        assertEquals(3, store.load("doc-1").size(), "every change stored once");
        Await.until(
            "a's presence reaches b",
            5000,
            () -> Map.of("user", "a").equals(awB.getStates().get(11L)));
        Await.until("b's presence reaches a", 5000, () -> awA.getStates().containsKey(22L));
        da1.close();
        Await.until("a's presence removed at b", 5000, () -> !awB.getStates().containsKey(11L));
      }
    }
  }

  /**
   * Acknowledgement accounting under concurrent writers: every change sent is counted once and
   * uncounted by its SyncStatus, so the count returns to zero. (The client used to count a change
   * only after {@code send} returned, so an acknowledgement read on the socket thread in between
   * was lost; that interleaving needs a writer preempted at exactly that point, which this burst
   * makes possible but could not be made to happen on demand.)
   */
  @Test
  void everyChangeOfABurstIsAcknowledged() throws Exception {
    UpdateStore store = new InMemoryUpdateStore(UpdateFormat.opaque());
    try (SyncServer s = server(store, 0)) {
      URI uri = URI.create("ws://127.0.0.1:" + s.port() + "/sync");
      try (HocuspocusClient c = HocuspocusClient.connect(uri, FAST)) {
        ToyDocument t = new ToyDocument();
        HocuspocusDocument d = c.open("burst", t, null, "rw");
        Await.get(d.whenSynced(), 5000);
        Thread[] writers = new Thread[4];
        for (int w = 0; w < writers.length; w++) {
          int id = w;
          writers[w] =
              new Thread(
                  () -> {
                    for (int i = 0; i < 500; i++) {
                      t.add("w" + id + "-" + i);
                      if (i % 4 == 0) {
                        Thread
                            .yield(); // give the socket threads a chance to run right after a send
                      }
                    }
                  });
          writers[w].start();
        }
        for (Thread w : writers) {
          w.join();
        }
        Await.until(
            () -> "all 2000 stored, " + store.load("burst").size() + " so far",
            10000,
            () -> store.load("burst").size() >= 2000);
        Await.until(
            () -> "every change acknowledged, " + d.unsyncedChanges() + " still counted",
            5000,
            () -> d.unsyncedChanges() == 0);
      }
    }
  }

  @Test
  void wrongTokenIsDeniedAndReadOnlyUpdatesAreRefused() throws Exception {
    UpdateStore store = new InMemoryUpdateStore(UpdateFormat.opaque());
    try (SyncServer s = server(store, 0)) {
      URI uri = URI.create("ws://127.0.0.1:" + s.port() + "/sync");
      try (HocuspocusClient c = HocuspocusClient.connect(uri, FAST)) {
        HocuspocusDocument bad = c.open("d", new ToyDocument(), null, "nope");
        Await.until("denied", 5000, () -> bad.deniedReason() != null);
        assertEquals("permission-denied", bad.deniedReason());
        ToyDocument ro = new ToyDocument();
        HocuspocusDocument r = c.open("d2", ro, null, "ro");
        Await.get(r.whenSynced(), 5000);
        assertTrue(r.isReadOnly());
        ro.add("should-not-land");
        Thread.sleep(300);
        assertEquals(0, store.load("d2").size());
        assertEquals(1, r.unsyncedChanges(), "refused change stays unacknowledged");
      }
    }
  }

  @Test
  void clientReconnectsAfterServerRestartAndDeliversOfflineEdits() throws Exception {
    UpdateStore store = new InMemoryUpdateStore(UpdateFormat.opaque());
    SyncServer s = server(store, 0);
    int port = s.port();
    URI uri = URI.create("ws://127.0.0.1:" + port + "/sync");
    ToyDocument local = new ToyDocument();
    ToyDocument yws = new ToyDocument();
    try (HocuspocusClient c = HocuspocusClient.connect(uri, FAST);
        YWebsocketClient y =
            YWebsocketClient.connect(
                URI.create("ws://127.0.0.1:" + port),
                "room-1",
                yws,
                new Awareness(5),
                "rw",
                FAST)) {
      HocuspocusDocument d = c.open("room-1", local, null, "rw");
      Await.get(d.whenSynced(), 5000);
      Await.get(y.whenSynced(), 5000);
      local.add("before");
      Await.until("y-websocket sees hocuspocus edit", 5000, () -> yws.texts().contains("before"));
      s.close();
      local.add("while-offline");
      yws.add("yws-offline");
      s = server(store, port);
      Await.until(
          () ->
              "offline edits delivered: hocuspocus "
                  + local.texts()
                  + " "
                  + c.state()
                  + " synced "
                  + d.isSynced()
                  + ", y-websocket "
                  + yws.texts()
                  + " "
                  + y.state()
                  + ", stored "
                  + stored(store, "room-1"),
          10000,
          () ->
              local.texts().equals(yws.texts())
                  && local.texts().equals(Set.of("before", "while-offline", "yws-offline")));
      Await.until("stored", 5000, () -> store.load("room-1").size() >= 3);
    } finally {
      s.close();
    }
  }

  @Test
  void hooksSeeTheLifecycleAndIdleDocumentsUnload() throws Exception {
    java.util.List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    nodenogg.sync.server.SyncServerHooks hooks =
        new nodenogg.sync.server.SyncServerHooks() {
          @Override
          public void onLoad(String doc, int stored) {
            events.add("load " + doc + " " + stored);
          }

          @Override
          public void onChange(String doc, byte[] update) {
            events.add("change " + doc);
          }

          @Override
          public void onStore(String doc, byte[] update) {
            events.add("store " + doc);
          }

          @Override
          public void onConnect(String doc, String remote, boolean readOnly) {
            events.add("connect " + doc + " " + readOnly);
          }

          @Override
          public void onDisconnect(String doc, String remote) {
            events.add("disconnect " + doc);
          }

          @Override
          public void onUnload(String doc) {
            events.add("unload " + doc);
          }
        };
    UpdateStore store = new InMemoryUpdateStore(UpdateFormat.opaque());
    try (SyncServer s =
        SyncServer.builder()
            .port(0)
            .store(store)
            .documentFactory(ToyDocument::new)
            .hooks(hooks)
            .build()
            .start()) {
      URI uri = URI.create("ws://127.0.0.1:" + s.port() + "/sync");
      ToyDocument d = new ToyDocument();
      try (HocuspocusClient c = HocuspocusClient.connect(uri, FAST)) {
        HocuspocusDocument h = c.open("hooked", d, null, "");
        Await.get(h.whenSynced(), 5000);
        d.add("one");
        d.add("two");
        Await.until("acks", 5000, () -> h.unsyncedChanges() == 0);
        assertEquals(List.of("hooked"), s.loadedDocuments());
      }
      Await.until(
          () -> "unloaded when idle: " + events,
          5000,
          () -> s.loadedDocuments().isEmpty() && events.contains("unload hooked"));
      assertEquals(8, events.size(), String.valueOf(events));
      assertEquals(List.of("load hooked 0", "connect hooked false"), events.subList(0, 2));
      assertEquals(List.of("disconnect hooked", "unload hooked"), events.subList(6, 8));
      // writes are pipelined: each store follows its change, the two may interleave
      List<String> middle = events.subList(2, 6);
      assertEquals("change hooked", middle.get(0));
      assertEquals("store hooked", middle.get(3));
      assertEquals(2, middle.stream().filter(e -> e.startsWith("store")).count());
    }
  }

  private static Set<String> stored(UpdateStore store, String doc) {
    ToyDocument t = new ToyDocument();
    store.load(doc).forEach(u -> t.apply(u, null));
    return t.texts();
  }

  @Test
  void statusPage() throws Exception {
    try (SyncServer s = server(new InMemoryUpdateStore(UpdateFormat.opaque()), 0)) {
      java.net.http.HttpResponse<String> r =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + s.port() + "/status"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      // the nodenogg.in server's reply first, then the details (no admin token configured: open)
      assertTrue(
          r.body()
              .startsWith("{\"status\":\"ok\",\"name\":\"nodenogg-sync\",\"version\":\"0.1.0\","),
          r.body());
      assertTrue(r.body().contains("\"documents_open\":0"), r.body());
      assertTrue(
          r.body()
              .contains(
                  "\"tracker\":{\"connections\":0,\"swarms\":0,\"peers\":0,\"announces\":0,"
                      + "\"offersRelayed\":0,\"answersRelayed\":0,\"scrapes\":0,\"failures\":0,\"closedByLimit\":0,\"expired\":0}"),
          r.body());
    }
  }

  /**
   * A presence set after the socket opened but before the server authenticated the document reaches
   * the other peers at once (the client announces it when authenticated), not only at its renewal
   * 15 s later. The server's authenticate hook sets the state, so it always falls in that window.
   */
  @Test
  void presenceSetWhileAuthenticatingIsAnnounced() throws Exception {
    Awareness late = new Awareness(33);
    nodenogg.sync.server.SyncServerHooks hooks =
        new nodenogg.sync.server.SyncServerHooks() {
          @Override
          public nodenogg.sync.server.AuthResult authenticate(
              nodenogg.sync.server.AuthRequest request) {
            if ("late".equals(request.token())) {
              late.setLocalState(Map.of("user", "late"));
            }
            return nodenogg.sync.server.AuthResult.readWrite();
          }
        };
    try (SyncServer s =
        SyncServer.builder()
            .port(0)
            .store(new InMemoryUpdateStore(UpdateFormat.opaque()))
            .documentFactory(ToyDocument::new)
            .hooks(hooks)
            .build()
            .start()) {
      URI uri = URI.create("ws://127.0.0.1:" + s.port() + "/sync");
      try (HocuspocusClient watcher = HocuspocusClient.connect(uri, FAST);
          HocuspocusClient latecomer = HocuspocusClient.connect(uri, FAST)) {
        Awareness seen = new Awareness(44);
        seen.setLocalState(Map.of("user", "watcher"));
        Await.get(watcher.open("room", new ToyDocument(), seen, "w").whenSynced(), 5000);
        Await.get(latecomer.open("room", new ToyDocument(), late, "late").whenSynced(), 5000);
        // not scaled: a renewal (RENEW_AFTER_MILLIS after the state was set) would also deliver it
        long end = System.currentTimeMillis() + Awareness.RENEW_AFTER_MILLIS - 3000;
        while (!Map.of("user", "late").equals(seen.getStates().get(33L))) {
          assertTrue(
              System.currentTimeMillis() < end,
              "the late presence did not reach the watcher before its renewal");
          Thread.sleep(10);
        }
      }
    }
  }
}
