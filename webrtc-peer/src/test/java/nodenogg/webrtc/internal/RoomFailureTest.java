package nodenogg.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Json;
import nodenogg.crdt.Updates;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.server.SyncServer;
import nodenogg.webrtc.WebrtcNative;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failure handling, Java peers through our sync server's /signal: a peer with another password, a
 * signalling server that restarts, a rogue peer sending broken signals or an offer that can never
 * connect, and a peer sending malformed data-channel messages. Nothing crashes the JVM; the room
 * keeps working with the good peers.
 */
class RoomFailureTest {

  @BeforeEach
  void nativeLibrary() {
    Assumptions.assumeTrue(
        WebrtcNative.isAvailable(),
        () -> "webrtc-peer tests skipped: " + WebrtcNative.unavailableReason().orElse(""));
  }

  static SyncServer server(int port) throws Exception {
    return SyncServer.builder()
        .host("127.0.0.1")
        .port(port)
        .store(new InMemoryUpdateStore())
        .build()
        .start();
  }

  /** A room over a fresh Doc, recording what it reports. */
  static final class Peer implements AutoCloseable {
    final Doc doc = new Doc();
    final Awareness awareness = new Awareness(doc.clientId());
    final DocSync sync = new DocSync(doc);
    final List<String> connected = new CopyOnWriteArrayList<>();
    final List<String> syncedWith = new CopyOnWriteArrayList<>();
    final List<String> ended = new CopyOnWriteArrayList<>();
    final Room room;

    Peer(String url, String roomName, String password, long connectTimeoutMillis) {
      room =
          new Room(
              roomName,
              sync,
              awareness,
              List.of(URI.create(url)),
              password,
              30,
              List.of(),
              connectTimeoutMillis,
              new Room.Listener() {
                @Override
                public void connected(String peerId) {
                  connected.add(peerId);
                }

                @Override
                public void syncedWith(String peerId) {
                  syncedWith.add(peerId);
                }

                @Override
                public void disconnected(String peerId, String reason) {
                  ended.add(peerId + ": " + reason);
                }
              });
      room.start();
    }

    Peer(String url, String roomName, String password) {
      this(url, roomName, password, 30_000);
    }

    @Override
    public void close() {
      room.close();
    }
  }

