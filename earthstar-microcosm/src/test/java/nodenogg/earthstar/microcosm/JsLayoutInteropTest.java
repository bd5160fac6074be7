package nodenogg.earthstar.microcosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nodenogg.earthstar.AuthorKeypair;
import nodenogg.earthstar.EarthstarPeer;
import nodenogg.earthstar.EarthstarStorage;
import nodenogg.earthstar.ShareKeypair;
import nodenogg.earthstar.SyncLimits;
import nodenogg.earthstar.testing.JsPeer;
import nodenogg.earthstar.testing.TestServer;
import nodenogg.microcosm.Entities;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import org.junit.jupiter.api.Test;

/**
 * EarthstarMicrocosm and a real earthstar JS peer that writes and reads the documented layout with
 * its own code (js/earthstar/peer.mjs) edit one microcosm through our server and agree.
 */
class JsLayoutInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** identityId/id → data, as plain JSON (numbers compared as numbers). */
  private static Map<String, JsonNode> view(JsonNode entities) {
    Map<String, JsonNode> out = new TreeMap<>();
    entities.forEach(
        e ->
            out.put(
                e.get("identityId").asText() + "/" + e.get("id").asText(), normal(e.get("data"))));
    return out;
  }

  private static Map<String, JsonNode> view(EarthstarMicrocosm m) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (Entity e : m.entities().values()) {
      out.put(
          e.identityId() + "/" + e.id(), normal(JSON.valueToTree(Entities.dataAsMap(e.data()))));
    }
    return out;
  }

  private static JsonNode normal(JsonNode n) {
    try {
      return JSON.readTree(
          JSON.writeValueAsString(JSON.treeToValue(n, Object.class))
              .replace(".0,", ",")
              .replace(".0}", "}"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void javaAndJsEditOneMicrocosmAndAgree() throws Exception {
    ShareKeypair share = ShareKeypair.generate("workshop");
    AuthorKeypair javaAuthor = AuthorKeypair.generate("java");
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
        EarthstarPeer peer =
            new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults());
        TestServer server = new TestServer(peer);
        EarthstarMicrocosm m =
            new EarthstarMicrocosm(peer.replica(share.shareAddress()), javaAuthor, share.secret());
        JsPeer js = JsPeer.client(share, null)) {
      m.identify(m.authorIdentityId().orElseThrow());
      Entity javaNote = m.create(HtmlData.note(10, 20, "<p>from Java</p>"));
      String big = "<p>" + "x".repeat(9000) + "</p>";
      Entity bigNote = m.create(HtmlData.note(0, 0, big));
      js.call(
          JsPeer.cmd("note")
              .put("id", "ejsnote000000001a")
              .put("x", 5)
              .put("y", 6)
              .put("content", "<p>from JS</p>"),
          30);
      assertTrue(js.syncOnce(server.url(), 60).path("synced").asBoolean());
      assertEquals(view(m), view(js.call(JsPeer.cmd("microcosm"), 30).get("entities")));
      assertEquals(3, m.entities().size());
      assertEquals(
          big,
          m.getEntity(javaNote.identityId(), bigNote.id())
              .orElseThrow()
              .dataAs(HtmlData.class)
              .content());
      // both edit their own notes, then sync again
      js.call(JsPeer.cmd("move").put("id", "ejsnote000000001a").put("x", 300).put("y", 400), 30);
      m.update(EntityUpdate.content(javaNote.id(), "<p>edited in Java</p>"));
      assertTrue(js.syncOnce(server.url(), 60).path("synced").asBoolean());
      Map<String, JsonNode> jsView = view(js.call(JsPeer.cmd("microcosm"), 30).get("entities"));
      assertEquals(view(m), jsView);
      String jsIdentity =
          js.call(
                  JsPeer.cmd("note")
                      .put("id", "ejsnote000000002b")
                      .put("x", 1)
                      .put("y", 1)
                      .put("content", "again"),
                  30)
              .get("identityId")
              .asText();
      assertEquals(
          300,
          m.getEntity(jsIdentity, "ejsnote000000001a").orElseThrow().dataAs(HtmlData.class).x());
    }
  }
}
