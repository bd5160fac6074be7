package nodenogg.microcosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Entity schema vectors of spec §6 (E5 form of the E4 entity.schema tests) plus E5 field rules. */
class EntitySchemaTest {
  static final String ID = "ebt4nhr27z8198jp6";
  static final String OWNER = "@bt4nhr27z8198jp6";

  static Map<String, Object> html() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("type", "html");
    data.put("x", 100);
    data.put("y", 200);
    data.put("width", 300);
    data.put("height", 150);
    data.put("content", "<p>Hello</p>");
    data.put("backgroundColor", "blue");
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("id", ID);
    e.put("identity_id", OWNER);
    e.put("lastEdited", 1748000000000L);
    e.put("created", 1748000000000d);
    e.put("version", "1");
    e.put("data", data);
    return e;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> dataOf(Map<String, Object> e) {
    return (Map<String, Object>) e.get("data");
  }

  @Test
  void fullHtmlEntityValidates() {
    Entity e = SchemaProfile.E5.decodeEntity(html(), OWNER);
    assertEquals(ID, e.id());
    assertEquals(OWNER, e.identityId());
    assertEquals(1748000000000L, e.created());
    HtmlData h = e.dataAs(HtmlData.class);
    assertEquals(100, h.x());
    assertEquals("<p>Hello</p>", h.content());
    assertEquals("blue", h.backgroundColor());
    assertNull(h.tags());
    assertEquals("1", e.version());
  }

  private static void assertInvalid(Map<String, Object> value, String expectedInMessage) {
    InvalidEntityException ex =
        assertThrows(
            InvalidEntityException.class, () -> SchemaProfile.E5.decodeEntity(value, OWNER));
    assertTrue(ex.getMessage().contains(expectedInMessage), ex.getMessage());
  }

  @Test
  void parseRejectsBadValuesWithClearMessages() {
    Map<String, Object> e = html();
    e.put("id", "invalid");
    assertInvalid(e, "id must be an entity id");
    e = html();
    e.put("lastEdited", "1748000000000");
    assertInvalid(e, "lastEdited must be a number");
    e = html();
    dataOf(e).put("x", "100");
    assertInvalid(e, "x must be a number");
    e = html();
    dataOf(e).put("backgroundColor", 12);
    assertInvalid(e, "backgroundColor");
    e = html();
    e.remove("data");
    assertInvalid(e, "data must be an object");
    e = html();
    e.put("version", 1);
    assertInvalid(e, "version must be the string \"1\"");
    e = html();
    dataOf(e).remove("content");
    assertInvalid(e, "content must be a string");
    e = html();
    dataOf(e).put("type", "region");
    assertInvalid(e, "data.type must be one of");
    e = html();
    e.remove("identity_id");
    assertInvalid(e, "identity_id");
  }

  @Test
  void createWithPartialHtmlKeepsFields() {
    Entity e = Entities.create(OWNER, HtmlData.note(10, 20, "hi"), 5000);
    assertTrue(EntityId.isValid(e.id()));
    assertEquals(EntityType.HTML, e.type());
    assertEquals(5000, e.created());
    assertEquals(5000, e.lastEdited());
    assertEquals(10, e.dataAs(HtmlData.class).x());
    assertEquals("hi", e.dataAs(HtmlData.class).content());
  }

  @Test
  void createHtmlWithoutGeometryThrows() {
    Map<String, Object> data = Map.of("type", "html");
    InvalidEntityException ex =
        assertThrows(InvalidEntityException.class, () -> Entities.dataFromMap(data));
    assertTrue(
        ex.getMessage().contains("x must be a number, got nothing (required)"), ex.getMessage());
  }

  @Test
  void updateKeepsIdentityAndBumpsLastEdited() {
    Entity e = Entities.create(OWNER, HtmlData.note(10, 20, "hi"), 5000);
    Entity u = Entities.update(e, Map.of("content", "changed"), 5010);
    assertEquals(e.id(), u.id());
    assertEquals(e.created(), u.created());
    assertEquals(5010, u.lastEdited());
    assertEquals("changed", u.dataAs(HtmlData.class).content());
    assertEquals(10, u.dataAs(HtmlData.class).x());
    // A clock that did not move still yields a strictly newer lastEdited.
    assertTrue(Entities.update(u, Map.of("x", 1), 5010).lastEdited() > u.lastEdited());
  }

  @Test
  void updateCannotChangeTypeOrBreakSchema() {
    Entity e = Entities.create(OWNER, HtmlData.note(10, 20, "hi"), 5000);
    InvalidEntityException ex =
        assertThrows(
            InvalidEntityException.class, () -> Entities.update(e, Map.of("type", "emoji"), 6000));
    assertTrue(ex.getMessage().contains("cannot change the type"), ex.getMessage());
    ex =
        assertThrows(
            InvalidEntityException.class, () -> Entities.update(e, Map.of("width", "wide"), 6000));
    assertTrue(ex.getMessage().contains("width must be a number"), ex.getMessage());
  }

  @Test
  void isTypeOnlyForMatchingType() {
    Entity e = Entities.create(OWNER, HtmlData.note(0, 0, ""), 1);
    assertTrue(e.isType(EntityType.HTML));
    assertFalse(e.isType(EntityType.EMOJI));
    assertFalse(e.isType(EntityType.CONNECTION));
  }

