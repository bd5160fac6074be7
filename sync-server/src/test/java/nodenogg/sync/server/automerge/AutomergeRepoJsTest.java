package nodenogg.sync.server.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nodenogg.automerge.testing.AutomergeNode;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;

/** Real automerge-repo 2.5.6 clients (Node) through our server's /automerge. */
class AutomergeRepoJsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void twoAutomergeRepoClientsShareDocumentsThroughOurServer() throws Exception {
    try (SyncServer server = SyncServer.builder().port(0).store(new InMemoryUpdateStore()).build().start()) {
      JsonNode out = JSON.readTree(AutomergeNode.run("repo-scenario.mjs", "",
          "ws://127.0.0.1:" + server.port() + "/automerge", "2", "10"));
      AutomergeRepoHandler h = (AutomergeRepoHandler) server.automergeHandler();
      assertEquals(h.peerId(), out.get("serverPeer").asText());
      assertEquals(h.storageId(), out.get("storageId").asText());
      assertEquals("created by A", out.get("bFound").asText(), "B found A's document");
      assertEquals("from B", out.get("aSawB").asText(), "A saw B's edit");
      assertEquals("unavailable", out.get("unknown").asText());
      assertEquals("from B", out.get("ephemeral").get("hello").asText(), "the ephemeral message reached A");
      assertEquals(3, out.get("documents").size());
      assertTrue(h.store().list().size() >= 3, "every document it was sent is stored: " + h.store().list());
    }
  }
}
