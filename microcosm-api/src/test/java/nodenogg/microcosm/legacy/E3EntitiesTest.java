package nodenogg.microcosm.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.microcosm.InvalidEntityException;
import org.junit.jupiter.api.Test;

/** The E3 entity guards (microcosm-spec.md §1.5, §6 "guards") and the stored-value reader. */
class E3EntitiesTest {

  static Map<String, Object> entity(String type, int schema, Object... fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", "efs0s9fd0");
    m.put("type", type);
    m.put("schema", schema);
    m.put("created", 1717200000000.0);
    m.put("lastEdited", 1717200000123.0);
    for (int i = 0; i < fields.length; i += 2) {
      m.put((String) fields[i], fields[i + 1]);
    }
    return m;
  }

  @Test
  void isEntityRejectsIncompleteAndUnknownTypes() {
    for (String t : List.of("html", "region", "ghost", "relation", "emoji")) {
      assertTrue(E3Entities.isEntity(entity(t, E3Entities.LATEST_SCHEMA_VERSIONS.get(t))), t);
    }
    assertFalse(E3Entities.isEntity(entity("svg", 1)));
    assertTrue(E3Entities.isAnyEntity(entity("svg", 1)), "isAnyEntity accepts unknown types");
    for (String base : List.of("id", "type", "schema", "created", "lastEdited")) {
      Map<String, Object> m = entity("html", 1);
      m.remove(base);
      assertFalse(E3Entities.isEntity(m), "without " + base);
      assertFalse(E3Entities.isAnyEntity(m), "without " + base);
    }
    assertFalse(E3Entities.isEntity(entity("html", 1, "id", "e_0")));
    assertFalse(
        E3Entities.isEntity(entity("html", 1, "id", "ebt4nhr27z8198jp6")),
        "an E5 id is not an E3 id");
    assertFalse(E3Entities.isEntity(entity("html", 1, "created", "2024")));
    assertFalse(E3Entities.isEntity(entity("html", 1, "schema", "1")));
    assertFalse(E3Entities.isEntity(null));
    assertFalse(E3Entities.isEntity("efs0s9fd0"));
  }

  @Test
  void isEntityVersionChecksSchemaAndType() {
    Map<String, Object> emoji2 = entity("emoji", 2, "entity_id", "eabcdefgh", "body", "x");
    assertTrue(E3Entities.isEntityVersion(emoji2, 2, "emoji"));
    assertTrue(E3Entities.isEntityVersion(emoji2, 2, null));
    assertFalse(E3Entities.isEntityVersion(emoji2, 1, "emoji"));
    assertFalse(E3Entities.isEntityVersion(emoji2, 2, "html"));
    assertEquals(
        Map.of("html", 1, "region", 1, "ghost", 1, "relation", 2, "emoji", 2),
        E3Entities.LATEST_SCHEMA_VERSIONS);
  }

  @Test
  void serializedValidatorsRejectMixedOrInvalidMembersAndNonIdentityKeys() {
    String identity = "@" + "a1B2c3D4e5".repeat(3) + "f6G7h";
    Map<String, Object> coll = new LinkedHashMap<>();
    coll.put("efs0s9fd0", entity("html", 1));
    coll.put("eabcdefgh", entity("emoji", 2, "id", "eabcdefgh"));
    assertTrue(E3Entities.isSerializedCollection(coll));
    assertTrue(E3Entities.isSerializedCollection(Map.of()));
    assertTrue(E3Entities.isSerializedMicrocosm(Map.of(identity, coll)));
    Map<String, Object> mixed = new LinkedHashMap<>(coll);
    mixed.put("e12345678", entity("svg", 1, "id", "e12345678"));
    assertFalse(E3Entities.isSerializedCollection(mixed));
    assertFalse(E3Entities.isSerializedMicrocosm(Map.of(identity, mixed)));
    assertFalse(E3Entities.isSerializedCollection(Map.of("not-an-id", entity("html", 1))));
    assertFalse(E3Entities.isSerializedCollection(Map.of("efs0s9fd0", "text")));
    assertFalse(E3Entities.isSerializedMicrocosm(Map.of("@teststring", coll)));
    assertFalse(E3Entities.isSerializedMicrocosm(Map.of("efs0s9fd0", coll)));
    assertFalse(E3Entities.isSerializedMicrocosm(List.of()));
  }

  @Test
  void parseStoredReadsTheWrapperShallowly() {
    Map<String, Object> data =
        entity("html", 1, "x", 1, "y", 2, "width", 3, "height", 4, "z", 5, "body", "<p>b</p>");
    E3Entity e = E3Entities.parseStored(Map.of("signature", "", "data", data));
    assertEquals("efs0s9fd0", e.id());
    assertEquals("html", e.type());
    assertEquals(1.0, e.schema());
    assertEquals(1717200000000L, e.created());
    assertEquals(1717200000123L, e.lastEdited());
    assertEquals(
        List.of("x", "y", "width", "height", "z", "body"), List.copyOf(e.fields().keySet()));
    assertEquals("<p>b</p>", e.field("body"));
    assertTrue(e.isBoxLike());
    // per-type fields are not checked (E3's reader did not either)
    assertEquals("ghost", E3Entities.parseStored(Map.of("data", entity("ghost", 1))).type());
    // the early name of relation
    assertTrue(E3Entities.parseStored(Map.of("data", entity("connection", 2))).isRelation());

    InvalidEntityException noData =
        assertThrows(
            InvalidEntityException.class,
            () -> E3Entities.parseStored(Map.of("content", data, "signature", "")));
    assertTrue(noData.getMessage().contains("'data'"), noData.getMessage());
    InvalidEntityException badType =
        assertThrows(
            InvalidEntityException.class,
            () -> E3Entities.parseStored(Map.of("data", entity("svg", 1))));
    assertTrue(badType.getMessage().startsWith("data: type must be one of"), badType.getMessage());
    assertThrows(InvalidEntityException.class, () -> E3Entities.parseStored("text"));
    assertThrows(InvalidEntityException.class, () -> E3Entities.parseStored(null));
  }
}
