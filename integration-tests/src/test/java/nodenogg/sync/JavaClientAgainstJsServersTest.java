package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.ConnectionState;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.client.YWebsocketClient;
import nodenogg.sync.protocol.Awareness;
import org.junit.jupiter.api.Test;

/**
 * Our Java client against the real {@code @hocuspocus/server} 4.7.0 and {@code @y/websocket-server}
 * 0.1.1 on Node: converges with a real JS client, reconnects after the server restarts (the real
 * servers keep documents in memory only, so the restarted server starts empty) and delivers the
 * edits made while offline.
 */
class JavaClientAgainstJsServersTest {
  private static final ClientOptions FAST =
      ClientOptions.defaults()
          .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
          .withSeed(3);

  private static String cfg(String kind, String url, String name, int count, int expect) {
    return "{\"kind\":\""
        + kind
        + "\",\"url\":\""
        + url
        + "\",\"docs\":[\"doc\"],\"token\":\"t\",\"name\":\""
        + name
        + "\",\"count\":"
        + count
        + ",\"expect\":"
        + expect
        + ",\"timeoutMs\":"
        + Await.scaled(20000)
        + "}";
  }

  @Test
  void hocuspocusServer() throws Exception {
    NodeProcess server = new NodeProcess("hocuspocus-server.mjs");
    try {
      int port = server.awaitPort();
      String url = "ws://127.0.0.1:" + port;
      JavaPeer a = new JavaPeer();
      JavaPeer b = new JavaPeer();
      try (HocuspocusClient ca = HocuspocusClient.connect(URI.create(url), FAST);
          HocuspocusClient cb = HocuspocusClient.connect(URI.create(url), FAST)) {
        HocuspocusDocument da = ca.open("doc", a.sync, new Awareness(a.doc.clientId()), "t");
        HocuspocusDocument db = cb.open("doc", b.sync, null, "t");
        Await.get(da.whenSynced(), 10000);
        Await.get(db.whenSynced(), 10000);
        try (NodeProcess js = new NodeProcess("client.mjs", cfg("hp4", url, "js", 3, 13))) {
          a.write("ja", 5);
          b.write("jb", 5);
          assertEquals(0, js.awaitExit(30_000), String.valueOf(js.lines));
          Await.until("converged", 10_000, () -> a.size() == 13 && b.size() == 13);
          assertEquals(a.json(), js.result("doc"));
          assertEquals(a.json(), b.json());
          Await.until("acks from the real server", 10_000, () -> da.unsyncedChanges() == 0);
        }
        // restart the server on the same port; edit while it is down
        server.close();
        Await.until("client notices", 10_000, () -> ca.state() != ConnectionState.CONNECTED);
        a.write("offline", 4);
        server = new NodeProcess("hocuspocus-server.mjs", String.valueOf(port));
        server.awaitPort();
        Await.until(
            () -> "b gets a's offline edits after the restart: " + b.size(),
            20_000,
            () -> b.size() == 17);
        assertEquals(a.json(), b.json());
        try (NodeProcess js = new NodeProcess("client.mjs", cfg("hp4", url, "late", 0, 17))) {
          assertEquals(0, js.awaitExit(30_000), String.valueOf(js.lines));
          assertEquals(a.json(), js.result("doc"));
        }
      }
    } finally {
      server.close();
    }
  }

  @Test
  void yWebsocketServer() throws Exception {
    NodeProcess server = new NodeProcess("ywebsocket-server.mjs");
    try {
      int port = server.awaitPort();
      String url = "ws://127.0.0.1:" + port;
      JavaPeer a = new JavaPeer();
      Awareness aw = new Awareness(a.doc.clientId());
      aw.setLocalState(java.util.Map.of("user", "java"));
      try (YWebsocketClient ca =
          YWebsocketClient.connect(URI.create(url), "doc", a.sync, aw, null, FAST)) {
        Await.get(ca.whenSynced(), 10000);
        try (NodeProcess js = new NodeProcess("client.mjs", cfg("yws", url, "js", 3, 8))) {
          a.write("ja", 5);
          assertEquals(0, js.awaitExit(30_000), String.valueOf(js.lines));
          Await.until("converged", 10_000, () -> a.size() == 8);
          assertEquals(a.json(), js.result("doc"));
        }
        server.close();
        Await.until("client notices", 10_000, () -> ca.state() != ConnectionState.CONNECTED);
        a.write("offline", 2);
        server = new NodeProcess("ywebsocket-server.mjs", String.valueOf(port));
        server.awaitPort();
        Await.until("resynced", 20_000, ca::isSynced);
        try (NodeProcess js = new NodeProcess("client.mjs", cfg("yws", url, "late", 0, 10))) {
          assertEquals(0, js.awaitExit(30_000), String.valueOf(js.lines));
          assertEquals(a.json(), js.result("doc"));
        }
      }
    } finally {
      server.close();
    }
  }
}
