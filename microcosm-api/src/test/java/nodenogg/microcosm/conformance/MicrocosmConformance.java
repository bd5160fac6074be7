package nodenogg.microcosm.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EditableMicrocosmAPI;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.EntityType;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.InvalidEntityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared Microcosm conformance suite: what every {@link EditableMicrocosmAPI} backend (Yjs,
 * Earthstar, Automerge, ...) must do, run by a subclass per backend. What a backend's storage model
 * cannot hold is declared in one place, {@link #limitations()}, with the reason ({@link
 * Limitation}); the tests then check the documented weaker behaviour instead (both peers still
 * agree).
 */
public abstract class MicrocosmConformance {

  /** Things some backends cannot do, and why. */
  public enum Limitation {
    /** Undo/redo needs an operation history; a last-writer-wins document store keeps none. */
    UNDO_HISTORY(
        "a last-writer-wins store keeps only the newest version of each document: there is no history to undo"),
    /**
     * Two concurrent edits of one note's HTML merge character by character only with a text CRDT.
     */
    MERGE_CONCURRENT_HTML("HTML is one value: of two concurrent edits the later wins whole"),
    /**
     * A concurrent move and text edit of the same note both survive only when the fields are stored
     * apart.
     */
    MERGE_CONCURRENT_FIELDS(
        "the whole entity is one stored value: of a concurrent move and edit, the later wins whole"),
    /** A batch of edits reaches other peers as one change only when the store has transactions. */
    ATOMIC_BATCHES(
        "each field is its own document: other peers may see a batch one document at a time");

    public final String reason;

    Limitation(String reason) {
      this.reason = reason;
    }
  }

  /** One open microcosm and the identity it may edit as. */
  public record Peer(EditableMicrocosmAPI api, String identity) {}

  private final List<Peer> opened = new ArrayList<>();

  /**
   * Opens a new instance of the same microcosm (one per call: a device). Instances opened with the
   * same {@code who} edit as the same identity; different names, different identities.
   */
  protected abstract Peer open(String who) throws Exception;

  /** Brings every given instance to the same state (a full sync), then returns. */
  protected abstract void exchange(Peer... peers) throws Exception;

  /** What this backend cannot do (declared once, with the reasons in {@link Limitation}). */
  protected abstract Set<Limitation> limitations();

