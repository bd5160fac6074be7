package nodenogg.ymicrocosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.YMap;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.InvalidValue;
import org.junit.jupiter.api.Test;

/** Values another writer put into the document that fail validation are skipped and reported. */
class LenientReadTest {
  static final String OTHER = "@ooooooooooooooo1";

  static Map<String, Object> stored(String id, Object version, Map<String, Object> data) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("id", id);
    content.put("identity_id", OTHER);
    content.put("lastEdited", 1748000000000L);
    content.put("created", 1748000000000L);
    content.put("data", data);
    content.put("version", version);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("content", content);
    v.put("signature", "");
    return v;
  }

  static Map<String, Object> html() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("type", "html");
    d.put("x", 1);
    d.put("y", 2);
    d.put("width", 200);
    d.put("height", 200);
    d.put("content", "");
    return d;
  }

  @Test
  void invalidRemoteValuesAreSkippedAndReported() {
    try (YMicrocosm m = YMicrocosm.inMemory("lenient")) {
      List<InvalidValue> reported = Collections.synchronizedList(new ArrayList<>());
      List<EntityEvent> events = Collections.synchronizedList(new ArrayList<>());
      m.onInvalidValue(reported::add);
      m.subscribe(events::add);
      // A foreign writer (not this microcosm's API) fills another collection.
      m.doc()
          .transact(
              tr -> {
                m.doc().getMap("identities").set(OTHER, true);
                m.doc().getMap("identities").set("not-an-identity", true);
                YMap c = m.doc().getMap(OTHER);
                c.set("eaaaaaaaaaaaaaaa1", stored("eaaaaaaaaaaaaaaa1", "1", html()));
                c.set(
                    "eaaaaaaaaaaaaaaa2", stored("eaaaaaaaaaaaaaaa2", 1, html())); // numeric version
                Map<String, Object> noX = html();
                noX.remove("x");
                c.set("eaaaaaaaaaaaaaaa3", stored("eaaaaaaaaaaaaaaa3", "1", noX)); // missing x
                c.set("bad-key", stored("eaaaaaaaaaaaaaaa4", "1", html())); // key not an id
                c.set("eaaaaaaaaaaaaaaa5", "just a string");
                c.set("eaaaaaaaaaaaaaaa6", new YMap()); // nested type
              });
      m.drainEvents();
      assertEquals(List.of("eaaaaaaaaaaaaaaa1"), m.getCollection(OTHER));
      assertEquals(List.of(OTHER), m.getCollections());
      assertEquals(6, m.invalidValues().size(), m.invalidValues().toString());
      assertEquals(6, reported.size(), reported.toString());
      assertTrue(
          reported.stream()
              .anyMatch(
                  v -> v.key().equals("eaaaaaaaaaaaaaaa2") && v.reason().contains("version")));
      assertTrue(
          reported.stream()
              .anyMatch(
                  v ->
                      v.key().equals("eaaaaaaaaaaaaaaa3")
                          && v.reason().contains("x must be a number")));
      assertEquals(1, events.size());
      assertEquals(EntityEvent.Kind.CREATE, events.get(0).kind());
      assertTrue(!events.get(0).local());

      // A valid entity overwritten with an invalid value disappears with a delete event (previous
      // kept).
      m.doc()
          .transact(
              tr ->
                  m.doc()
                      .getMap(OTHER)
                      .set("eaaaaaaaaaaaaaaa1", stored("eaaaaaaaaaaaaaaa1", "2", html())));
      m.drainEvents();
      assertTrue(m.entities().isEmpty());
      assertEquals(EntityEvent.Kind.DELETE, events.get(1).kind());
      assertEquals(1, events.get(1).previous().dataAs(nodenogg.microcosm.HtmlData.class).x());
    }
  }

  @Test
  void e4ValuesAreReadByAnE5Microcosm() {
    try (YMicrocosm m = YMicrocosm.inMemory("lenient")) {
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("uuid", "eaaaaaaaaaaaaaaa1");
      content.put("lastEdited", 1);
      content.put("created", 1);
      content.put("version", "1");
      content.put("data", Map.of("type", "emoji", "content", "❤️"));
      m.doc()
          .transact(
              tr -> {
                m.doc().getMap("identities").set(OTHER, true);
                m.doc()
                    .getMap(OTHER)
                    .set("eaaaaaaaaaaaaaaa1", Map.of("content", content, "signature", ""));
              });
      assertEquals(OTHER, m.getEntity(OTHER, "eaaaaaaaaaaaaaaa1").orElseThrow().identityId());
    }
  }

  @Test
  void unlistingACollectionRemovesItsEntities() {
    try (YMicrocosm m = YMicrocosm.inMemory("lenient")) {
      List<EntityEvent> events = Collections.synchronizedList(new ArrayList<>());
      m.subscribe(events::add);
      m.doc()
          .transact(
              tr -> {
                m.doc().getMap("identities").set(OTHER, true);
                m.doc()
                    .getMap(OTHER)
                    .set("eaaaaaaaaaaaaaaa1", stored("eaaaaaaaaaaaaaaa1", "1", html()));
                m.doc().getMap(OTHER).set("bad key", "x");
              });
      assertEquals(1, m.entities().size());
      m.doc().transact(tr -> m.doc().getMap("identities").delete(OTHER));
      m.drainEvents();
      assertTrue(m.entities().isEmpty(), "readers see collections only through the identities map");
      assertTrue(m.getCollections().isEmpty());
      assertTrue(m.invalidValues().isEmpty());
      assertEquals(
          List.of(EntityEvent.Kind.CREATE, EntityEvent.Kind.DELETE),
          events.stream().map(EntityEvent::kind).toList());
    }
  }
}
