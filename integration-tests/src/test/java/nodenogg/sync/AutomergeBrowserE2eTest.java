package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nodenogg.automerge.internal.EntityCodec;
import nodenogg.automerge.repo.RepoClient;
import nodenogg.automerge.testing.AutomergeNode;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * automerge-repo 2.5.6 in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core)
 * against our server's /automerge: page A creates a document, page B (its own empty repo) finds it
 * and replies, A sees the reply; then our Java client reads both from the server.
 */
class AutomergeBrowserE2eTest {
  private static final String CHROMIUM = "/usr/bin/chromium";

  @Test
  void automergeRepoInChromiumSyncsThroughOurServer() throws Exception {
    Assumptions.assumeTrue(
        new File(CHROMIUM).canExecute(),
        "Chromium is not installed at "
            + CHROMIUM
            + " (apt-get install -y chromium); browser e2e skipped");
    Path dir = AutomergeNode.dir();
    Assumptions.assumeTrue(
        Files.isDirectory(dir.resolve("../node_modules/playwright-core"))
            && Files.isDirectory(dir.resolve("../node_modules/esbuild")),
        "js/node_modules lacks playwright-core or esbuild");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String origin = "http://127.0.0.1:" + port;
    try (SyncServer server =
        SyncServer.builder()
            .host("127.0.0.1")
            .port(0)
            .allowedOrigins(List.of(origin))
            .store(new InMemoryUpdateStore())
            .build()
            .start()) {
      String url = "ws://127.0.0.1:" + server.port() + "/automerge";
      Process node =
          AutomergeNode.start(
              "browser-e2e.mjs",
              Map.of(),
              "--url",
              url,
              "--chromium",
              CHROMIUM,
              "--origin",
              origin);
      String out;
      String err;
      try {
        node.getOutputStream().close();
        assertTrue(node.waitFor(120, TimeUnit.SECONDS), "browser e2e did not finish in 120 s");
        out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        node.descendants().forEach(ProcessHandle::destroyForcibly);
        node.destroyForcibly();
      }
      assertEquals(0, node.exitValue(), "browser e2e failed: " + err + out);
      JsonNode r = new ObjectMapper().readTree(out);
      String note = r.get("note").asText();
      assertEquals(
          note, r.get("seenByB").asText(), "page B found page A's document through the server");
      assertEquals("reply from page B", r.get("doc").get("reply").asText(), "page A saw B's reply");
      try (RepoClient java = RepoClient.connect(URI.create(url))) {
        RepoClient.Handle h = java.find(r.get("url").asText()).get(20, TimeUnit.SECONDS);
        long end = System.currentTimeMillis() + 10_000;
        while (h.document().read(d -> EntityCodec.readRoot(d, "reply", null)) == null
            && System.currentTimeMillis() < end) {
          Thread.sleep(20);
        }
        Object seenNote = h.document().read(d -> EntityCodec.readRoot(d, "note", null));
        Object seenReply = h.document().read(d -> EntityCodec.readRoot(d, "reply", null));
        assertEquals(note, seenNote);
        assertEquals("reply from page B", seenReply);
      }
    }
  }
}
