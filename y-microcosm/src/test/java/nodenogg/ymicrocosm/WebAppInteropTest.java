package nodenogg.ymicrocosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.ymicrocosm.testing.NodeSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interop with the real yjs: documents built as the web app writes them are read identically, and
 * what Java writes passes the app's E5 rules where the app looks (js/microcosm/*.mjs).
 */
class WebAppInteropTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** JSON trees compared with JS number semantics (200 == 200.0). */
  static JsonNode normal(Object plainOrNode) {
    Object plain = plainOrNode instanceof JsonNode n ? MicrocosmJson.toPlain(n) : plainOrNode;
    return MicrocosmJson.toNode(plain);
  }

  @ParameterizedTest
  @EnumSource(SchemaProfile.class)
  void readsTheDocumentTheWebAppWrites(SchemaProfile profile) throws Exception {
    JsonNode out = JSON.readTree(NodeSupport.run("app-doc.mjs", "", profile.name().toLowerCase()));
    try (YMicrocosm m = YMicrocosm.open("workshop", MicrocosmOptions.defaults().profile(profile))) {
      m.applyUpdate(Base64.getDecoder().decode(out.get("update").asText()));
      int expectedCount = 0;
      for (Map.Entry<String, JsonNode> c : out.get("expected").properties()) {
        for (Map.Entry<String, JsonNode> e : c.getValue().properties()) {
          expectedCount++;
          Entity read =
              m.getEntity(c.getKey(), e.getKey())
                  .orElseThrow(
                      () ->
                          new AssertionError("Java did not read " + c.getKey() + "/" + e.getKey()));
          assertEquals(
              normal(e.getValue()),
              normal(profile.encodeEntity(read)),
              c.getKey() + "/" + e.getKey());
        }
      }
      assertEquals(
          expectedCount, m.entities().size(), "no extra entities (deleted/unlisted are invisible)");
      assertEquals(List.of("@kx3aaaaaaaaaaaa1", "@kx3bbbbbbbbbbbb2"), m.getCollections());
      Set<String> skipped = new HashSet<>();
      for (InvalidValue v : m.invalidValues()) {
        skipped.add(v.collection() + "/" + v.key());
      }
      Set<String> expectedSkipped = new HashSet<>();
      out.get("invalid")
          .forEach(pair -> expectedSkipped.add(pair.get(0).asText() + "/" + pair.get(1).asText()));
      assertEquals(expectedSkipped, skipped);
      // presence published by the app's join()
      m.awareness().applyUpdate(Base64.getDecoder().decode(out.get("awareness").asText()), "js");
      assertEquals(1, m.state().joinedCount());
      Identity who = m.state().identities().get(0).identity();
      assertEquals("@kx3aaaaaaaaaaaa1", who.id());
      assertEquals("Alice", who.nickname());
      assertEquals(
          out.get("presence").get("timestamp").asLong(), m.state().identities().get(0).timestamp());
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaProfile.class)
  void writesWhatTheWebAppReads(SchemaProfile profile) throws Exception {
    String me = "@javaaaaaaaaaaaa1";
    try (YMicrocosm m = YMicrocosm.open("workshop", MicrocosmOptions.defaults().profile(profile))) {
      m.identify(me);
      m.join(new Identity(me, "Java peer"));
      Entity a =
          m.create(
              new HtmlData(
                  120.5, -40, 200, 200, "<p>from Java ✓</p>", "blue", List.of("Ideas ", "jvm")));
      Entity b = m.create(HtmlData.note(400, 10, ""));
      Entity link = m.create(new ConnectionData(a.id(), b.id()));
      Entity heart = m.create(EmojiData.reaction("❤️", a.id(), 130, -30));
      Entity gone = m.create(HtmlData.note(0, 0, "deleted"));
      m.update(EntityUpdate.move(b.id(), 401, 11), EntityUpdate.content(b.id(), "<p>moved</p>"));
      m.delete(gone.id());
      String update = Base64.getEncoder().encodeToString(m.encodeStateAsUpdate());
      String presence = Base64.getEncoder().encodeToString(m.awareness().encodeAllStates());
      JsonNode out =
          JSON.readTree(
              NodeSupport.run(
                  "check-doc.mjs", update + "\n" + presence + "\n", profile.name().toLowerCase()));
      assertEquals(0, out.get("errors").size(), out.get("errors").toString());
      JsonNode mine = out.get("collections").get(me);
      assertEquals(4, mine.size());
      for (Entity e :
          List.of(
              m.getEntity(me, a.id()).orElseThrow(),
              m.getEntity(me, b.id()).orElseThrow(),
              link,
              heart)) {
        assertEquals(normal(profile.encodeEntity(e)), normal(mine.get(e.id())), e.id());
      }
      assertEquals("<p>moved</p>", mine.get(b.id()).get("data").get("content").asText());
      assertEquals(1, out.get("presence").size());
      JsonNode p = out.get("presence").get(0);
      if (profile == SchemaProfile.E5) {
        assertEquals("ideas", mine.get(a.id()).get("data").get("tags").get(0).asText());
        assertEquals(me, p.get("identity").get("id").asText());
        assertEquals("Java peer", p.get("identity").get("nickname").asText());
      } else {
        assertEquals(a.id(), mine.get(heart.id()).get("data").get("entity").asText());
        assertEquals(me, p.get("uuid").asText());
        assertEquals("Java peer", p.get("nickname").asText());
      }
      assertTrue(p.get("joined").asBoolean());
    }
  }

  @Test
  void theCheckerRejectsWhatTheAppWouldReject() throws Exception {
    // The checker must be able to fail: fed the web-app document with its known-invalid values, it
    // reports exactly those.
    JsonNode app = JSON.readTree(NodeSupport.run("app-doc.mjs", "", "e5"));
    JsonNode out =
        JSON.readTree(NodeSupport.run("check-doc.mjs", app.get("update").asText() + "\n"));
    assertEquals(app.get("invalid").size(), out.get("errors").size(), out.get("errors").toString());
  }
}