  /**
   * Waits (polling, up to 20 s) until {@code events} holds an event of {@code kind}: listeners may
   * run on an event thread.
   */
  private static void awaitKind(List<EntityEvent> events, EntityEvent.Kind kind)
      throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (events.stream().noneMatch(e -> e.kind() == kind)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no " + kind + " event within 20 s; got " + events);
      }
      Thread.sleep(5);
    }
  }

  private Peer peer(String who) throws Exception {
    Peer p = open(who);
    opened.add(p);
    return p;
  }

  private Peer identified(String who) throws Exception {
    Peer p = peer(who);
    p.api.identify(p.identity);
    return p;
  }

  @AfterEach
  void closeAll() {
    for (Peer p : opened) {
      p.api.close();
    }
  }

  @Test
  void editingBeforeIdentifyFailsAndWritesNothing() throws Exception {
    Peer p = peer("ada");
    assertThrows(IllegalStateException.class, () -> p.api.create(HtmlData.note(0, 0, "")));
    assertTrue(p.api.entities().isEmpty());
  }

  @Test
  void createdEntitiesReadBack() throws Exception {
    Peer p = identified("ada");
    Entity e = p.api.create(HtmlData.note(120, -40, "<p>hi</p>"));
    assertEquals(List.of(p.identity), p.api.getCollections());
    assertEquals(List.of(e.id()), p.api.getCollection(p.identity));
    assertEquals(e.data(), p.api.getEntity(p.identity, e.id()).orElseThrow().data());
    assertEquals(e.created(), p.api.getEntity(p.identity, e.id()).orElseThrow().created());
    assertEquals(1, p.api.boxes().size());
    assertEquals(e.id(), p.api.node(e.id()).orElseThrow().id());
    assertEquals(
        Map.of(e.id(), p.api.getEntity(p.identity, e.id()).orElseThrow()),
        p.api.collection(p.identity));
  }

  @Test
  void updatesChangeDataKeepCreatedAndSkipOtherCollections() throws Exception {
    Peer p = identified("ada");
    List<Entity> made = p.api.create(List.of(HtmlData.note(0, 0, "a"), HtmlData.note(10, 10, "b")));
    List<Entity> changed =
        p.api.update(
            EntityUpdate.move(made.get(0).id(), 5, 6),
            EntityUpdate.content(made.get(1).id(), "B"),
            EntityUpdate.move("e0000000000000000", 1, 1));
    assertEquals(2, changed.size());
    HtmlData a = p.api.getEntity(p.identity, made.get(0).id()).orElseThrow().dataAs(HtmlData.class);
    assertEquals(5, a.x());
    assertEquals("a", a.content());
    Entity b = p.api.getEntity(p.identity, made.get(1).id()).orElseThrow();
    assertEquals("B", b.dataAs(HtmlData.class).content());
    assertEquals(made.get(1).created(), b.created());
    assertTrue(b.lastEdited() >= made.get(1).lastEdited());
  }

  @Test
  void invalidUpdatesWriteNothing() throws Exception {
    Peer p = identified("ada");
    Entity a = p.api.create(HtmlData.note(0, 0, "a"));
    Entity b = p.api.create(HtmlData.note(0, 0, "b"));
    Map<EntityLocation, Entity> before = p.api.entities();
    assertThrows(
        InvalidEntityException.class,
        () ->
            p.api.update(
                EntityUpdate.move(a.id(), 1, 1), EntityUpdate.of(b.id(), Map.of("width", "wide"))));
    assertThrows(
        InvalidEntityException.class,
        () -> p.api.update(EntityUpdate.of(a.id(), Map.of("type", "emoji"))));
    assertEquals(before, p.api.entities(), "nothing changed");
  }

  @Test
  void patchDeleteAllAndTypedQueries() throws Exception {
    Peer p = identified("ada");
    Entity note = p.api.create(HtmlData.note(0, 0, "x"));
    Entity other = p.api.create(HtmlData.note(50, 0, "y"));
    p.api.create(new ConnectionData(note.id(), other.id()));
    p.api.create(EmojiData.reaction("❤️", note.id(), 10, 10));
    Entity patched =
        p.api
            .patch(note.id(), d -> ((HtmlData) d).withBackgroundColor("green").withTag(" Idea "))
            .orElseThrow();
    assertEquals(List.of("idea"), patched.dataAs(HtmlData.class).tags());
    assertEquals(
        "green",
        p.api
            .getEntity(p.identity, note.id())
            .orElseThrow()
            .dataAs(HtmlData.class)
            .backgroundColor());
    assertTrue(p.api.patch("e0000000000000000", d -> d).isEmpty());
    assertEquals(2, p.api.nodes(EntityType.HTML).size());
    assertEquals(1, p.api.nodes(EntityType.CONNECTION).size());
    assertEquals(1, p.api.nodes(EntityType.EMOJI).size());
    assertEquals(1, p.api.delete(other.id(), "e0000000000000000"));
    assertEquals(3, p.api.deleteAll());
    assertTrue(p.api.entities().isEmpty());
    assertEquals(List.of(p.identity), p.api.getCollections(), "the collection stays registered");
  }

  @Test
  void listenersHearCreateUpdateDelete() throws Exception {
    Peer p = identified("ada");
    List<EntityEvent> events = new CopyOnWriteArrayList<>();
    p.api.subscribe(events::add);
    Entity e = p.api.create(HtmlData.note(0, 0, "x"));
    awaitKind(events, EntityEvent.Kind.CREATE);
    p.api.update(EntityUpdate.move(e.id(), 3, 3));
    awaitKind(events, EntityEvent.Kind.UPDATE);
    p.api.delete(e.id());
    awaitKind(events, EntityEvent.Kind.DELETE);
    List<EntityEvent.Kind> kinds = events.stream().map(EntityEvent::kind).distinct().toList();
    assertEquals(
        List.of(EntityEvent.Kind.CREATE, EntityEvent.Kind.UPDATE, EntityEvent.Kind.DELETE), kinds);
    assertEquals(e.id(), events.get(events.size() - 1).previous().id());
  }

  @Test
  void twoPeersConverge() throws Exception {
    Peer a = identified("ada");
    Peer b = identified("bob");
    Entity na = a.api.create(HtmlData.note(1, 2, "from ada"));
    Entity nb = b.api.create(EmojiData.reaction("👍", na.id(), 3, 4));
    exchange(a, b);
    assertEquals(a.api.entities(), b.api.entities());
    assertEquals(2, a.api.entities().size());
    assertTrue(b.api.getEntity(a.identity, na.id()).isPresent());
    assertTrue(a.api.getEntity(b.identity, nb.id()).isPresent());
    assertEquals(Set.copyOf(List.of(a.identity, b.identity)), Set.copyOf(a.api.getCollections()));
  }

  @Test
  void concurrentMoveAndEditOfOneNote() throws Exception {
    Peer a = identified("ada");
    Peer a2 = identified("ada"); // the same identity on a second device
    Entity n = a.api.create(HtmlData.note(0, 0, "first"));
    exchange(a, a2);
    a.api.update(EntityUpdate.move(n.id(), 100, 200));
    Thread.sleep(5);
    a2.api.update(EntityUpdate.content(n.id(), "second"));
    exchange(a, a2);
    assertEquals(a.api.entities(), a2.api.entities(), "both devices agree");
    HtmlData d = a.api.getEntity(a.identity, n.id()).orElseThrow().dataAs(HtmlData.class);
    if (limitations().contains(Limitation.MERGE_CONCURRENT_FIELDS)) {
      assertTrue(d.x() == 100 ^ d.content().equals("second"), "one whole version wins: " + d);
    } else {
      assertEquals(100, d.x(), "the move survives");
      assertEquals("second", d.content(), "the edit survives");
    }
  }

  @Test
  void concurrentHtmlEditsOfOneNote() throws Exception {
    Peer a = identified("ada");
    Peer a2 = identified("ada");
    Entity n = a.api.create(HtmlData.note(0, 0, "<p>hello world</p>"));
    exchange(a, a2);
    a.api.update(EntityUpdate.content(n.id(), "<p>hello brave world</p>"));
    Thread.sleep(5);
    a2.api.update(EntityUpdate.content(n.id(), "<p>hello world!</p>"));
    exchange(a, a2);
    assertEquals(a.api.entities(), a2.api.entities(), "both devices agree");
    String html =
        a.api.getEntity(a.identity, n.id()).orElseThrow().dataAs(HtmlData.class).content();
    if (limitations().contains(Limitation.MERGE_CONCURRENT_HTML)) {
      assertTrue(
          html.equals("<p>hello brave world</p>") || html.equals("<p>hello world!</p>"), html);
    } else {
      assertEquals("<p>hello brave world!</p>", html);
    }
  }

  @Test
  void largeHtmlTravels() throws Exception {
    Peer a = identified("ada");
    Peer b = identified("bob");
    String big = "<p>" + "große Notiz ✓ ".repeat(2000) + "</p>";
    Entity n = a.api.create(HtmlData.note(0, 0, big));
    exchange(a, b);
    assertEquals(
        big, b.api.getEntity(a.identity, n.id()).orElseThrow().dataAs(HtmlData.class).content());
  }

  @Test
  void undoAndRedo() throws Exception {
    Peer p = identified("ada");
    Entity n = p.api.create(HtmlData.note(0, 0, "x"));
    p.api.update(EntityUpdate.move(n.id(), 9, 9));
    if (limitations().contains(Limitation.UNDO_HISTORY)) {
      assertFalse(p.api.canUndo());
      assertFalse(p.api.undo());
      assertEquals(9, p.api.getEntity(p.identity, n.id()).orElseThrow().dataAs(HtmlData.class).x());
    } else {
      assertTrue(p.api.canUndo());
      assertTrue(p.api.undo());
      assertEquals(0, p.api.getEntity(p.identity, n.id()).orElseThrow().dataAs(HtmlData.class).x());
      assertTrue(p.api.redo());
      assertEquals(9, p.api.getEntity(p.identity, n.id()).orElseThrow().dataAs(HtmlData.class).x());
    }
  }

  @Test
  void presenceJoinAndLeave() throws Exception {
    Peer p = identified("ada");
    Identity me = new Identity(p.identity, "Ada");
    p.api.join(me);
    assertTrue(
        p.api.state().identities().stream().anyMatch(i -> i.identity().equals(me) && i.joined()));
    p.api.leave(me);
    assertTrue(
        p.api.state().identities().stream().noneMatch(i -> i.identity().equals(me) && i.joined()));
  }

  @Test
  void limitationsAreDeclaredWithReasons() {
    for (Limitation l : limitations()) {
      assertFalse(l.reason.isBlank());
    }
    assertNotEquals(
        EnumSet.allOf(Limitation.class), limitations(), "a backend must do something right");
  }
}
