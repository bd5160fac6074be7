package nodenogg.microcosm.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.InvalidEntityException;
import org.junit.jupiter.api.Test;

/** Reference resolution, transitive skipping and id generation of the E3 → E5 mapping. */
class E3ToE5Test {
  static final String A = "@" + "a".repeat(35);
  static final String B = "@" + "b".repeat(36);

  static E3Entity e(String id, String type, int schema, Object... fields) {
    Map<String, Object> f = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      f.put((String) fields[i], fields[i + 1]);
    }
    return new E3Entity(id, type, schema, 100, 200, f);
  }

  static E3Entity note(String id, double x, double y) {
    return e(id, "html", 1, "x", x, "y", y, "width", 10, "height", 20, "body", "b-" + id);
  }

  static Supplier<String> seq(String prefix) {
    int[] n = {0};
    return () -> prefix + String.format("%016d", ++n[0]);
  }

  static Map<String, Map<String, E3Entity>> doc(Object... ownerAndEntities) {
    Map<String, Map<String, E3Entity>> d = new LinkedHashMap<>();
    for (int i = 0; i < ownerAndEntities.length; i += 2) {
      Map<String, E3Entity> c =
          d.computeIfAbsent((String) ownerAndEntities[i], k -> new LinkedHashMap<>());
      E3Entity x = (E3Entity) ownerAndEntities[i + 1];
      c.put(x.id(), x);
    }
    return d;
  }

  static Entity byOld(E3ToE5.Result r, String loc) {
    String id = r.entityIds().get(loc);
    return r.entities().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void referencesPreferTheOwnCollectionThenTheOnlyOtherOne() {
    // eSame0001 exists in both collections: A's relation means A's, B's relation means B's
    var d =
        doc(
            A,
            note("eSame0001", 1, 2),
            B,
            note("eSame0001", 3, 4),
            B,
            note("eOnlyInB1", 5, 6),
            A,
            e("eRel00001", "relation", 2, "from", "eSame0001", "to", "eOnlyInB1"),
            B,
            e("eRel00002", "relation", 2, "from", "eSame0001"),
            // C refers to an id that two other collections hold: ambiguous, the end stays open
            "@" + "c".repeat(35),
            e("eRel00003", "relation", 2, "from", "eSame0001", "to", "eOnlyInB1"));
    E3ToE5.Result r = E3ToE5.map(d, null, seq("e"), seq("@"));
    ConnectionData a = byOld(r, A + "/eRel00001").dataAs(ConnectionData.class);
    assertEquals(r.entityIds().get(A + "/eSame0001"), a.from());
    assertEquals(r.entityIds().get(B + "/eOnlyInB1"), a.to());
    assertEquals(
        r.entityIds().get(B + "/eSame0001"),
        byOld(r, B + "/eRel00002").dataAs(ConnectionData.class).from());
    ConnectionData c = byOld(r, "@" + "c".repeat(35) + "/eRel00003").dataAs(ConnectionData.class);
    assertNull(c.from());
    assertEquals(r.entityIds().get(B + "/eOnlyInB1"), c.to());
    assertTrue(
        r.notes().stream()
            .anyMatch(
                n -> n.contains("eRel00003") && n.contains("from") && n.contains("left open")),
        r.notes().toString());
    assertEquals("e0000000000000001", r.entityIds().get(A + "/eSame0001"));
    assertEquals(3, r.identityIds().size());
  }

  @Test
  void skippingIsTransitive() {
    // emoji -> relation -> ghost: the relation connects nothing, so the emoji has no target
    var d =
        doc(
            A,
            e("eGhost001", "ghost", 1, "x", 0, "y", 0, "width", 1, "height", 1, "deleted", 5),
            A,
            e("eRel00001", "relation", 2, "to", "eGhost001"),
            A,
            e("eEmoji001", "emoji", 2, "entity_id", "eRel00001", "body", ":)"),
            A,
            e("eEmoji002", "emoji", 2, "entity_id", "eEmoji001", "body", ":("));
    E3ToE5.Result r = E3ToE5.map(d, null, seq("e"), seq("@"));
    assertEquals(List.of(), r.entities());
    List<String> skipped = new ArrayList<>();
    r.skipped().forEach(s -> skipped.add(s.location().substring(A.length() + 1)));
    assertEquals(List.of("eGhost001", "eRel00001", "eEmoji001", "eEmoji002"), skipped);
    assertTrue(r.skipped().get(1).reason().contains("ghost"), r.skipped().get(1).reason());
    assertEquals(1, r.identityIds().size(), "the identity is still mapped");
  }

  @Test
  void htmlAndEmojiFields() {
    var d =
        doc(
            A,
            e(
                "eHtml0001",
                "html",
                1,
                "x",
                -1.5,
                "y",
                2,
                "width",
                300,
                "height",
                200,
                "z",
                9,
                "body",
                "<p>x</p>",
                "background_color",
                7),
            A,
            e(
                "eEmoji001",
                "emoji",
                2,
                "entity_id",
                "eHtml0001",
                "body",
                "❤️",
                "background_color",
                "red"),
            A,
            e("eHtml0002", "html", 1, "x", "1", "y", 2, "width", 3, "height", 4, "body", ""),
            A,
            e("eHtml0003", "html", 1, "x", 1, "y", 2, "width", 3, "height", 4));
    E3ToE5.Result r = E3ToE5.map(d, "@importeraaaaaaa1", seq("e"), seq("@"));
    Entity html = byOld(r, A + "/eHtml0001");
    assertEquals(new HtmlData(-1.5, 2, 300, 200, "<p>x</p>", null, null), html.data());
    assertEquals("@importeraaaaaaa1", html.identityId());
    assertEquals(100, html.created());
    assertEquals(200, html.lastEdited());
    // x, y are an offset from the parent note, not the note's own position (that doubled it in the
    // app)
    assertEquals(new EmojiData("❤️", 0, -50, html.id()), byOld(r, A + "/eEmoji001").data());
    assertEquals(2, r.skipped().size());
    assertTrue(
        r.skipped().get(0).reason().startsWith("html.x must be a number"),
        r.skipped().get(0).reason());
    assertTrue(
        r.skipped().get(1).reason().startsWith("html.body must be a string"),
        r.skipped().get(1).reason());
    assertTrue(
        r.notes()
            .contains(A + "/eHtml0001: dropped background_color (not a string), z (no E5 field)"),
        r.notes().toString());
    assertTrue(
        r.notes().contains(A + "/eEmoji001: dropped background_color (no E5 field)"),
        r.notes().toString());
  }

  @Test
  void emojiPositionsAreOffsetsFromTheirNoteAsTheWebAppDrawsThem() {
    var d =
        doc(
            A,
            note("eHtml0001", 300, 400),
            A,
            e("eEmoji001", "emoji", 2, "entity_id", "eHtml0001", "body", "a"),
            A,
            e("eEmoji002", "emoji", 2, "entity_id", "eHtml0001", "body", "b"),
            A,
            note("eHtml0002", -70, 10),
            A,
            e("eEmoji003", "emoji", 2, "entity_id", "eHtml0002", "body", "c"),
            A,
            e("eRel00001", "relation", 2, "from", "eHtml0001", "to", "eHtml0002"),
            A,
            e("eEmoji004", "emoji", 2, "entity_id", "eRel00001", "body", "d"));
    E3ToE5.Result r = E3ToE5.map(d, null, seq("e"), seq("@"));
    // MicrocosmSpatialView (v0.3.40) draws an emoji whose parent is a note at (note.x + x, note.y +
    // y)
    Map<String, double[]> drawn = new LinkedHashMap<>();
    for (String old : List.of("eEmoji001", "eEmoji002", "eEmoji003", "eEmoji004")) {
      EmojiData em = (EmojiData) byOld(r, A + "/" + old).data();
      Entity parent =
          r.entities().stream()
              .filter(x -> x.id().equals(em.parentNodeId()))
              .findFirst()
              .orElseThrow();
      double[] at =
          parent.data() instanceof HtmlData h
              ? new double[] {h.x() + em.x(), h.y() + em.y()}
              : new double[] {em.x(), em.y()};
      drawn.put(old, at);
    }
    // a row just above each note's top-left corner, one 50 px emoji box apart
    assertEquals(
        List.of(300.0, 350.0), List.of(drawn.get("eEmoji001")[0], drawn.get("eEmoji001")[1]));
    assertEquals(
        List.of(350.0, 350.0), List.of(drawn.get("eEmoji002")[0], drawn.get("eEmoji002")[1]));
    assertEquals(
        List.of(-70.0, -40.0), List.of(drawn.get("eEmoji003")[0], drawn.get("eEmoji003")[1]));
    // on a connection the app has no parent box: x, y are absolute, and stay 0, 0
    assertEquals(List.of(0.0, 0.0), List.of(drawn.get("eEmoji004")[0], drawn.get("eEmoji004")[1]));
  }

  @Test
  void idsAreDrawnAgainOnCollisionAndTheOwnerIsChecked() {
    var d = doc(A, note("eHtml0001", 0, 0), A, note("eHtml0002", 0, 0));
    Iterator<String> ids =
        List.of("e0000000000000001", "e0000000000000001", "e0000000000000002").iterator();
    E3ToE5.Result r = E3ToE5.map(d, null, ids::next, seq("@"));
    assertEquals(
        List.of("e0000000000000001", "e0000000000000002"), List.copyOf(r.entityIds().values()));
    assertThrows(InvalidEntityException.class, () -> E3ToE5.map(d, A, seq("e"), seq("@")));
    assertThrows(
        InvalidEntityException.class,
        () -> E3ToE5.map(d, null, () -> "e0000000000000001", seq("@")));
  }
}
