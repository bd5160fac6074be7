package nodenogg.signal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The whole path in a real browser against the main server ({@code ./microcosm serve}'s
 * SyncServer): two Chromium pages find each other through {@code /signal} on the main port and
 * exchange a note over a WebRTC data channel; the page that received it syncs the document to
 * {@code /sync} with the nodenogg.in web app's provider (@hocuspocus/provider 2.15); then a Java
 * Hocuspocus client reads the note back from the server.
 */
class BrowserSyncE2eTest {

  private static final String CHROMIUM = "/usr/bin/chromium";

  @Test
  void noteTravelsOverWebRtcThenHocuspocusToAJavaClient() throws Exception {
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
            && new File(js, "node_modules/hocuspocus-provider-2").isDirectory()
            && new File("/usr/bin/node").canExecute(),
        "node or js/node_modules (playwright-core, providers) missing");

    int[] ports = freePorts(2);
    String originA = "http://localhost:" + ports[0];
    String originB = "http://127.0.0.1:" + ports[1];
    String docName = "e2e-microcosm-" + System.nanoTime();
    try (SyncServer server =
        SyncServer.builder()
            .host("127.0.0.1")
            .port(0)
            .allowedOrigins(List.of(originA, originB))
            .build()
            .start()) {
      String base = "ws://127.0.0.1:" + server.port();
      List<String> command =
          new ArrayList<>(
              List.of(
                  "/usr/bin/node",
                  new File(js, "signal/browser-e2e.mjs").getPath(),
                  "--signal",
                  base + "/signal",
                  "--chromium",
                  CHROMIUM,
                  "--origins",
                  originA + "," + originB,
                  "--hocuspocus",
                  base + "/sync",
                  "--doc",
                  docName));
      File err = File.createTempFile("browser-e2e", ".err");
      String out;
      int exit;
      Process node =
          new ProcessBuilder(command).directory(new File(js, "signal")).redirectError(err).start();
      try {
        node.getOutputStream().close();
        assertTrue(node.waitFor(90, TimeUnit.SECONDS), "browser e2e did not finish in 90 s");
        out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        exit = node.exitValue();
      } finally {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
      }
      String stderr = Files.readString(err.toPath());
      err.delete();
      assertEquals(0, exit, "browser e2e failed: " + stderr + out);
      System.out.println("browser sync e2e: " + out);
      JsonNode result = new ObjectMapper().readTree(out);
      String note = result.get("note").asText();
      assertEquals(
          note, result.get("seenInB").asText(), "the note crossed the WebRTC data channel");
      assertTrue(result.get("hocuspocus").get("synced").asBoolean());

      // A Java peer reads the note from the server.
      Doc doc = new Doc();
      try (HocuspocusClient client = HocuspocusClient.connect(URI.create(base + "/sync"))) {
        HocuspocusDocument d = client.open(docName, new DocSync(doc), null, "");
        d.whenSynced().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (doc.getMap("notes").get("note-1") == null && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertEquals(note, doc.getMap("notes").get("note-1"));
        assertEquals("reply from B", doc.getMap("notes").get("note-2"));
      }
    }
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
