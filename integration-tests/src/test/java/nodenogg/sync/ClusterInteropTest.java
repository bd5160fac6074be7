package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import nodenogg.persistence.postgres.PostgresServer;
import nodenogg.sync.server.cluster.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * The proof against the real JavaScript libraries: real {@code @hocuspocus/provider} 4.8.0 and
 * 2.15.3 clients spread over two Java instances and one Node {@code @hocuspocus/server} 4.7.0 with
 * {@code @hocuspocus/extension-redis} 4.7.0, all on one {@code redis-server}, write one document
 * and end with identical content; real y-websocket clients on two Java instances likewise.
 */
class ClusterInteropTest {

  private static String cfg(
      String kind, String url, String doc, String name, int count, int expect) {
    return "{\"kind\":\""
        + kind
        + "\",\"url\":\""
        + url
        + "\",\"docs\":[\""
        + doc
        + "\"],\"name\":\""
        + name
        + "\",\"count\":"
        + count
        + ",\"expect\":"
        + expect
        + ",\"settleMs\":500,\"timeoutMs\":"
        + Await.scaled(30000)
        + "}";
  }

  @Test
  void hocuspocusProvidersOnTwoJavaInstancesAndANodeInstanceWithExtensionRedisConverge()
      throws Exception {
    NodeProcess.jsDir();
    try (RedisServer redis = RedisServer.start()) {
      String pg = PostgresServer.shared().createDatabase();
      try (ClusterTest.Instance a = new ClusterTest.Instance(redis, pg, "java-1");
          ClusterTest.Instance b = new ClusterTest.Instance(redis, pg, "java-2");
          NodeProcess node =
              NodeProcess.in(
                  "scale", "redis-hocuspocus.mjs", String.valueOf(redis.port()), "node-1")) {
        String nodeUrl = "ws://127.0.0.1:" + node.awaitPort();
        String ua = a.sync().toString();
        String ub = b.sync().toString();
        List<NodeProcess> clients = new ArrayList<>();
        try {
          clients.add(new NodeProcess("client.mjs", cfg("hp4", ua, "shared", "hp4-java1", 10, 60)));
          clients.add(new NodeProcess("client.mjs", cfg("hp2", ub, "shared", "hp2-java2", 10, 60)));
          clients.add(
              new NodeProcess("client.mjs", cfg("hp4", nodeUrl, "shared", "hp4-node", 10, 60)));
          clients.add(
              new NodeProcess("client.mjs", cfg("hp2", nodeUrl, "shared", "hp2-node", 10, 60)));
          clients.add(new NodeProcess("client.mjs", cfg("hp2", ua, "shared", "hp2-java1", 10, 60)));
          clients.add(new NodeProcess("client.mjs", cfg("hp4", ub, "shared", "hp4-java2", 10, 60)));
          String first = null;
          for (NodeProcess c : clients) {
            assertEquals(0, c.awaitExit(60_000), String.valueOf(c.lines));
            String r = c.result("shared");
            if (first == null) {
              first = r;
            }
            assertEquals(first, r, "every provider ends with the same document");
          }
          // a Java client on a Java instance reads the same content
          JavaPeer check = new JavaPeer();
          try (nodenogg.sync.client.HocuspocusClient c =
              nodenogg.sync.client.HocuspocusClient.connect(URI.create(ua))) {
            Await.get(c.open("shared", check.sync, null, "").whenSynced(), 10_000);
          }
          assertEquals(60, check.size());
          assertEquals(first, check.json());
        } finally {
          clients.forEach(NodeProcess::close);
        }
      }
    }
  }

  @Test
  void yWebsocketClientsOnTwoJavaInstancesConverge() throws Exception {
    NodeProcess.jsDir();
    try (RedisServer redis = RedisServer.start()) {
      String pg = PostgresServer.shared().createDatabase();
      try (ClusterTest.Instance a = new ClusterTest.Instance(redis, pg, "yws-1");
          ClusterTest.Instance b = new ClusterTest.Instance(redis, pg, "yws-2")) {
        String ua = "ws://127.0.0.1:" + a.server.port();
        String ub = "ws://127.0.0.1:" + b.server.port();
        try (NodeProcess c1 =
                new NodeProcess("client.mjs", cfg("yws", ua, "room-x", "y1", 10, 30));
            NodeProcess c2 = new NodeProcess("client.mjs", cfg("yws", ub, "room-x", "y2", 10, 30));
            NodeProcess c3 =
                new NodeProcess("client.mjs", cfg("yws", ub, "room-x", "y3", 10, 30))) {
          assertEquals(0, c1.awaitExit(60_000), String.valueOf(c1.lines));
          assertEquals(0, c2.awaitExit(60_000), String.valueOf(c2.lines));
          assertEquals(0, c3.awaitExit(60_000), String.valueOf(c3.lines));
          assertEquals(c1.result("room-x"), c2.result("room-x"));
          assertEquals(c1.result("room-x"), c3.result("room-x"));
        }
      }
    }
  }
}
