package nodenogg.microcosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MicrocosmJsonTest {
  static final String OWNER = "@bt4nhr27z8198jp6";

  @Test
  void writesJsNumbersAndReadsBack() {
    Entity e =
        new Entity(
            "ebt4nhr27z8198jp6",
            OWNER,
            1748000000000L,
            1748000000001L,
            new HtmlData(120, -40.5, 200, 200, "", null, null));
    String json = MicrocosmJson.write(Map.of(OWNER, Map.of(e.id(), e)), SchemaProfile.E5);
    assertTrue(json.contains("\"x\" : 120,"), json);
    assertTrue(json.contains("\"y\" : -40.5"), json);
    assertTrue(json.contains("\"created\" : 1748000000000"), json);
    assertTrue(json.contains("\"version\" : \"1\""), json);
    MicrocosmJson.Parsed p = MicrocosmJson.read(json, SchemaProfile.E5);
    assertEquals(e, p.collections().get(OWNER).get(e.id()));
    assertTrue(p.skipped().isEmpty());
  }

  @Test
  void skipsInvalidEntitiesAndCountsThem() {
    String json =
        "{\""
            + OWNER
            + "\": {\"ebt4nhr27z8198jp6\": {\"id\":\"ebt4nhr27z8198jp6\","
            + "\"identity_id\":\""
            + OWNER
            + "\",\"lastEdited\":1,\"created\":1,\"version\":\"1\","
            + "\"data\":{\"type\":\"connection\"}},"
            + "\"ebt4nhr27z8198jp7\": {\"id\":\"ebt4nhr27z8198jp7\",\"version\":1}}}";
    MicrocosmJson.Parsed p = MicrocosmJson.read(json, SchemaProfile.E5);
    assertEquals(1, p.collections().get(OWNER).size());
    assertEquals(1, p.skipped().size());
    assertEquals("ebt4nhr27z8198jp7", p.skipped().get(0).key());
    assertThrows(InvalidEntityException.class, () -> MicrocosmJson.read("[1]", SchemaProfile.E5));
    assertThrows(InvalidEntityException.class, () -> MicrocosmJson.read("{", SchemaProfile.E5));
  }
}
