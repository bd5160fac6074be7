package nodenogg.ymicrocosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nodenogg.microcosm.Entities;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityId;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.microcosm.legacy.E3Entity;
import nodenogg.microcosm.legacy.E3ToE5;
import nodenogg.ymicrocosm.testing.NodeSupport;
import org.junit.jupiter.api.Test;

/**
 * E3 documents built by the real yjs the way the E3 web app wrote them (js/microcosm/e3-doc.mjs)
 * are read field for field, mapped to E5 as the script states independently, and the written E5
 * update passes the web app's E5 rules in Node (check-doc.mjs).
 */
class E3ImportTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode normal(Object plainOrNode) {
    Object plain = plainOrNode instanceof JsonNode n ? MicrocosmJson.toPlain(n) : plainOrNode;
    return MicrocosmJson.toNode(plain);
  }

  static Map<String, Object> asData(E3Entity e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("type", e.type());
    m.put("schema", e.schema());
    m.put("created", e.created());
    m.put("lastEdited", e.lastEdited());
    m.putAll(e.fields());
    return m;
  }

  /** The script's expected E5 data with its E3-location references replaced by the new ids. */
  static JsonNode translate(JsonNode expected, Map<String, String> entityIds) {
    Map<String, Object> m = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> f = it.next();
      boolean ref = List.of("from", "to", "parentNodeId").contains(f.getKey());
      m.put(
          f.getKey(),
          ref ? entityIds.get(f.getValue().asText()) : MicrocosmJson.toPlain(f.getValue()));
    }
    return normal(m);
  }

  @Test
  void readsMapsAndWritesTheE3DocumentOfTheRealYjs() throws Exception {
    JsonNode app = JSON.readTree(NodeSupport.run("e3-doc.mjs", ""));
    E3Import.Snapshot s = E3Import.read(Base64.getDecoder().decode(app.get("update").asText()));

    // every valid value, field for field
    List<String> ids = new ArrayList<>();
    app.get("expected").fieldNames().forEachRemaining(ids::add);
    assertEquals(new ArrayList<>(new TreeSet<>(ids)), s.identities());
    for (String identity : ids) {
      JsonNode coll = app.get("expected").get(identity);
      Set<String> keys = new TreeSet<>();
      coll.fieldNames().forEachRemaining(keys::add);
      assertEquals(keys, s.collections().get(identity).keySet(), identity);
      for (String key : keys) {
        assertEquals(
            normal(coll.get(key)),
            normal(asData(s.collections().get(identity).get(key))),
            identity + "/" + key);
      }
    }
    Set<List<String>> invalid = new HashSet<>();
    for (InvalidValue v : s.invalid()) {
      invalid.add(List.of(v.collection(), v.key()));
    }
    Set<List<String>> expectedInvalid = new HashSet<>();
    app.get("invalid")
        .forEach(p -> expectedInvalid.add(List.of(p.get(0).asText(), p.get(1).asText())));
    assertEquals(expectedInvalid, invalid);

    // the mapping, with fresh ids
    E3ToE5.Result r = E3ToE5.map(s.collections(), null);
    Set<String> skipped = new TreeSet<>();
    r.skipped().forEach(k -> skipped.add(k.location()));
    Set<String> expectedSkipped = new TreeSet<>();
    app.get("skipped").forEach(n -> expectedSkipped.add(n.asText()));
    assertEquals(expectedSkipped, skipped, r.skipped().toString());
    Set<String> mapped = new TreeSet<>();
    app.get("mapping").fieldNames().forEachRemaining(mapped::add);
    assertEquals(mapped, new TreeSet<>(r.entityIds().keySet()));
    assertEquals(
        mapped.size(), new HashSet<>(r.entityIds().values()).size(), "new entity ids are distinct");
    r.entityIds().values().forEach(id -> assertTrue(EntityId.isValid(id), id));
    assertEquals(Set.copyOf(ids), r.identityIds().keySet());
    r.identityIds().values().forEach(id -> assertTrue(IdentityId.isValid(id), id));
    assertNotEquals(r.identityIds().get(ids.get(0)), r.identityIds().get(ids.get(1)));
    Map<String, Entity> byNewId = new LinkedHashMap<>();
    r.entities().forEach(e -> byNewId.put(e.id(), e));
    for (String loc : mapped) {
      Entity e = byNewId.get(r.entityIds().get(loc));
      String owner = loc.substring(0, loc.indexOf('/'));
      E3Entity source = s.collections().get(owner).get(loc.substring(loc.indexOf('/') + 1));
      assertEquals(r.identityIds().get(owner), e.identityId(), loc);
      assertEquals(source.created(), e.created(), loc);
      assertEquals(source.lastEdited(), e.lastEdited(), loc);
      assertEquals(
          translate(app.get("mapping").get(loc), r.entityIds()),
          normal(Entities.dataAsMap(e.data())),
          loc);
    }
    assertTrue(
        r.notes().stream().anyMatch(n -> n.contains("eHtml0001") && n.contains("z")),
        r.notes().toString());

    // the E5 update, read by the real yjs with the web app's rules
    byte[] e5 = E3Import.toUpdate(r, SchemaProfile.E5);
    JsonNode check =
        JSON.readTree(NodeSupport.run("check-doc.mjs", Base64.getEncoder().encodeToString(e5)));
    assertEquals(0, check.get("errors").size(), check.get("errors").toString());
    assertEquals(new TreeSet<>(r.identityIds().values()), fieldNames(check.get("collections")));
    for (Entity e : r.entities()) {
      JsonNode stored = check.get("collections").get(e.identityId()).get(e.id());
      assertEquals(normal(SchemaProfile.E5.encodeEntity(e)), normal(stored), e.id());
    }
    int total = 0;
    for (JsonNode c : check.get("collections")) {
      total += c.size();
    }
    assertEquals(mapped.size(), total);
  }

  @Test
  void oneOwnerTakesEveryCollection() throws Exception {
    JsonNode app = JSON.readTree(NodeSupport.run("e3-doc.mjs", ""));
    E3Import.Snapshot s = E3Import.read(Base64.getDecoder().decode(app.get("update").asText()));
    String me = "@importeraaaaaaa1";
    E3ToE5.Result r = E3ToE5.map(s.collections(), me);
    r.entities().forEach(e -> assertEquals(me, e.identityId()));
    r.identityIds().values().forEach(v -> assertEquals(me, v));
    JsonNode check =
        JSON.readTree(
            NodeSupport.run(
                "check-doc.mjs",
                Base64.getEncoder().encodeToString(E3Import.toUpdate(r, SchemaProfile.E5))));
    assertEquals(0, check.get("errors").size(), check.get("errors").toString());
    assertEquals(Set.of(me), fieldNames(check.get("collections")));
    assertEquals(app.get("mapping").size(), check.get("collections").get(me).size());
    // the E4 profile is written in its own shape and passes the alpha-p2p rules
    JsonNode e4 =
        JSON.readTree(
            NodeSupport.run(
                "check-doc.mjs",
                Base64.getEncoder().encodeToString(E3Import.toUpdate(r, SchemaProfile.E4)),
                "e4"));
    assertEquals(0, e4.get("errors").size(), e4.get("errors").toString());
    assertEquals(app.get("mapping").size(), e4.get("collections").get(me).size());
  }

  @Test
  void readsTheSerializedExportShapeLikeTheDocument() throws Exception {
    JsonNode app = JSON.readTree(NodeSupport.run("e3-doc.mjs", ""));
    E3Import.Snapshot fromDoc =
        E3Import.read(Base64.getDecoder().decode(app.get("update").asText()));
    @SuppressWarnings("unchecked")
    Map<String, Object> json = (Map<String, Object>) MicrocosmJson.toPlain(app.get("expected"));
    String first = fromDoc.identities().get(0);
    @SuppressWarnings("unchecked")
    Map<String, Object> coll = (Map<String, Object>) json.get(first);
    coll.put("not-an-id", coll.values().iterator().next());
    coll.put(
        "eUnknown1",
        Map.of("id", "eUnknown1", "type", "svg", "schema", 1, "created", 1, "lastEdited", 1));
    json.put("@teststring", Map.of());
    E3Import.Snapshot fromJson = E3Import.readSerialized(json);
    assertEquals(fromDoc.identities(), fromJson.identities());
    for (String identity : fromDoc.identities()) {
      Map<String, E3Entity> a = fromDoc.collections().get(identity);
      Map<String, E3Entity> b = fromJson.collections().get(identity);
      assertEquals(a.keySet(), b.keySet(), identity);
      for (String key : a.keySet()) {
        assertEquals(normal(asData(a.get(key))), normal(asData(b.get(key))), key);
      }
    }
    Set<List<String>> invalid = new HashSet<>();
    fromJson.invalid().forEach(v -> invalid.add(List.of(v.collection(), v.key())));
    assertEquals(
        Set.of(
            List.of(first, "not-an-id"),
            List.of(first, "eUnknown1"),
            List.of(E3Import.TOP_LEVEL, "@teststring")),
        invalid);
    assertThrows(
        nodenogg.microcosm.InvalidEntityException.class, () -> E3Import.readSerialized(List.of()));
  }

  @Test
  void unreadableUpdatesThrowTypedErrors() {
    UnreadableUpdateException bad =
        assertThrows(UnreadableUpdateException.class, () -> E3Import.read(new byte[] {1, 5, 7}));
    assertTrue(bad.getMessage().startsWith("not a Yjs v1 update"), bad.getMessage());
    // an incremental update whose dependency is missing
    nodenogg.crdt.Doc d = new nodenogg.crdt.Doc(new nodenogg.crdt.Doc.Options().clientId(7));
    d.getMap("identities").set("@" + "a".repeat(35), true);
    byte[] sv = nodenogg.crdt.Updates.encodeStateVector(d);
    d.getMap("identities").set("@" + "b".repeat(35), true);
    byte[] second = nodenogg.crdt.Updates.encodeStateAsUpdate(d, sv);
    UnreadableUpdateException partial =
        assertThrows(UnreadableUpdateException.class, () -> E3Import.read(second));
    assertTrue(partial.getMessage().contains("does not contain"), partial.getMessage());
    // an empty document is readable and empty
    E3Import.Snapshot empty =
        E3Import.read(nodenogg.crdt.Updates.encodeStateAsUpdate(new nodenogg.crdt.Doc()));
    assertEquals(0, empty.entityCount());
  }

  private static Set<String> fieldNames(JsonNode n) {
    Set<String> out = new TreeSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
