package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nodenogg.persistence.postgres.PostgresServer;
import nodenogg.persistence.postgres.PostgresUpdateStore;
import nodenogg.persistence.yjs.YjsStorage;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.server.cluster.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of one of three {@code ./microcosm serve --redis --postgres} processes while 20 clients
 * spread over the three write: the dead instance's clients move to another one; every update any
 * client saw acknowledged is in PostgreSQL and in every live client, and all converge.
 */
class ClusterKillTest {
  private static final int CLIENTS = 20;
  private static final int ROUNDS = 60;
  private static final int KILL_AT = 20;
  private static final ClientOptions FAST =
      ClientOptions.defaults()
          .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
          .withSeed(17);

  @TempDir Path dir;

  @Test
  void killingAnInstanceLosesNothingAcknowledged() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String pg = PostgresServer.shared().createDatabase();
      List<ServeProcess> instances = new ArrayList<>();
      List<HocuspocusClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          instances.add(
              new ServeProcess(
                  Map.of(),
                  dir.resolve("serve-" + i + ".log"),
                  List.of(
                      "--host",
                      "127.0.0.1",
                      "--port",
                      "0",
                      "--redis",
                      redis.uri().toString(),
                      "--postgres",
                      pg,
                      "--instance-id",
                      "node-" + i)));
        }
        List<URI> urls = new ArrayList<>();
        for (ServeProcess p : instances) {
          urls.add(URI.create("ws://127.0.0.1:" + p.awaitPort() + "/sync"));
        }
        List<JavaPeer> peers = new ArrayList<>();
        List<HocuspocusDocument> docs = new ArrayList<>();
        for (int k = 0; k < CLIENTS; k++) {
          List<URI> mine = new ArrayList<>();
          for (int j = 0; j < 3; j++) {
            mine.add(urls.get((k + j) % 3)); // spread: client k starts on instance k % 3
          }
          JavaPeer p = new JavaPeer();
          HocuspocusClient c = HocuspocusClient.connect(mine, FAST);
          clients.add(c);
          peers.add(p);
          docs.add(c.open("kill9", p.sync, null, ""));
        }
        for (HocuspocusDocument d : docs) {
          Await.get(d.whenSynced(), 20_000);
        }
        int[] ackedUpTo = new int[CLIENTS];
        java.util.Arrays.fill(ackedUpTo, -1);
        for (int r = 0; r < ROUNDS; r++) {
          if (r == KILL_AT) {
            instances.get(0).kill9();
          }
          for (int k = 0; k < CLIENTS; k++) {
            peers.get(k).doc.getMap("notes").set("c" + k + "-" + r, r);
          }
          Thread.sleep(30);
          if (r < KILL_AT) {
            // before the kill, give the acknowledgements time to arrive (a loaded machine takes
            // longer than
            // 30 ms), so the check below has acknowledged updates to check; the deadline only
            // bounds the wait
            long end = System.currentTimeMillis() + Await.scaled(500);
            while (docs.stream().anyMatch(d -> d.unsyncedChanges() > 0)
                && System.currentTimeMillis() < end) {
              Thread.sleep(5);
            }
          }
          for (int k = 0; k < CLIENTS; k++) {
            if (docs.get(k).unsyncedChanges() == 0) {
              ackedUpTo[k] = r; // everything written so far is acknowledged
            }
          }
        }
        int[] acked = ackedUpTo.clone();
        // the instance that was killed held clients 0, 3, 6, ...: they moved on
        for (int k = 0; k < CLIENTS; k += 3) {
          HocuspocusClient c = clients.get(k);
          Await.until(
              () -> "client moved off the dead instance: " + c.currentUri(),
              20_000,
              () -> !c.currentUri().equals(urls.get(0)));
        }
        // what was acknowledged during the run is in PostgreSQL already
        Map<String, Object> stored = stored(pg);
        int checked = 0;
        for (int k = 0; k < CLIENTS; k++) {
          for (int r = 0; r <= acked[k]; r++) {
            int kk = k;
            assertTrue(
                stored.containsKey("c" + k + "-" + r),
                () ->
                    "acknowledged c"
                        + kk
                        + "-"
                        + " up to "
                        + acked[kk]
                        + " is in PostgreSQL; stored of this client: "
                        + stored.keySet().stream()
                            .filter(x -> x.startsWith("c" + kk + "-"))
                            .sorted()
                            .toList()
                        + "; all acked "
                        + java.util.Arrays.toString(acked)
                        + " pending "
                        + pendingInfo(pg));
            checked++;
          }
        }
        assertTrue(
            checked > CLIENTS * KILL_AT / 2,
            "enough acknowledged updates were checked: " + checked);
        // then everything is acknowledged, and every live client and the store hold the same
        // document
        for (int k = 0; k < CLIENTS; k++) {
          HocuspocusDocument d = docs.get(k);
          JavaPeer p = peers.get(k);
          Await.until(
              () ->
                  "converged and acknowledged: "
                      + p.size()
                      + " notes, "
                      + d.unsyncedChanges()
                      + " unsynced",
              60_000,
              () -> p.size() == CLIENTS * ROUNDS && d.unsyncedChanges() == 0);
        }
        String json = peers.get(0).json();
        for (JavaPeer p : peers) {
          assertEquals(json, p.json());
        }
        JavaPeer fromStore = new JavaPeer();
        try (PostgresUpdateStore s = PostgresUpdateStore.open(pg)) {
          YjsStorage.load(s, fromStore.doc, "kill9");
        }
        assertEquals(json, fromStore.json(), "PostgreSQL holds every update");
      } finally {
        clients.forEach(HocuspocusClient::close);
        for (ServeProcess p : instances) {
          p.process.destroyForcibly();
        }
      }
    }
  }

  private static String pendingInfo(String pg) {
    nodenogg.crdt.Doc d = new nodenogg.crdt.Doc();
    try (PostgresUpdateStore s = PostgresUpdateStore.open(pg)) {
      YjsStorage.load(s, d, "kill9");
      return "hasPending=" + d.hasPending() + " rows=" + s.info("kill9");
    }
  }

  private static Map<String, Object> stored(String pg) {
    JavaPeer p = new JavaPeer();
    try (PostgresUpdateStore s = PostgresUpdateStore.open(pg)) {
      YjsStorage.load(s, p.doc, "kill9");
    }
    return p.doc.getMap("notes").toJSON();
  }
}
