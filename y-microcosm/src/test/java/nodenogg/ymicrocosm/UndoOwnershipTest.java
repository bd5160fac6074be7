package nodenogg.ymicrocosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import org.junit.jupiter.api.Test;

class UndoOwnershipTest {
  static final String ALICE = "@aaaaaaaaaaaaaaa1";
  static final String BOB = "@bbbbbbbbbbbbbbb2";

  @Test
  void undoRedoStepsThroughOwnEdits() {
    try (YMicrocosm m = YMicrocosm.inMemory("undo")) {
      assertFalse(m.undo(), "nothing to undo before identify");
      m.identify(ALICE);
      Entity e = m.create(HtmlData.note(0, 0, "a"));
      m.update(EntityUpdate.move(e.id(), 100, 200));
      assertTrue(m.undo());
      assertEquals(0, m.getEntity(ALICE, e.id()).orElseThrow().dataAs(HtmlData.class).x());
      assertTrue(m.undo());
      assertTrue(m.getEntity(ALICE, e.id()).isEmpty());
      assertFalse(m.undo());
      assertTrue(m.redo());
      assertEquals(0, m.getEntity(ALICE, e.id()).orElseThrow().dataAs(HtmlData.class).x());
      assertTrue(m.redo());
      assertEquals(100, m.getEntity(ALICE, e.id()).orElseThrow().dataAs(HtmlData.class).x());
      assertFalse(m.redo());
      assertEquals(List.of(ALICE), m.getCollections(), "undo never unregisters the collection");
    }
  }

  @Test
  void batchUpdateIsOneUndoStep() {
    try (YMicrocosm m = YMicrocosm.inMemory("undo")) {
      m.identify(ALICE);
      List<Entity> es = m.create(List.of(HtmlData.note(0, 0, "a"), HtmlData.note(0, 0, "b")));
      m.update(EntityUpdate.move(es.get(0).id(), 1, 1), EntityUpdate.move(es.get(1).id(), 2, 2));
      assertTrue(m.undo());
      assertEquals(0, m.getEntity(ALICE, es.get(0).id()).orElseThrow().dataAs(HtmlData.class).x());
      assertEquals(0, m.getEntity(ALICE, es.get(1).id()).orElseThrow().dataAs(HtmlData.class).x());
    }
  }

  @Test
  void cannotEditAnotherIdentitysCollectionAndUndoIgnoresRemoteEdits() {
    try (YMicrocosm a = YMicrocosm.inMemory("shared"); YMicrocosm b = YMicrocosm.inMemory("shared");
        InMemoryLink link = InMemoryLink.connect(a, b)) {
      a.identify(ALICE);
      b.identify(BOB);
      Entity bobs = b.create(HtmlData.note(5, 5, "bob's"));
      link.flush();
      assertEquals(bobs, a.getEntity(BOB, bobs.id()).orElseThrow());
      // Alice cannot touch Bob's note: ids outside her collection are skipped.
      assertTrue(a.update(EntityUpdate.move(bobs.id(), 0, 0)).isEmpty());
      assertEquals(0, a.delete(bobs.id()));
      assertTrue(a.patch(bobs.id(), d -> d).isEmpty());
      a.deleteAll();
      link.flush();
      assertEquals(bobs, a.getEntity(BOB, bobs.id()).orElseThrow());
      assertEquals(bobs, b.getEntity(BOB, bobs.id()).orElseThrow());
      // Alice's undo only covers Alice's edits.
      Entity hers = a.create(HtmlData.note(1, 1, "alice's"));
      link.flush();
      b.update(EntityUpdate.content(bobs.id(), "edited by bob"));
      link.flush();
      assertTrue(a.undo());
      assertFalse(a.undo(), "Bob's edits are not on Alice's undo stack");
      link.flush();
      assertTrue(a.getEntity(ALICE, hers.id()).isEmpty());
      assertEquals("edited by bob", a.getEntity(BOB, bobs.id()).orElseThrow().dataAs(HtmlData.class).content());
      assertEquals(List.of(ALICE, BOB), a.getCollections());
    }
  }
}
