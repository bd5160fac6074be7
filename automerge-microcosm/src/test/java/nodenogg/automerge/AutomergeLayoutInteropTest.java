package nodenogg.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nodenogg.automerge.testing.AutomergeNode;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.microcosm.SchemaProfile;
import org.junit.jupiter.api.Test;

/**
 * The layout of docs/automerge-layout.md, both ways, against the real {@code @automerge/automerge}
 * 3.5.0 running the JavaScript reader and writer in {@code js/automerge/layout.mjs} (written from
 * the document).
 */
class AutomergeLayoutInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADA = "@aaaaaaaaaaaaaaa1";
  private static final String BOB = "@bbbbbbbbbbbbbbb2";

  private static JsonNode oracle(String cmd, Object input) throws Exception {
    return JSON.readTree(
        AutomergeNode.run("layout-oracle.mjs", JSON.writeValueAsString(input), cmd));
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] unb64(JsonNode n) {
    return Base64.getDecoder().decode(n.asText());
  }

  /** The entities a JS read returned, parsed with our E5 schema (so numbers compare by value). */
  private static Map<EntityLocation, Entity> entitiesOf(JsonNode read) {
    Map<EntityLocation, Entity> out = new TreeMap<>();
    read.get("entities")
        .fields()
        .forEachRemaining(
            f -> {
              EntityLocation loc = EntityLocation.parse(f.getKey()).orElseThrow();
              out.put(
                  loc,
                  SchemaProfile.E5.decodeEntity(
                      MicrocosmJson.toPlain(f.getValue()), loc.identityId()));
            });
    return out;
  }

  @Test
  void javaWritesJsReads() throws Exception {
    try (AutomergeMicrocosm m = AutomergeMicrocosm.inMemory("workshop")) {
      m.identify(ADA);
      Entity note =
          m.create(
              new HtmlData(
                  12.5, -40, 200, 150, "<p>Grüße 😀</p>", "green", List.of("idea", "draft")));
      Entity other = m.create(HtmlData.note(300, 0, ""));
      m.create(new ConnectionData(note.id(), other.id()));
      m.create(EmojiData.reaction("❤️", note.id(), 20, 30));
      m.update(
          EntityUpdate.move(other.id(), 310, 5),
          EntityUpdate.content(note.id(), "<p>Grüße 😀!</p>"));
      m.identify(BOB); // a registered, empty collection
      JsonNode read = oracle("read", Map.of("doc", b64(m.save())));
      assertEquals(1, read.get("layoutVersion").asInt());
      assertEquals("workshop", read.get("microcosmId").asText());
      assertEquals(List.of(ADA, BOB), JSON.convertValue(read.get("identities"), List.class));
      assertEquals(0, read.get("invalid").size(), read.toString());
      assertEquals(m.entities(), entitiesOf(read));
    }
  }

  @Test
  void jsWritesJavaReads() throws Exception {
    ObjectNode html = JSON.createObjectNode();
    html.put("id", "eaaaaaaaaaaaaaaa1")
        .put("identity_id", BOB)
        .put("version", "1")
        .put("created", 1_700_000_000_000L)
        .put("lastEdited", 1_700_000_000_500L);
    html.putObject("data")
        .put("type", "html")
        .put("x", 100)
        .put("y", 2.5)
        .put("width", 200)
        .put("height", 200)
        .put("content", "<p>from JS ✓</p>")
        .put("backgroundColor", "blue")
        .putArray("tags")
        .add("Hello ");
    ObjectNode emoji = JSON.createObjectNode();
    emoji
        .put("id", "ebbbbbbbbbbbbbbb2")
        .put("identity_id", BOB)
        .put("version", "1")
        .put("created", 5)
        .put("lastEdited", 6);
    emoji
        .putObject("data")
        .put("type", "emoji")
        .put("content", "👍")
        .put("x", 0)
        .put("y", -1)
        .put("parentNodeId", "eaaaaaaaaaaaaaaa1");
    ArrayNode entities = JSON.createArrayNode().add(html).add(emoji);
    JsonNode written =
        oracle("write", Map.of("microcosmId", "workshop", "identity", BOB, "entities", entities));
    try (AutomergeMicrocosm m = AutomergeMicrocosm.inMemory("workshop")) {
      m.applyChanges(unb64(written.get("doc")));
      assertEquals(List.of(BOB), m.getCollections());
      HtmlData h = m.getEntity(BOB, "eaaaaaaaaaaaaaaa1").orElseThrow().dataAs(HtmlData.class);
      assertEquals(
          new HtmlData(100, 2.5, 200, 200, "<p>from JS ✓</p>", "blue", List.of("hello")), h);
      assertEquals(
          1_700_000_000_500L, m.getEntity(BOB, "eaaaaaaaaaaaaaaa1").orElseThrow().lastEdited());
      assertEquals(
          new EmojiData("👍", 0, -1, "eaaaaaaaaaaaaaaa1"),
          m.getEntity(BOB, "ebbbbbbbbbbbbbbb2").orElseThrow().data());
      assertTrue(m.invalidValues().isEmpty(), m.invalidValues().toString());
      // and what JS reads of the same bytes is what we read
      assertEquals(
          m.entities(), entitiesOf(oracle("read", Map.of("doc", written.get("doc").asText()))));
    }
  }

  @Test
  void concurrentEditsInJavaAndJsMergeTheSameWay() throws Exception {
    try (AutomergeMicrocosm m = AutomergeMicrocosm.inMemory("workshop")) {
      m.identify(ADA);
      Entity note = m.create(HtmlData.note(0, 0, "<p>hello world</p>"));
      byte[] base = m.save();
      // JS (another device of ada) moves the note and edits its HTML at the end; Java edits the
      // middle
      String loc = note.location().toString();
      List<Object> actions =
          List.of(
              Map.of(
                  "op",
                  "update",
                  "location",
                  loc,
                  "changes",
                  Map.of("x", 50, "y", 60),
                  "now",
                  2_000_000_000_000L),
              Map.of(
                  "op",
                  "update",
                  "location",
                  loc,
                  "changes",
                  Map.of("content", "<p>hello world!</p>"),
                  "now",
                  2_000_000_000_001L));
      JsonNode js =
          oracle(
              "edit",
              Map.of(
                  "doc",
                  b64(base),
                  "microcosmId",
                  "workshop",
                  "identity",
                  ADA,
                  "actions",
                  actions));
      m.update(
          EntityUpdate.content(note.id(), "<p>hello brave world</p>"),
          EntityUpdate.resize(note.id(), 300, 100));
      byte[] javaSide = m.save();
      m.applyChanges(unb64(js.get("changes")));
      JsonNode merged =
          oracle("merge", Map.of("docs", List.of(js.get("doc").asText(), b64(javaSide))));
      Map<EntityLocation, Entity> jsRead =
          entitiesOf(oracle("read", Map.of("doc", merged.get("doc").asText())));
      assertEquals(m.entities(), jsRead, "both sides read the same entities");
      HtmlData d = m.getEntity(note.location()).orElseThrow().dataAs(HtmlData.class);
      assertEquals(
          new HtmlData(50, 60, 300, 100, "<p>hello brave world!</p>", null, null),
          d,
          "the move, the resize and both HTML edits survive");
    }
  }

  @Test
  void documentIdsMatchTheJavaScriptDerivation() throws Exception {
    for (String id : List.of("workshop", "a", "Zx81")) {
      assertEquals(
          AutomergeLayout.documentId(id),
          AutomergeNode.run("layout-oracle.mjs", "", "docid", id).trim());
    }
  }
}