  static void await(String what, long millis, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aPeerWithAnotherPasswordIsNeverConnectedAndSaysSoOnce() throws Exception {
    PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (SyncServer s = server(0)) {
      String url = "ws://127.0.0.1:" + s.port() + "/signal";
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Peer b2 = null;
      long rooms;
      try (Peer a = new Peer(url, "locked", "one");
          Peer c = new Peer(url, "locked", "one")) {
        a.doc.getMap("m").set("k", "from a");
        await(
            "a and c to sync", 30_000, () -> c.syncedWith.size() >= 1 && a.syncedWith.size() >= 1);
        await("c to hold a's value", 10_000, () -> "from a".equals(c.doc.getMap("m").get("k")));
        // a peer with another password joins (a and c are subscribed: they get its announce)
        try (Peer b = new Peer(url, "locked", "two")) {
          await(
              "b's announce to be dropped by a", 10_000, () -> a.room.undecryptableSignals() >= 1);
          long dropped = a.room.undecryptableSignals();
          Thread.sleep(2000);
          assertTrue(b.connected.isEmpty(), "a peer with another password connected");
          assertEquals(null, b.doc.getMap("m").get("k"));
          b.room.close();
          // and again: more messages dropped, still one log line per room
          b2 = new Peer(url, "locked", "two");
          await(
              "b2's announce to be dropped by a",
              10_000,
              () -> a.room.undecryptableSignals() > dropped);
          Thread.sleep(1000);
          assertTrue(b2.connected.isEmpty(), "a peer with another password connected");
          assertEquals(List.of(c.room.peerId()), a.connected, "a connects to c only");
          rooms =
              java.util.stream.Stream.of(a, b, c, b2)
                  .filter(p -> p.room.undecryptableSignals() > 0)
                  .count();
        } finally {
          if (b2 != null) {
            b2.close();
          }
        }
      }
      String log = captured.toString(StandardCharsets.UTF_8);
      long lines =
          log.lines().filter(l -> l.contains("does not open with this room's password")).count();
      assertTrue(
          lines >= 1 && lines <= rooms,
          "log lines about the password: "
              + lines
              + " from "
              + rooms
              + " rooms that dropped messages\n"
              + log);
    } finally {
      System.setErr(realErr);
    }
  }

  @Test
  void aSignallingServerThatRestartsIsReconnected() throws Exception {
    SyncServer s = server(0);
    int port = s.port();
    String url = "ws://127.0.0.1:" + port + "/signal";
    try (Peer a = new Peer(url, "restart", null)) {
      await("a's signalling", 10_000, () -> a.room.signalingConnected() == 1);
      s.close();
      await("a to notice the server is gone", 10_000, () -> a.room.signalingConnected() == 0);
      Thread.sleep(1000); // a retries against a closed port a few times
      s = server(port);
      await("a to reconnect", 20_000, () -> a.room.signalingConnected() == 1);
      a.doc.getMap("m").set("k", "after restart");
      try (Peer b = new Peer(url, "restart", null)) {
        await("b to sync with a", 30_000, () -> "after restart".equals(b.doc.getMap("m").get("k")));
      }
    } finally {
      s.close();
    }
  }

  /** A bare signalling client, to play a rogue peer. */
  static final class RawSignal implements AutoCloseable {
    final WebSocket ws;
    final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();

    RawSignal(String url, String room) throws Exception {
      StringBuilder text = new StringBuilder();
      ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create(url),
                  new WebSocket.Listener() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public CompletionStage<?> onText(
                        WebSocket webSocket, CharSequence data, boolean last) {
                      text.append(data);
                      if (last) {
                        received.add((Map<String, Object>) Json.parse(text.toString()));
                        text.setLength(0);
                      }
                      webSocket.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      send(Map.of("type", "subscribe", "topics", List.of(room)));
    }

    void send(Map<String, Object> m) throws Exception {
      ws.sendText(Json.stringify(m), true).get(10, TimeUnit.SECONDS);
    }

    void publish(String room, Map<String, Object> data) throws Exception {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "publish");
      m.put("topic", room);
      m.put("data", data);
      send(m);
    }

    @Override
    public void close() {
      ws.abort();
    }
  }

  static Map<String, Object> signal(
      String from, String to, double token, Map<String, Object> signal) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("to", to);
    m.put("from", from);
    m.put("type", "signal");
    m.put("token", token);
    m.put("signal", signal);
    return m;
  }

