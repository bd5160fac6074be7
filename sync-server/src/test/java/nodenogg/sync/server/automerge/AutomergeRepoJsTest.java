package nodenogg.sync.server.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import nodenogg.automerge.AutomergeMicrocosm;
import nodenogg.automerge.AutomergeOptions;
import nodenogg.automerge.repo.RepoClient;
import nodenogg.automerge.testing.AutomergeNode;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;

/** Real automerge-repo 2.5.6 clients (Node) through our server's /automerge. */
class AutomergeRepoJsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void twoAutomergeRepoClientsShareDocumentsThroughOurServer() throws Exception {
    try (SyncServer server =
        SyncServer.builder().port(0).store(new InMemoryUpdateStore()).build().start()) {
      JsonNode out =
          JSON.readTree(
              AutomergeNode.run(
                  "repo-scenario.mjs",
                  "",
                  "ws://127.0.0.1:" + server.port() + "/automerge",
                  "2",
                  "10"));
      AutomergeRepoHandler h = (AutomergeRepoHandler) server.automergeHandler();
      assertEquals(h.peerId(), out.get("serverPeer").asText());
      assertEquals(h.storageId(), out.get("storageId").asText());
      assertEquals("created by A", out.get("bFound").asText(), "B found A's document");
      assertEquals("from B", out.get("aSawB").asText(), "A saw B's edit");
      assertEquals("unavailable", out.get("unknown").asText());
      assertEquals(
          "from B", out.get("ephemeral").get("hello").asText(), "the ephemeral message reached A");
      assertEquals(3, out.get("documents").size());
      assertTrue(
          h.store().list().size() >= 3,
          "every document it was sent is stored: " + h.store().list());
    }
  }

  /**
   * remote-heads-changed: JS client A (remote heads gossiping on) subscribes to the storage id of
   * JS client B, which it is not connected to; when B edits a document both have open, A learns B's
   * exact heads only through the server's remote-heads-changed message.
   */
  @Test
  void aSubscriberHearsAnotherPeersHeads() throws Exception {
    try (SyncServer server =
        SyncServer.builder().port(0).store(new InMemoryUpdateStore()).build().start()) {
      JsonNode out =
          JSON.readTree(
              AutomergeNode.run(
                  "repo-remote-heads.mjs", "", "ws://127.0.0.1:" + server.port() + "/automerge"));
      assertEquals(1, out.get("bHeads").size(), "B made one change on top of A's: " + out);
      assertEquals(out.get("bHeads"), out.get("aHeardHeads"), "A heard B's heads");
      assertTrue(out.get("events").asInt() >= 1, "A's handle emitted remote-heads for B: " + out);
      assertEquals("B", out.get("aDoc").get("by").asText());
    }
  }

  /**
   * An AutomergeMicrocosm (Java, through our RepoClient) and a JS automerge-repo peer (layout.mjs)
   * edit one microcosm at once through the server: the JS peer moves the Java note and adds a note,
   * Java edits the note's HTML and adds another; both end with the same entities.
   */
  @Test
  void aJavaMicrocosmAndAJsAutomergeRepoPeerEditOneMicrocosm() throws Exception {
    String ada = "@aaaaaaaaaaaaaaa1";
    try (SyncServer server =
        SyncServer.builder().port(0).store(new InMemoryUpdateStore()).build().start()) {
      String url = "ws://127.0.0.1:" + server.port() + "/automerge";
      try (RepoClient client = RepoClient.connect(URI.create(url));
          AutomergeMicrocosm m =
              AutomergeMicrocosm.open("workshop", AutomergeOptions.defaults().transport(client))) {
        client.ready().get(20, TimeUnit.SECONDS);
        m.identify(ada);
        Entity note = m.create(HtmlData.note(0, 0, "<p>hello</p>"));
        Process js =
            AutomergeNode.start(
                "repo-microcosm.mjs",
                Map.of(),
                url,
                "workshop",
                ada,
                note.location().toString(),
                "3",
                "<p>hello world</p>");
        m.update(EntityUpdate.content(note.id(), "<p>hello world</p>"));
        m.create(HtmlData.note(50, 50, "<p>java</p>"));
        String out =
            new String(js.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err =
            new String(js.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(
            js.waitFor(60, TimeUnit.SECONDS) && js.exitValue() == 0, "js peer failed: " + err);
        JsonNode read = JSON.readTree(out);
        long end = System.currentTimeMillis() + 20_000;
        while (m.entities().size() < 3 && System.currentTimeMillis() < end) {
          Thread.sleep(20);
        }
        Map<EntityLocation, Entity> jsEntities = new TreeMap<>();
        read.get("entities")
            .fields()
            .forEachRemaining(
                f -> {
                  EntityLocation loc = EntityLocation.parse(f.getKey()).orElseThrow();
                  jsEntities.put(
                      loc,
                      SchemaProfile.E5.decodeEntity(
                          MicrocosmJson.toPlain(f.getValue()), loc.identityId()));
                });
        end = System.currentTimeMillis() + 20_000;
        while (!m.entities().equals(jsEntities) && System.currentTimeMillis() < end) {
          Thread.sleep(20);
        }
        assertEquals(jsEntities, m.entities(), "both peers end with the same entities");
        HtmlData d = m.getEntity(note.location()).orElseThrow().dataAs(HtmlData.class);
        assertEquals(321, d.x(), "the JS move survived");
        assertEquals("<p>hello world</p>", d.content(), "the Java edit survived");
      }
    }
  }
}
