package nodenogg.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import nodenogg.automerge.store.AutomergeFormat;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.IdentityWithStatus;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the conformance suite does not cover: undo's rules, storage, presence, the incremental
 * index.
 */
class AutomergeMicrocosmTest {
  private static final String ADA = "@aaaaaaaaaaaaaaa1";

  private static AutomergeMicrocosm ada() {
    AutomergeMicrocosm m = AutomergeMicrocosm.inMemory("undo");
    m.identify(ADA);
    return m;
  }

  @Test
  void undoOfCreateDeleteAndHtml() {
    try (AutomergeMicrocosm m = ada()) {
      assertFalse(m.canUndo());
      Entity n = m.create(HtmlData.note(0, 0, "<p>one</p>"));
      m.update(EntityUpdate.content(n.id(), "<p>one two</p>"));
      m.delete(n.id());
      assertTrue(m.getEntity(n.location()).isEmpty());
      assertTrue(m.undo()); // the delete
      assertEquals(
          "<p>one two</p>",
          m.getEntity(n.location()).orElseThrow().dataAs(HtmlData.class).content());
      assertTrue(m.undo()); // the edit
      assertEquals(
          "<p>one</p>", m.getEntity(n.location()).orElseThrow().dataAs(HtmlData.class).content());
      assertTrue(m.undo()); // the create
      assertTrue(m.getEntity(n.location()).isEmpty());
      assertFalse(m.undo());
      assertTrue(m.redo());
      assertTrue(m.redo());
      assertEquals(
          "<p>one two</p>",
          m.getEntity(n.location()).orElseThrow().dataAs(HtmlData.class).content());
      m.update(EntityUpdate.move(n.id(), 1, 1));
      assertFalse(m.canRedo(), "a new edit clears redo");
    }
  }

  @Test
  void undoKeepsWhatAnotherDeviceChangedSince() {
    try (AutomergeMicrocosm a = ada();
        AutomergeMicrocosm a2 = ada()) {
      Entity n = a.create(HtmlData.note(0, 0, "<p>x</p>"));
      a.update(EntityUpdate.move(n.id(), 10, 10), EntityUpdate.content(n.id(), "<p>mine</p>"));
      InMemorySync.sync(a.document(), a2.document());
      a2.update(
          EntityUpdate.content(
              n.id(), "<p>theirs</p>")); // the other device edits the HTML after us
      InMemorySync.sync(a.document(), a2.document());
      assertTrue(a.undo());
      HtmlData d = a.getEntity(n.location()).orElseThrow().dataAs(HtmlData.class);
      assertEquals(0, d.x(), "our move is undone");
      assertEquals("<p>theirs</p>", d.content(), "their later HTML edit stays");
    }
  }

  @Test
  void editsWithinTheCaptureTimeoutAreOneStep() {
    long[] now = {1_000_000};
    try (AutomergeMicrocosm m =
        AutomergeMicrocosm.open(
            "cap", AutomergeOptions.defaults().clock(() -> now[0]).captureTimeoutMillis(500))) {
      m.identify(ADA);
      Entity n = m.create(HtmlData.note(0, 0, ""));
      now[0] += 1000;
      m.update(EntityUpdate.move(n.id(), 1, 1));
      now[0] += 100;
      m.update(EntityUpdate.move(n.id(), 2, 2));
      assertTrue(m.undo());
      assertEquals(
          0,
          m.getEntity(n.location()).orElseThrow().dataAs(HtmlData.class).x(),
          "both moves in one step");
      assertTrue(m.getEntity(n.location()).isPresent(), "the create was its own step");
    }
  }

  @Test
  void storedChangesSurviveAReopenAndACompaction(@TempDir Path dir) {
    Map<EntityLocation, Entity> before;
    try (SqliteUpdateStore sqlite = SqliteUpdateStore.openDirectory(dir)) {
      UpdateStore store = sqlite.withFormat(AutomergeFormat.INSTANCE);
      try (AutomergeMicrocosm m =
          AutomergeMicrocosm.open("garden", AutomergeOptions.defaults().store(store))) {
        m.identify(ADA);
        Entity n = m.create(HtmlData.note(1, 2, "<p>kept</p>"));
        for (int i = 0; i < 20; i++) {
          m.update(EntityUpdate.move(n.id(), i, i));
        }
        m.flush().join();
        assertTrue(m.state().persisted());
        before = m.entities();
      }
      assertEquals(
          22, store.load("garden").size(), "identify + create + 20 moves, one append each");
      try (AutomergeMicrocosm again =
          AutomergeMicrocosm.open("garden", AutomergeOptions.defaults().store(store))) {
        assertEquals(before, again.entities());
      }
      store.compact("garden");
      try (AutomergeMicrocosm again =
          AutomergeMicrocosm.open("garden", AutomergeOptions.defaults().store(store))) {
        assertEquals(before, again.entities());
      }
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> AutomergeOptions.defaults().store(new nodenogg.persistence.InMemoryUpdateStore()),
        "a Yjs store is refused");
  }

