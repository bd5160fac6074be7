package nodenogg.earthstar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.earthstar.testing.TestServer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;

/**
 * The start of a {@code once} sync from our client: the server's DISCLOSE can reach the client
 * session before the JDK has handed over the opened socket. What the client answers then (its
 * opening RANGE_MSGs when it starts the reconciliation) must not be lost: it was, and the sync then
 * waited forever with heartbeats flowing.
 */
class OnceSyncStartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ShareKeypair share = ShareKeypair.generate("race");
  private final AuthorKeypair alice = AuthorKeypair.generate("alic");

  /**
   * A server that sends its DISCLOSE in the same instant the socket opens, then only heartbeats.
   */
  private static final class EagerServer extends WebSocketServer {
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final CountDownLatch started = new CountDownLatch(1);
    final String disclose;
    volatile WebSocket conn;

    EagerServer(String disclose) {
      super(new InetSocketAddress("127.0.0.1", 0));
      this.disclose = disclose;
    }

    @Override
    public void onOpen(WebSocket c, ClientHandshake handshake) {
      conn = c;
      c.send(disclose);
    }

    @Override
    public void onMessage(WebSocket c, String message) {
      received.add(message);
    }

    @Override
    public void onClose(WebSocket c, int code, String reason, boolean remote) {}

    @Override
    public void onError(WebSocket c, Exception ex) {}

    @Override
    public void onStart() {
      started.countDown();
    }
  }

  private static String kind(String text) throws Exception {
    return JSON.readTree(text).path("kind").asText();
  }

  @Test
  void theClientsFirstMessagesAreSentInOrderAndHeartbeatsAloneAreNotProgress() throws Exception {
    String salt = "7";
    ObjectNode d =
        JSON.createObjectNode().put("kind", "DISCLOSE").put("salt", salt).put("syncerId", "1");
    d.putArray("shares").add(Keys.sha256Base32(salt + share.shareAddress() + salt));
    d.putArray("formats").add("es.5");
    d.put("canRespond", false);
    EagerServer server = new EagerServer(d.toString());
    server.setReuseAddr(true);
    server.start();
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
        EarthstarPeer client =
            new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults())) {
      assertTrue(server.started.await(10, TimeUnit.SECONDS));
      client.replica(share.shareAddress()).set(alice, share.secret(), "/a", "one", null, null);
      client.fixSyncerId("9999999"); // greater than "1": the client starts the reconciliation
      SyncHandle h =
          client.sync("http://127.0.0.1:" + server.getPort() + "/earthstar/", SyncMode.ONCE);
      // our DISCLOSE first, then the opening of the reconciliation (LOWER_BOUND ... TERMINAL),
      // nothing lost
      assertEquals("DISCLOSE", kind(next(server, false)));
      JsonNode first = JSON.readTree(next(server, true));
      assertEquals("RANGE_MSG", first.path("kind").asText());
      assertEquals("LOWER_BOUND", first.path("message").path("type").asText());
      String type;
      do {
        JsonNode m = JSON.readTree(next(server, true));
        assertEquals("RANGE_MSG", m.path("kind").asText(), m.toString());
        type = m.path("message").path("type").asText();
      } while (!type.equals("TERMINAL"));
      // the server now only sends heartbeats: the sync stays open (no silence) but makes no
      // progress
      Thread heart =
          new Thread(
              () -> {
                try {
                  while (!Thread.currentThread().isInterrupted()) {
                    server.conn.send("{\"kind\":\"HEARTBEAT\"}");
                    Thread.sleep(200);
                  }
                } catch (Exception e) {
                  // stopped
                }
              });
      heart.setDaemon(true);
      heart.start();
      try {
        long waited = 0;
        while (h.millisWithoutProgress() < 1_500 && waited < 30_000) {
          Thread.sleep(100);
          waited += 100;
        }
        assertTrue(h.millisWithoutProgress() >= 1_500, "heartbeats are not progress");
        assertFalse(h.done().isDone(), "the connection is still open: " + h.done());
      } finally {
        heart.interrupt();
        h.cancel();
      }
    } finally {
      server.stop(1000);
    }
  }

  private static String next(EagerServer server, boolean skipHeartbeats) throws Exception {
    while (true) {
      String m = server.received.poll(30, TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("nothing from the client for 30 s");
      }
      if (!skipHeartbeats || !kind(m).equals("HEARTBEAT")) {
        return m;
      }
    }
  }

  @Test
  void manyOnceSyncsStartedByTheClientAllFinish() throws Exception {
    try (EarthstarStorage serverStore = EarthstarStorage.inMemory();
        EarthstarPeer serverPeer =
            new EarthstarPeer(serverStore, List.of(share.shareAddress()), SyncLimits.defaults());
        TestServer server = new TestServer(serverPeer)) {
      serverPeer.fixSyncerId("1000000");
      serverPeer
          .replica(share.shareAddress())
          .set(alice, share.secret(), "/server", "s", null, null);
      for (int i = 0; i < 20; i++) {
        try (EarthstarStorage store = EarthstarStorage.inMemory();
            EarthstarPeer client =
                new EarthstarPeer(store, List.of(share.shareAddress()), SyncLimits.defaults())) {
          client.fixSyncerId("9999999");
          client
              .replica(share.shareAddress())
              .set(alice, share.secret(), "/c/" + i, "c" + i, null, null);
          client.sync(server.url(), SyncMode.ONCE).done().get(60, TimeUnit.SECONDS);
          assertEquals(i + 2, client.replica(share.shareAddress()).size(), "round " + i);
        }
      }
      assertEquals(21, serverPeer.replica(share.shareAddress()).size());
    }
  }
}
