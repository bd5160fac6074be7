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
    try (YMicrocosm a = YMicrocosm.inMemory("shared");
        YMicrocosm b = YMicrocosm.inMemory("shared");
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
      assertEquals(
          "edited by bob",
          a.getEntity(BOB, bobs.id()).orElseThrow().dataAs(HtmlData.class).content());
      assertEquals(List.of(ALICE, BOB), a.getCollections());
    }
  }

  @Test
  void undoLeavesAKeyAnotherDeviceChangedSince() {
    // the same identity on two devices: both write the same collection
    try (YMicrocosm laptop = YMicrocosm.inMemory("devices");
        YMicrocosm phone = YMicrocosm.inMemory("devices");
        InMemoryLink link = InMemoryLink.connect(laptop, phone)) {
      laptop.identify(ALICE);
      phone.identify(ALICE);
      Entity note = laptop.create(HtmlData.note(0, 0, "laptop"));
      Entity other = laptop.create(HtmlData.note(9, 9, "untouched"));
      laptop.update(EntityUpdate.move(other.id(), 50, 50));
      link.flush();
      phone.update(EntityUpdate.content(note.id(), "phone"));
      link.flush();
      assertTrue(laptop.undo(), "undo the move");
      assertEquals(9, laptop.getEntity(ALICE, other.id()).orElseThrow().dataAs(HtmlData.class).x());
      assertTrue(laptop.undo(), "undo creating 'untouched'");
      assertTrue(laptop.getEntity(ALICE, other.id()).isEmpty());
      assertTrue(laptop.undo(), "undo creating 'laptop': skipped, the phone changed it since");
      link.flush();
      assertEquals(
          "phone",
          laptop.getEntity(ALICE, note.id()).orElseThrow().dataAs(HtmlData.class).content());
      assertEquals(
          "phone",
          phone.getEntity(ALICE, note.id()).orElseThrow().dataAs(HtmlData.class).content());
    }
  }

  @Test
  void editsWithinTheCaptureTimeoutMergeIntoOneStep() {
    java.util.concurrent.atomic.AtomicLong clock =
        new java.util.concurrent.atomic.AtomicLong(10_000);
    try (YMicrocosm m =
        YMicrocosm.open(
            "capture", MicrocosmOptions.defaults().clock(clock::get).captureTimeoutMillis(500))) {
      m.identify(ALICE);
      Entity e = m.create(HtmlData.note(0, 0, "a"));
      clock.addAndGet(1_000);
      m.update(EntityUpdate.move(e.id(), 1, 1));
      clock.addAndGet(100);
      m.update(EntityUpdate.move(e.id(), 2, 2));
      clock.addAndGet(100);
      m.update(EntityUpdate.move(e.id(), 3, 3));
      assertTrue(m.undo(), "the three quick moves are one step");
      assertEquals(0, m.getEntity(ALICE, e.id()).orElseThrow().dataAs(HtmlData.class).x());
      assertTrue(m.undo(), "the create, 1 s earlier, is its own step");
      assertTrue(m.getEntity(ALICE, e.id()).isEmpty());
      assertTrue(m.redo());
      assertTrue(m.redo());
      assertEquals(3, m.getEntity(ALICE, e.id()).orElseThrow().dataAs(HtmlData.class).x());
    }
  }
}
