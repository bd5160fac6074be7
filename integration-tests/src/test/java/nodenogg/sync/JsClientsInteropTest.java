package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.client.YWebsocketClient;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.TokenAuthHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real JS clients — {@code @hocuspocus/provider} 4.8.0, 2.15.3 (what the web app pins) and the
 * y-websocket client — against our server on SQLite, editing concurrently with our Java clients.
 */
class JsClientsInteropTest {
  private static final ClientOptions FAST =
      ClientOptions.defaults()
          .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
          .withSeed(11);

  @TempDir Path data;

  private SyncServer server() throws Exception {
    return SyncServer.builder()
        .port(0)
        .store(SqliteUpdateStore.openDirectory(data, SyncServer.defaultStoreOptions()))
        .hooks(new TokenAuthHooks("secret", "viewer", null))
        .build()
        .start();
  }

  private static String cfg(
      String kind,
      String url,
      List<String> docs,
      String token,
      String name,
      int count,
      String expect) {
    return "{\"kind\":\""
        + kind
        + "\",\"url\":\""
        + url
        + "\",\"docs\":[\""
        + String.join("\",\"", docs)
        + "\"],\"token\":\""
        + token
        + "\",\"name\":\""
        + name
        + "\",\"count\":"
        + count
        + ",\"expect\":"
        + expect
        + ",\"timeoutMs\":"
        + Await.scaled(30000)
        + "}";
  }

  @Test
  void hocuspocus4And2AndYWebsocketClientsConvergeWithJavaClients() throws Exception {
    NodeProcess.jsDir();
    try (SyncServer s = server()) {
      String hp = "ws://127.0.0.1:" + s.port() + "/sync";
      String yw = "ws://127.0.0.1:" + s.port();
      String expect = "{\"a\":25,\"b\":15}";
      List<NodeProcess> js = new ArrayList<>();
      try {
        js.add(
            new NodeProcess(
                "client.mjs", cfg("hp4", hp, List.of("a", "b"), "secret", "hp4", 5, expect)));
        js.add(
            new NodeProcess(
                "client.mjs", cfg("hp2", hp, List.of("a", "b"), "secret", "hp2", 5, expect)));
        js.add(
            new NodeProcess(
                "client.mjs", cfg("yws", yw, List.of("a"), "secret", "yws", 5, expect)));
        JavaPeer ja = new JavaPeer();
        JavaPeer jb = new JavaPeer();
        JavaPeer jy = new JavaPeer();
        try (HocuspocusClient c = HocuspocusClient.connect(URI.create(hp), FAST);
            YWebsocketClient y =
                YWebsocketClient.connect(
                    URI.create(yw),
                    "a",
                    jy.sync,
                    new Awareness(jy.doc.clientId()),
                    "secret",
                    FAST)) {
          HocuspocusDocument da = c.open("a", ja.sync, new Awareness(ja.doc.clientId()), "secret");
          HocuspocusDocument db = c.open("b", jb.sync, null, "secret");
          Await.get(da.whenSynced(), 10000);
          Await.get(db.whenSynced(), 10000);
          Await.get(y.whenSynced(), 10000);
          ja.write("jhp", 5);
          jb.write("jhp", 5);
          jy.write("jyw", 5);
          for (NodeProcess p : js) {
            assertEquals(0, p.awaitExit(40_000), "JS client failed: " + p.lines);
          }
          Await.until(
              () -> "Java peers converge: a=" + ja.size() + " b=" + jb.size() + " y=" + jy.size(),
              10_000,
              () -> ja.size() == 25 && jb.size() == 15 && jy.size() == 25);
          Await.until(
              "Java changes acknowledged",
              10_000,
              () -> da.unsyncedChanges() == 0 && db.unsyncedChanges() == 0);
          String a = ja.json();
          String b = jb.json();
          assertEquals(a, jy.json());
          for (NodeProcess p : js) {
            assertEquals(a, p.result("a"), "doc a differs in " + p.lines);
          }
          assertEquals(b, js.get(0).result("b"));
          assertEquals(b, js.get(1).result("b"));
          assertTrue(
              a.contains("\"hp2-4\":4") && a.contains("\"yws-0\":0") && a.contains("\"jyw-4\":4"));
        }
      } finally {
        js.forEach(NodeProcess::close);
      }
    }
  }

