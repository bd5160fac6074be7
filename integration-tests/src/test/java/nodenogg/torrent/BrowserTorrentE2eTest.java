package nodenogg.torrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.cluster.RedisCluster;
import nodenogg.sync.server.cluster.RedisServer;
import nodenogg.sync.server.tracker.TrackerStats;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * trystero in a real browser against our tracker: two Chromium pages (Debian's chromium driven by
 * playwright-core; js/torrent/browser-e2e.mjs) use {@code @trystero-p2p/torrent} 0.25.4 with {@code
 * relayConfig.urls} naming only {@code /announce} of the main server, find each other, connect over
 * WebRTC and exchange messages; then they edit one Yjs document concurrently over trystero actions
 * and converge; page B syncs that document to {@code /sync} (@hocuspocus/provider 2.15), and a Java
 * Hocuspocus client reads the same notes and title from the server. Once more with the pages on two
 * instances of a cluster (one real {@code redis-server}): each page's trystero knows only its own
 * instance's {@code /announce}, and they still find each other, because the swarm spans the
 * instances.
 */
class BrowserTorrentE2eTest {

  private static final String CHROMIUM = "/usr/bin/chromium";

  @Test
  void trysteroPeersMeetThroughOurTrackerAndBridgeToServerSync() throws Exception {
    run(null, false);
  }

  /**
   * With a room password trystero encrypts every SDP it sends through the tracker; relayed as is,
   * it still connects.
   */
  @Test
  void withARoomPassword() throws Exception {
    run("a room secret", false);
  }

  /**
   * Page A announces only to instance 1, page B only to instance 2 (issue 17): offers and the
   * answer cross Redis; page B syncs to instance 2 and the Java client reads the notes there (each
   * instance has its own memory store here: documents across instances are ClusterTest's subject).
   */
  @Test
  void pagesOnTwoInstancesOfAClusterMeet() throws Exception {
    run(null, true);
  }

  private static void run(String password, boolean cluster) throws Exception {
    Assumptions.assumeTrue(
        new File(CHROMIUM).canExecute(),
        "Chromium is not installed at "
            + CHROMIUM
            + " (apt-get install -y chromium); browser e2e skipped");
    String jsDir = System.getProperty("nodenogg.js.dir");
    Assumptions.assumeTrue(jsDir != null, "nodenogg.js.dir is not set: run through Maven");
    File js = new File(jsDir);
    Assumptions.assumeTrue(
        new File(js, "node_modules/playwright-core").isDirectory()
            && new File(js, "node_modules/esbuild").isDirectory()
            && new File(js, "node_modules/hocuspocus-provider-2").isDirectory()
            && new File(js, "torrent/node_modules/@trystero-p2p/torrent").isDirectory()
            && new File("/usr/bin/node").canExecute(),
        "node, js/node_modules (playwright-core, esbuild, provider) or js/torrent/node_modules missing (js/install.sh)");

    int[] ports = freePorts(2);
    String originA = "http://localhost:" + ports[0];
    String originB = "http://127.0.0.1:" + ports[1];
    String docName = "torrent-e2e-" + System.nanoTime();
    RedisServer redis = cluster ? RedisServer.start() : null;
    try (redis;
        SyncServer server = instance(redis, "e2e-1", originA, originB);
        SyncServer second = cluster ? instance(redis, "e2e-2", originA, originB) : null) {
      String base = "ws://127.0.0.1:" + server.port();
      String baseB = second == null ? base : "ws://127.0.0.1:" + second.port();
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  "/usr/bin/node",
                  new File(js, "torrent/browser-e2e.mjs").getPath(),
                  "--tracker",
                  base + "/announce",
                  "--tracker-b",
                  baseB + "/announce",
                  "--chromium",
                  CHROMIUM,
                  "--origins",
                  originA + "," + originB,
                  "--hocuspocus",
                  baseB + "/sync",
                  "--doc",
                  docName));
      if (password != null) {
        command.addAll(List.of("--password", password));
      }
      File err = File.createTempFile("torrent-e2e", ".err");
      String out;
      int exit;
      Process node =
          new ProcessBuilder(command).directory(new File(js, "torrent")).redirectError(err).start();
      try {
        node.getOutputStream().close();
        assertTrue(node.waitFor(150, TimeUnit.SECONDS), "browser e2e did not finish in 150 s");
        out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        exit = node.exitValue();
      } finally {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
      }
      String stderr = Files.readString(err.toPath());
      err.delete();
      assertEquals(0, exit, "browser e2e failed: " + stderr + out);
      System.out.println("browser torrent e2e: " + out);
      JsonNode result = new ObjectMapper().readTree(out);
      assertEquals(result.get("idA").asText(), result.get("messageInB").get("from").asText());
      assertEquals(result.get("idB").asText(), result.get("messageInA").get("from").asText());
      assertTrue(
          result.get("yjsReceived").get("A").asInt() > 0
              && result.get("yjsReceived").get("B").asInt() > 0,
          "Yjs updates crossed the trystero data channel both ways");
      assertTrue(result.get("hocuspocus").get("synced").asBoolean());

      // only our tracker brokered the connection: it relayed offers and the answer
      TrackerStats stats = server.tracker().stats();
      if (second == null) {
        assertTrue(stats.offersRelayed() >= 1 && stats.answersRelayed() >= 1, stats.toString());
      } else {
        // each page's tracker saw only its own page: whatever reached the other page crossed Redis
        TrackerStats statsB = second.tracker().stats();
        assertTrue(
            stats.cluster().forwarded() >= 1
                && statsB.cluster().forwarded() >= 1
                && stats.cluster().fromOtherInstances() >= 1
                && statsB.cluster().fromOtherInstances() >= 1,
            stats + " / " + statsB);
      }

      // a Java peer reads the microcosm the pages built over WebRTC
      JsonNode converged = result.get("converged");
      assertEquals(12, converged.get("notes").size());
      Doc doc = new Doc();
      try (HocuspocusClient client = HocuspocusClient.connect(URI.create(baseB + "/sync"))) {
        HocuspocusDocument d = client.open(docName, new DocSync(doc), null, "");
        d.whenSynced().get(10, TimeUnit.SECONDS);
        for (Iterator<Map.Entry<String, JsonNode>> it = converged.get("notes").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> note = it.next();
          assertEquals(
              note.getValue().asText(),
              doc.getMap("notes").get(note.getKey()),
              "note " + note.getKey());
        }
        assertEquals(converged.get("notes").size(), doc.getMap("notes").size());
        assertEquals(converged.get("title").asText(), doc.getText("title").toString());
      }
    }
  }

  /** A server for the pages' origins; with {@code redis}, one instance of a cluster on it. */
  private static SyncServer instance(RedisServer redis, String id, String originA, String originB)
      throws java.io.IOException {
    SyncServer.Builder b =
        SyncServer.builder().host("127.0.0.1").port(0).allowedOrigins(List.of(originA, originB));
    if (redis != null) {
      b.cluster(RedisCluster.builder(redis.uri()).instanceId(id).sharedStore(false).connect());
    }
    return b.build().start();
  }

  private static int[] freePorts(int n) throws java.io.IOException {
    ServerSocket[] sockets = new ServerSocket[n];
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
    return ports;
  }
}
