package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.client.YWebsocketClient;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;

/**
 * The Java clients given several server URLs: they skip one that refuses connections, stay on one
 * that works, and when it goes away move to the next and resync there, so the next server ends up
 * with every change — those made before, during and after the switch — and acknowledges them all.
 * (The servers here share nothing, which is the hardest case for a resync: the second one starts
 * empty.)
 */
class ClientFailoverTest {
  private static final ClientOptions FAST =
      ClientOptions.defaults()
          .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
          .withSeed(11);

  private static int deadPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort(); // closed again: connections are refused
    }
  }

  private static SyncServer server() throws Exception {
    return SyncServer.builder()
        .host("127.0.0.1")
        .port(0)
        .store(new InMemoryUpdateStore())
        .implicitAuthentication(true)
        .build()
        .start();
  }

  private static JavaPeer readBack(int port, String doc) throws Exception {
    JavaPeer check = new JavaPeer();
    try (HocuspocusClient c =
        HocuspocusClient.connect(URI.create("ws://127.0.0.1:" + port + "/sync"), FAST)) {
      Await.get(c.open(doc, check.sync, null, "").whenSynced(), 10_000);
    }
    return check;
  }

  @Test
  void hocuspocusClientSkipsADeadUrlThenFailsOverAndResyncsEverything() throws Exception {
    SyncServer a = server();
    try (SyncServer b = server()) {
      URI dead = URI.create("ws://127.0.0.1:" + deadPort() + "/sync");
      URI ua = URI.create("ws://127.0.0.1:" + a.port() + "/sync");
      URI ub = URI.create("ws://127.0.0.1:" + b.port() + "/sync");
      JavaPeer peer = new JavaPeer();
      try (HocuspocusClient c = HocuspocusClient.connect(List.of(dead, ua, ub), FAST)) {
        HocuspocusDocument d = c.open("failover", peer.sync, null, "");
        Await.get(d.whenSynced(), 10_000);
        assertEquals(ua, c.currentUri(), "the refused URL was skipped");
        peer.write("before", 20);
        Await.until("acknowledged by a", 10_000, () -> d.unsyncedChanges() == 0);
        a.close(); // the instance goes away
        peer.write("during", 10); // made while the client moves
        Await.until(
            () -> "moved to b, now " + c.currentUri(),
            10_000,
            () -> ub.equals(c.currentUri()) && d.isSynced());
        peer.write("after", 5);
        Await.until(
            () -> "everything acknowledged by b (" + d.unsyncedChanges() + " left)",
            10_000,
            () -> d.unsyncedChanges() == 0);
        JavaPeer onB = readBack(b.port(), "failover");
        assertEquals(35, onB.size());
        assertEquals(peer.json(), onB.json());
      }
    } finally {
      a.close();
    }
  }

  @Test
  void changesMadeWhileNoServerIsReachableStayCountedUntilOneAcknowledgesThem() throws Exception {
    SyncServer a = server();
    int portA = a.port();
    JavaPeer peer = new JavaPeer();
    try (HocuspocusClient c =
        HocuspocusClient.connect(List.of(URI.create("ws://127.0.0.1:" + portA + "/sync")), FAST)) {
      HocuspocusDocument d = c.open("offline", peer.sync, null, "");
      Await.get(d.whenSynced(), 10_000);
      a.close();
      Await.until("disconnected", 10_000, () -> !d.isAuthenticated());
      peer.write("offline", 3);
      assertTrue(
          d.unsyncedChanges() > 0, "offline edits are not acknowledged: " + d.unsyncedChanges());
    } finally {
      a.close();
    }
  }

  @Test
  void yWebsocketClientFailsOverAndResyncs() throws Exception {
    SyncServer a = server();
    try (SyncServer b = server()) {
      JavaPeer peer = new JavaPeer();
      try (YWebsocketClient c =
          YWebsocketClient.connect(
              List.of(
                  URI.create("ws://127.0.0.1:" + a.port()),
                  URI.create("ws://127.0.0.1:" + b.port())),
              "room-f",
              peer.sync,
              null,
              null,
              FAST)) {
        Await.get(c.whenSynced(), 10_000);
        peer.write("x", 10);
        a.close();
        peer.write("y", 10);
        Await.until(
            () -> "moved to b, now " + c.currentUri(),
            10_000,
            () -> c.currentUri().getPort() == b.port() && c.isSynced());
        JavaPeer onB = new JavaPeer();
        Await.until(
            "b has all 20",
            10_000,
            () -> {
              try (YWebsocketClient r =
                  YWebsocketClient.connect(
                      List.of(URI.create("ws://127.0.0.1:" + b.port())),
                      "room-f",
                      onB.sync,
                      null,
                      null,
                      FAST)) {
                Await.get(r.whenSynced(), 10_000);
              } catch (Exception e) {
                return false;
              }
              return onB.size() == 20;
            });
        assertEquals(peer.json(), onB.json());
      }
    } finally {
      a.close();
    }
  }
}