  @Test
  void providerWithoutTokenIsServedWhenNoTokenIsRequired() throws Exception {
    NodeProcess.jsDir();
    try (SyncServer s = SyncServer.builder().port(0).implicitAuthentication(true).build().start()) {
      String hp = "ws://127.0.0.1:" + s.port() + "/sync";
      try (NodeProcess two =
              new NodeProcess(
                  "client.mjs",
                  "{\"kind\":\"hp2\",\"url\":\""
                      + hp
                      + "\",\"docs\":[\"open\"],\"noToken\":true,\"name\":\"two\",\"count\":3,\"expect\":6,\"timeoutMs\":"
                      + Await.scaled(20000)
                      + "}");
          NodeProcess four =
              new NodeProcess(
                  "client.mjs",
                  "{\"kind\":\"hp4\",\"url\":\""
                      + hp
                      + "\",\"docs\":[\"open\"],\"name\":\"four\",\"count\":3,\"expect\":6,\"timeoutMs\":"
                      + Await.scaled(20000)
                      + "}")) {
        assertEquals(0, two.awaitExit(30_000), String.valueOf(two.lines));
        assertEquals(0, four.awaitExit(30_000), String.valueOf(four.lines));
        assertEquals(four.result("open"), two.result("open"));
        assertTrue(two.result("open").contains("\"four-2\":2"));
      }
    }
  }

  @Test
  void rejectedTokenAndReadOnlyTokenWithTheRealProvider() throws Exception {
    NodeProcess.jsDir();
    try (SyncServer s = server()) {
      String hp = "ws://127.0.0.1:" + s.port() + "/sync";
      try (NodeProcess denied =
              new NodeProcess(
                  "client.mjs",
                  "{\"kind\":\"hp4\",\"url\":\""
                      + hp
                      + "\",\"docs\":[\"a\"],\"token\":\"wrong\",\"name\":\"x\","
                      + "\"expectDenied\":true,\"timeoutMs\":"
                      + Await.scaled(15000)
                      + "}");
          NodeProcess denied2 =
              new NodeProcess(
                  "client.mjs",
                  "{\"kind\":\"hp2\",\"url\":\""
                      + hp
                      + "\",\"docs\":[\"a\"],\"token\":\"wrong\",\"name\":\"x\","
                      + "\"expectDenied\":true,\"timeoutMs\":"
                      + Await.scaled(15000)
                      + "}");
          NodeProcess ro =
              new NodeProcess(
                  "client.mjs",
                  "{\"kind\":\"hp4\",\"url\":\""
                      + hp
                      + "\",\"docs\":[\"a\"],\"token\":\"viewer\",\"name\":\"ro\","
                      + "\"count\":3,\"expectReadOnly\":true,\"timeoutMs\":"
                      + Await.scaled(15000)
                      + "}")) {
        assertEquals(0, denied.awaitExit(20_000), String.valueOf(denied.lines));
        assertTrue(
            denied.lines.contains("DENIED a permission-denied"), String.valueOf(denied.lines));
        assertEquals(0, denied2.awaitExit(20_000), String.valueOf(denied2.lines));
        assertTrue(
            denied2.lines.contains("DENIED a permission-denied"), String.valueOf(denied2.lines));
        assertEquals(0, ro.awaitExit(20_000), String.valueOf(ro.lines));
        String line =
            ro.lines.stream().filter(l -> l.startsWith("READONLY a")).findFirst().orElseThrow();
        assertFalse(
            line.endsWith("UNSYNCED 0"), "read-only changes must stay unacknowledged: " + line);
      }
      // the read-only writes did not reach the document
      JavaPeer check = new JavaPeer();
      try (HocuspocusClient c = HocuspocusClient.connect(URI.create(hp), FAST)) {
        Await.get(c.open("a", check.sync, null, "secret").whenSynced(), 10000);
        assertEquals(0, check.size(), check.json());
      }
    }
  }
}