  @Test
  void badBytesAreRefusedAndChangeNothing() {
    try (AutomergeMicrocosm m = ada()) {
      m.create(HtmlData.note(0, 0, "a"));
      Map<EntityLocation, Entity> before = m.entities();
      assertThrows(
          InvalidUpdateException.class,
          () -> m.applyChanges(new byte[] {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83}));
      assertThrows(InvalidUpdateException.class, () -> m.applyChanges("not automerge".getBytes()));
      assertEquals(before, m.entities());
    }
  }

  /**
   * The incremental index (entities found from the bytes of each remote change) against a full
   * read: random edits by two devices, synced after every few steps, must leave the index equal to
   * a fresh microcosm reading the same document from scratch.
   */
  @Test
  void theIncrementalIndexAgreesWithAFullRead() {
    Random r = new Random(7);
    try (AutomergeMicrocosm a = ada();
        AutomergeMicrocosm b = AutomergeMicrocosm.inMemory("undo")) {
      b.identify("@bbbbbbbbbbbbbbb2");
      List<AutomergeMicrocosm> peers = List.of(a, b);
      for (int step = 0; step < 300; step++) {
        AutomergeMicrocosm p = peers.get(r.nextInt(2));
        List<String> own = p.getCollection(p.identityId().orElseThrow());
        int op = r.nextInt(10);
        if (own.isEmpty() || op < 3) {
          p.create(HtmlData.note(r.nextInt(100), r.nextInt(100), "n" + step));
        } else if (op < 6) {
          p.update(
              EntityUpdate.move(own.get(r.nextInt(own.size())), r.nextInt(500), r.nextInt(500)));
        } else if (op < 8) {
          p.update(EntityUpdate.content(own.get(r.nextInt(own.size())), "<p>" + step + "</p>"));
        } else if (op < 9) {
          p.delete(own.get(r.nextInt(own.size())));
        } else {
          p.undo();
        }
        if (r.nextInt(4) == 0) {
          InMemorySync.sync(a.document(), b.document());
          for (AutomergeMicrocosm x : peers) {
            try (AutomergeMicrocosm fresh = AutomergeMicrocosm.inMemory("undo")) {
              fresh.applyChanges(x.save());
              assertEquals(fresh.entities(), x.entities(), "step " + step);
            }
          }
        }
      }
      InMemorySync.sync(a.document(), b.document());
      assertEquals(a.entities(), b.entities());
    }
  }

  @Test
  void remoteChangesAreEventsMarkedRemote() {
    try (AutomergeMicrocosm a = ada();
        AutomergeMicrocosm b = AutomergeMicrocosm.inMemory("undo")) {
      List<EntityEvent> events = new CopyOnWriteArrayList<>();
      b.subscribe(events::add);
      Entity n = a.create(HtmlData.note(0, 0, "x"));
      InMemorySync.sync(a.document(), b.document());
      a.update(EntityUpdate.move(n.id(), 5, 5));
      InMemorySync.sync(a.document(), b.document());
      b.drainEvents();
      assertEquals(
          List.of(EntityEvent.Kind.CREATE, EntityEvent.Kind.UPDATE),
          events.stream().map(EntityEvent::kind).toList());
      assertTrue(events.stream().noneMatch(EntityEvent::local));
    }
  }

  /**
   * Presence as automerge-repo's Presence messages, through a transport that relays ephemeral
   * messages.
   */
  @Test
  void presenceTravelsAsEphemeralMessages() throws Exception {
    List<MicrocosmTransport.Listener> listeners = new CopyOnWriteArrayList<>();
    List<String> names = new ArrayList<>();
    MicrocosmTransport relay =
        (documentId, document, listener) -> {
          listeners.add(listener);
          String me = "peer-" + listeners.size();
          names.add(me);
          listener.connectionChanged(true);
          return new MicrocosmTransport.Share() {
            @Override
            public void broadcast(Object message) {
              for (MicrocosmTransport.Listener l : listeners) {
                if (l != listener) {
                  l.ephemeral(me, message);
                }
              }
            }

            @Override
            public void close() {
              listeners.remove(listener);
            }
          };
        };
    try (AutomergeMicrocosm a =
            AutomergeMicrocosm.open("p", AutomergeOptions.defaults().transport(relay));
        AutomergeMicrocosm b =
            AutomergeMicrocosm.open("p", AutomergeOptions.defaults().transport(relay))) {
      Identity ada = new Identity(ADA, "Ada");
      a.join(ada);
      assertTrue(b.state().connected());
      List<IdentityWithStatus> seen = b.state().identities();
      assertEquals(1, seen.size());
      assertEquals(ada, seen.get(0).identity());
      assertTrue(seen.get(0).joined());
      a.leave(ada);
      assertFalse(b.state().identities().get(0).joined());
      a.close();
      assertTrue(b.state().identities().isEmpty(), "goodbye removes the peer");
    }
  }
}