  @Test
  void roguePeersCannotBreakTheRoom() throws Exception {
    try (SyncServer s = server(0)) {
      String url = "ws://127.0.0.1:" + s.port() + "/signal";
      try (Peer a = new Peer(url, "rogue", null, 3000);
          RawSignal rogue = new RawSignal(url, "rogue")) {
        await("a's signalling", 10_000, () -> a.room.signalingConnected() == 1);
        String to = a.room.peerId();
        // 1. an offer that is not SDP: the connection is refused and dropped
        rogue.publish(
            "rogue", signal("rogue-1", to, 1, Map.of("type", "offer", "sdp", "this is not SDP")));
        // 2. a signal with nothing in it, and one with a candidate for a peer that never offered
        rogue.publish("rogue", signal("rogue-2", to, 1, Map.of("type", "nothing")));
        rogue.publish(
            "rogue",
            signal(
                "rogue-3",
                to,
                1,
                Map.of(
                    "type",
                    "candidate",
                    "candidate",
                    Map.of(
                        "candidate",
                        "candidate:1 1 udp 1 127.0.0.1 9 typ host",
                        "sdpMLineIndex",
                        0,
                        "sdpMid",
                        "0"))));
        // 3. a real offer whose peer never answers ICE: the connection times out (3 s here)
        List<Map<String, Object>> offer = new CopyOnWriteArrayList<>();
        Loop loop = new Loop("rogue-loop");
        NativeRuntime.Lease lease = NativeRuntime.acquire();
        try {
          CompletableFuture<PeerLink> link = new CompletableFuture<>();
          loop.post(
              () ->
                  link.complete(
                      new PeerLink(
                          lease.factory(),
                          new dev.onvoid.webrtc.RTCConfiguration(),
                          true,
                          loop,
                          0,
                          new PeerLink.Events() {
                            @Override
                            public void signal(Map<String, Object> sig) {
                              if ("offer".equals(sig.get("type"))) {
                                offer.add(sig);
                              }
                            }

                            @Override
                            public void connected() {}

                            @Override
                            public void data(byte[] message) {}

                            @Override
                            public void closed(String reason) {}
                          })));
          PeerLink silent = link.get(10, TimeUnit.SECONDS);
          await("the rogue's offer", 10_000, () -> !offer.isEmpty());
          rogue.publish("rogue", signal("rogue-4", to, 2, offer.get(0)));
          await(
              "a to give up on rogue-4",
              20_000,
              () -> a.ended.stream().anyMatch(e -> e.startsWith("rogue-4")));
          loop.post(() -> silent.destroy(null));
        } finally {
          loop.shutdown(5000);
          lease.close();
        }
        assertTrue(
            a.ended.stream()
                .anyMatch(e -> e.startsWith("rogue-1: could not set remote description")),
            a.ended.toString());
        assertTrue(
            a.ended.stream()
                .anyMatch(e -> e.startsWith("rogue-2: signal() called with invalid signal data")),
            a.ended.toString());
        assertTrue(
            a.ended.stream().anyMatch(e -> e.startsWith("rogue-4: not connected within 3000 ms")),
            a.ended.toString());
        // the room still works: a real peer connects and syncs
        a.doc.getMap("m").set("k", "still here");
        try (Peer b = new Peer(url, "rogue", null)) {
          await("b to sync with a", 30_000, () -> "still here".equals(b.doc.getMap("m").get("k")));
        }
      }
    }
  }

  @Test
  void malformedDataChannelMessagesCloseOnlyThatConnection() throws Exception {
    try (SyncServer s = server(0)) {
      String url = "ws://127.0.0.1:" + s.port() + "/signal";
      try (Peer a = new Peer(url, "garbage", null);
          Peer bad = new Peer(url, "garbage", null)) {
        a.doc.getMap("m").set("k", "v");
        await(
            "a and bad to sync",
            30_000,
            () -> !bad.syncedWith.isEmpty() && !a.syncedWith.isEmpty());
        byte[] before = Updates.encodeStateAsUpdate(a.doc);
        List<byte[]> garbage = new ArrayList<>();
        garbage.add(new byte[] {0, 2, 5, 1, 2, 3}); // an update whose payload is not an update
        garbage.add(new byte[] {0, 9}); // unknown sync message type
        garbage.add(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // truncated awareness
        for (byte[] g : garbage) {
          int endedBefore = a.ended.size();
          int connectedBefore = a.connected.size();
          bad.room.broadcastRaw(g);
          await("a to close the connection to bad", 20_000, () -> a.ended.size() > endedBefore);
          assertTrue(
              a.ended.get(a.ended.size() - 1).endsWith("malformed message"), a.ended.toString());
          // both announce again; they connect again
          await("a and bad to reconnect", 30_000, () -> a.connected.size() > connectedBefore);
        }
        assertArrayEquals(
            before, Updates.encodeStateAsUpdate(a.doc), "a malformed message changed the document");
        a.doc.getMap("m").set("k2", "v2");
        await(
            "the good update still reaches bad",
            20_000,
            () -> "v2".equals(bad.doc.getMap("m").get("k2")));
      }
    }
  }
}
