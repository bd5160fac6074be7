package nodenogg.ymicrocosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityType;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.InvalidEntityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EditTest {
  static final String ME = "@aaaaaaaaaaaaaaa1";
  final AtomicLong clock = new AtomicLong(1_748_000_000_000L);
  YMicrocosm m;

  @BeforeEach
  void open() {
    m = YMicrocosm.open("workshop", MicrocosmOptions.defaults().clock(clock::get));
  }

  @AfterEach
  void close() {
    m.close();
  }

  @Test
  void editingBeforeIdentifyFailsClearly() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> m.create(HtmlData.note(0, 0, "")));
    assertTrue(e.getMessage().contains("call identify(identityId)"), e.getMessage());
    assertTrue(m.entities().isEmpty());
  }

  @Test
  void createWritesE5LayoutAndReadsBack() {
    m.identify(ME);
    Entity e = m.create(HtmlData.note(120, -40, "<p>hi</p>"));
    assertEquals(Boolean.TRUE, m.doc().getMap("identities").get(ME));
    @SuppressWarnings("unchecked")
    Map<String, Object> stored = (Map<String, Object>) m.doc().getMap(ME).get(e.id());
    assertEquals("", stored.get("signature"));
    @SuppressWarnings("unchecked")
    Map<String, Object> content = (Map<String, Object>) stored.get("content");
    assertEquals(e.id(), content.get("id"));
    assertEquals(ME, content.get("identity_id"));
    assertEquals("1", content.get("version"));
    assertEquals(List.of(ME), m.getCollections());
    assertEquals(List.of(e.id()), m.getCollection(ME));
    assertEquals(e, m.getEntity(ME, e.id()).orElseThrow());
    assertEquals(List.of(e), m.boxes());
    assertEquals(e, m.node(e.id()).orElseThrow());
  }

  @Test
  void updateOfSeveralEntitiesIsOneTransaction() {
    m.identify(ME);
    List<Entity> made =
        m.create(
            List.of(
                HtmlData.note(0, 0, "a"), HtmlData.note(10, 10, "b"), HtmlData.note(20, 20, "c")));
    AtomicInteger updates = new AtomicInteger();
    m.doc().onUpdate((u, o, t) -> updates.incrementAndGet());
    clock.addAndGet(1000);
    List<Entity> changed =
        m.update(
            EntityUpdate.move(made.get(0).id(), 5, 6),
            EntityUpdate.content(made.get(1).id(), "B"),
            EntityUpdate.resize(made.get(2).id(), 300, 100));
    assertEquals(1, updates.get(), "three updates must form one transaction");
    assertEquals(3, changed.size());
    HtmlData a = m.getEntity(ME, made.get(0).id()).orElseThrow().dataAs(HtmlData.class);
    assertEquals(5, a.x());
    assertEquals("a", a.content());
    assertEquals(clock.get(), m.getEntity(ME, made.get(1).id()).orElseThrow().lastEdited());
    assertEquals(made.get(1).created(), m.getEntity(ME, made.get(1).id()).orElseThrow().created());
    assertEquals(2, m.delete(made.get(0).id(), made.get(1).id(), "e0000000000000000"));
    assertEquals(2, updates.get(), "a batch delete must be one transaction");
    assertEquals(List.of(made.get(2).id()), m.getCollection(ME));
  }

  @Test
  void invalidUpdateWritesNothing() {
    m.identify(ME);
    Entity a = m.create(HtmlData.note(0, 0, "a"));
    Entity b = m.create(HtmlData.note(0, 0, "b"));
    byte[] before = m.encodeStateAsUpdate();
    assertThrows(
        InvalidEntityException.class,
        () ->
            m.update(
                EntityUpdate.move(a.id(), 1, 1), EntityUpdate.of(b.id(), Map.of("width", "wide"))));
    assertThrows(
        InvalidEntityException.class,
        () -> m.update(EntityUpdate.of(a.id(), Map.of("type", "emoji"))));
    assertTrue(
        java.util.Arrays.equals(before, m.encodeStateAsUpdate()), "document must be unchanged");
    assertEquals(0, m.getEntity(ME, a.id()).orElseThrow().dataAs(HtmlData.class).x());
  }

  @Test
  void patchDeleteAllAndTypedQueries() {
    m.identify(ME);
    Entity note = m.create(HtmlData.note(0, 0, "x"));
    Entity other = m.create(HtmlData.note(50, 0, "y"));
    m.create(new ConnectionData(note.id(), other.id()));
    m.create(EmojiData.reaction("❤️", note.id(), 10, 10));
    Entity patched =
        m.patch(note.id(), d -> ((HtmlData) d).withBackgroundColor("green").withTag(" Idea "))
            .orElseThrow();
    assertEquals("green", patched.dataAs(HtmlData.class).backgroundColor());
    assertEquals(List.of("idea"), patched.dataAs(HtmlData.class).tags());
    assertTrue(m.patch("e0000000000000000", d -> d).isEmpty());
    assertThrows(
        InvalidEntityException.class,
        () -> m.patch(note.id(), d -> new EmojiData("x", 0, 0, null)));
    assertEquals(2, m.nodes(EntityType.HTML).size());
    assertEquals(1, m.nodes(EntityType.CONNECTION).size());
    assertEquals(1, m.nodes(EntityType.EMOJI).size());
    assertEquals(4, m.nodes().size());
    assertEquals(4, m.deleteAll());
    assertTrue(m.entities().isEmpty());
    assertEquals(List.of(ME), m.getCollections(), "the collection stays registered");
  }

  @Test
  void e4ProfileWritesE4Values() {
    try (YMicrocosm e4 =
        YMicrocosm.open(
            "workshop", MicrocosmOptions.defaults().profile(nodenogg.microcosm.SchemaProfile.E4))) {
      e4.identify(ME);
      Entity e = e4.create(EmojiData.reaction("❤️", "e0000000000000001", 0, 0));
      @SuppressWarnings("unchecked")
      Map<String, Object> content =
          (Map<String, Object>)
              ((Map<String, Object>) e4.doc().getMap(ME).get(e.id())).get("content");
      assertEquals(e.id(), content.get("uuid"));
      assertFalse(content.containsKey("identity_id"));
      assertEquals(e, e4.getEntity(ME, e.id()).orElseThrow());
    }
  }
}