  @Test
  void connectionEndsAreOptionalButMustBeIds() {
    String other = "e0000000000000001";
    for (String[] ends : new String[][] {{null, null}, {ID, null}, {null, other}, {ID, other}}) {
      ConnectionData c = new ConnectionData(ends[0], ends[1]);
      Entity e = Entities.create(OWNER, c, 1);
      assertEquals(e, SchemaProfile.E5.decodeEntity(SchemaProfile.E5.encodeEntity(e), OWNER));
    }
    assertThrows(InvalidEntityException.class, () -> new ConnectionData("nope", null));
    assertThrows(InvalidEntityException.class, () -> new ConnectionData(null, "e123"));
    Entity e = Entities.create(OWNER, new ConnectionData(ID, null), 1);
    Entity u = Entities.update(e, Map.of("to", other), 2);
    assertEquals(ID, u.dataAs(ConnectionData.class).from());
    assertEquals(other, u.dataAs(ConnectionData.class).to());
  }

  @Test
  void emojiRequiresPositionInE5() {
    Map<String, Object> data = new LinkedHashMap<>(Map.of("type", "emoji", "content", "❤️"));
    assertThrows(InvalidEntityException.class, () -> Entities.dataFromMap(data));
    data.put("x", 1);
    data.put("y", 2.5);
    data.put("parentNodeId", ID);
    EmojiData e = (EmojiData) Entities.dataFromMap(data);
    assertEquals(2.5, e.y());
    assertEquals(ID, e.parentNodeId());
  }

  @Test
  void tagsAreTrimmedLowercasedAndLimited() {
    HtmlData h = HtmlData.note(0, 0, "").withTags(List.of("  Ideas ", "TODO"));
    assertEquals(List.of("ideas", "todo"), h.tags());
    String tooLong = "x".repeat(31);
    InvalidEntityException ex =
        assertThrows(
            InvalidEntityException.class, () -> HtmlData.note(0, 0, "").withTags(List.of(tooLong)));
    assertTrue(ex.getMessage().contains("at most 30"), ex.getMessage());
    assertEquals(30, HtmlData.note(0, 0, "").withTag(tooLong).tags().get(0).length());
    HtmlData many = HtmlData.note(0, 0, "");
    for (int i = 0; i < 25; i++) {
      many = many.withTag("t" + i);
    }
    assertEquals(Tags.MAX_PER_ENTITY, many.tags().size());
  }

  @Test
  void e5EncodingHasSchemaKeysAndOrder() {
    Entity e = new Entity(ID, OWNER, 1, 2, new EmojiData("❤️", 3, 4, null));
    Map<String, Object> enc = SchemaProfile.E5.encodeEntity(e);
    assertEquals(
        List.of("id", "identity_id", "lastEdited", "created", "data", "version"),
        List.copyOf(enc.keySet()));
    assertEquals(List.of("type", "content", "x", "y"), List.copyOf(dataOf(enc).keySet()));
    Map<String, Object> stored = SchemaProfile.E5.encodeStored(e);
    assertEquals("", stored.get("signature"));
    assertEquals(e, SchemaProfile.E5.decodeStored(stored, OWNER));
  }

  @Test
  void e4ProfileUsesUuidAndEntity() {
    Entity e = new Entity(ID, OWNER, 1, 2, new EmojiData("❤️", 0, 0, "e0000000000000001"));
    Map<String, Object> enc = SchemaProfile.E4.encodeEntity(e);
    assertEquals(ID, enc.get("uuid"));
    assertFalse(enc.containsKey("identity_id"));
    assertEquals("e0000000000000001", dataOf(enc).get("entity"));
    assertFalse(dataOf(enc).containsKey("x"));
    assertEquals(e, SchemaProfile.E4.decodeEntity(enc, OWNER));
    // E5 readers do not accept E4 values, the lenient reader does.
    assertThrows(InvalidEntityException.class, () -> SchemaProfile.E5.decodeEntity(enc, OWNER));
    assertEquals(e, SchemaProfile.E5.decodeStoredLenient(SchemaProfile.E4.encodeStored(e), OWNER));
  }

  @Test
  void recordsValidateOnConstruction() {
    assertThrows(
        InvalidEntityException.class,
        () -> new Entity("bad", OWNER, 1, 1, HtmlData.note(0, 0, "")));
    assertThrows(InvalidEntityException.class, () -> HtmlData.note(Double.NaN, 0, ""));
    assertThrows(InvalidEntityException.class, () -> HtmlData.note(0, 0, null));
    assertNotEquals(
        Entities.create(OWNER, HtmlData.note(0, 0, ""), 1).id(),
        Entities.create(OWNER, HtmlData.note(0, 0, ""), 1).id());
  }

  @Test
  void negativeZeroIsZeroAsOnTheWire() {
    assertEquals(HtmlData.note(0, 0, ""), HtmlData.note(-0.0, -0.0, ""));
    assertEquals(new EmojiData("x", 0, 0, null), new EmojiData("x", -0.0, -0.0, null));
  }
}
