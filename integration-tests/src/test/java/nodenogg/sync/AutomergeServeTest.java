package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import nodenogg.automerge.testing.AutomergeNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./microcosm serve --data DIR} in a child JVM with real automerge-repo 2.5.6 clients (Node)
 * on {@code /automerge}: client A creates documents, client B with an empty repo finds them and
 * edits, A sees the edit, an unknown URL is unavailable, ephemeral messages reach the other peer;
 * then kill -9, a restart on the same data directory, and a fresh client finds every document with
 * every change the server acknowledged.
 */
class AutomergeServeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void acknowledgedAutomergeRepoDocumentsSurviveKill9() throws Exception {
    AutomergeNode.dir();
    Path data = dir.resolve("data");
    Path log = dir.resolve("serve.log");
    JsonNode scenario;
    String storageId;
    try (ServeProcess p = new ServeProcess(data, log)) {
      int port = p.awaitPort();
      assertTrue(
          p.lines.stream().anyMatch(l -> l.contains("automerge-repo /automerge")),
          p.lines.toString());
      scenario =
          JSON.readTree(
              AutomergeNode.run(
                  "repo-scenario.mjs", "", "ws://127.0.0.1:" + port + "/automerge", "4", "25"));
      assertEquals("created by A", scenario.get("bFound").asText());
      assertEquals("from B", scenario.get("aSawB").asText());
      assertEquals("unavailable", scenario.get("unknown").asText());
      assertEquals("from B", scenario.get("ephemeral").get("hello").asText());
      storageId = scenario.get("storageId").asText();
      p.kill9(); // right after the last acknowledgement
    }
    try (ServeProcess again = new ServeProcess(data, log)) {
      int port = again.awaitPort();
      List<String> args = new ArrayList<>(List.of("ws://127.0.0.1:" + port + "/automerge"));
      for (JsonNode d : scenario.get("documents")) {
        args.add(d.get("url").asText());
      }
      JsonNode found =
          JSON.readTree(AutomergeNode.run("repo-find.mjs", "", args.toArray(new String[0])));
      assertEquals(scenario.get("documents").size(), found.size());
      for (int i = 0; i < found.size(); i++) {
        JsonNode want = scenario.get("documents").get(i);
        JsonNode got = found.get(i);
        assertEquals(
            want.get("heads"), got.get("heads"), "every acknowledged change of " + want.get("url"));
        assertEquals(want.get("doc"), got.get("doc"), "content of " + want.get("url"));
      }
      String status =
          new String(
              java.net
                  .URI
                  .create("http://127.0.0.1:" + port + "/status")
                  .toURL()
                  .openStream()
                  .readAllBytes(),
              java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(status.contains("automerge-repo"), status);
      // the same storage id after the restart (kept in the data directory)
      JsonNode again2 =
          JSON.readTree(
              AutomergeNode.run(
                  "repo-scenario.mjs", "", "ws://127.0.0.1:" + port + "/automerge", "0", "0"));
      assertEquals(storageId, again2.get("storageId").asText());
    }
  }
}
