package nodenogg.ymicrocosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.IdentityWithStatus;
import org.junit.jupiter.api.Test;

/** Presence through awareness: E5 shape, seen by peers, renewed, expired after 30 s of silence. */
class PresenceTest {
  final Identity alice = new Identity("@aaaaaaaaaaaaaaa1", "Alice");

  @Test
  void joinPublishesE5AwarenessShape() {
    AtomicLong clock = new AtomicLong(1_000_000);
    try (YMicrocosm m =
        YMicrocosm.open("presence", MicrocosmOptions.defaults().clock(clock::get))) {
      m.join(alice);
      @SuppressWarnings("unchecked")
      Map<String, Object> local = (Map<String, Object>) m.awareness().getLocalState();
      assertEquals(
          Map.of(
              "identity",
              Map.of("id", alice.id(), "nickname", "Alice", "version", "1"),
              "timestamp",
              1_000_000L,
              "joined",
              true),
          local.get("identity"));
      assertEquals(List.of(new IdentityWithStatus(alice, 1_000_000, true)), m.state().identities());
      m.leave(alice);
      assertFalse(m.state().identities().get(0).joined());
      assertEquals(0, m.state().joinedCount());
    }
  }

  @Test
  void peersSeePresenceWhichIsRenewedAndExpires() {
    AtomicLong clock = new AtomicLong(1_000_000);
    MicrocosmOptions opts = MicrocosmOptions.defaults().clock(clock::get);
    try (YMicrocosm a = YMicrocosm.open("presence", opts);
        YMicrocosm b = YMicrocosm.open("presence", opts);
        InMemoryLink link = InMemoryLink.connect(a, b)) {
      a.join(alice);
      link.flush();
      assertEquals(1, b.state().joinedCount());
      assertEquals(alice, b.state().identities().get(0).identity());
      // a keeps checking: it renews before 30 s, so b keeps seeing it across 60 s.
      for (int i = 0; i < 20; i++) {
        clock.addAndGet(3_000);
        a.checkPresence();
        link.flush();
        b.checkPresence();
      }
      assertEquals(1, b.state().joinedCount(), "renewed presence must not expire");
      // a goes silent (no more checks, hence no renewal): b drops it after 30 s.
      clock.addAndGet(29_000);
      b.checkPresence();
      assertEquals(1, b.state().joinedCount());
      clock.addAndGet(2_000);
      b.checkPresence();
      assertTrue(b.state().identities().isEmpty(), "silent peer must expire after 30 s");
    }
  }

  @Test
  void closingALinkDropsThePeersPresence() {
    try (YMicrocosm a = YMicrocosm.inMemory("presence");
        YMicrocosm b = YMicrocosm.inMemory("presence")) {
      InMemoryLink link = InMemoryLink.connect(a, b);
      a.join(alice);
      link.flush();
      assertEquals(1, b.state().joinedCount());
      assertTrue(a.state().connected());
      link.close();
      assertFalse(a.state().connected());
      assertFalse(b.state().connected());
      assertTrue(b.state().identities().isEmpty());
    }
  }

  @Test
  void closingOneEndForgetsItsPresenceEvenWithDeliveriesInFlight() {
    // closing publishes a last presence (joined = false) on the link thread; the other side must
    // still
    // end without that identity, however the delivery and the disconnect interleave
    for (int round = 0; round < 300; round++) {
      try (YMicrocosm b = YMicrocosm.inMemory("presence")) {
        YMicrocosm a = YMicrocosm.inMemory("presence");
        InMemoryLink link = InMemoryLink.connect(a, b);
        a.join(alice);
        link.flush();
        a.close();
        assertTrue(
            b.state().identities().isEmpty(), "round " + round + ": " + b.state().identities());
        link.close();
      }
    }
  }

  @Test
  void closingOneEndDisconnectsTheOther() {
    try (YMicrocosm b = YMicrocosm.inMemory("presence")) {
      YMicrocosm a = YMicrocosm.inMemory("presence");
      InMemoryLink link = InMemoryLink.connect(a, b);
      a.join(alice);
      link.flush();
      assertEquals(1, b.state().joinedCount());
      a.close();
      assertFalse(b.state().connected());
      assertTrue(b.state().identities().isEmpty());
      b.identify("@bbbbbbbbbbbbbbb2");
      b.create(nodenogg.microcosm.HtmlData.note(0, 0, "after"));
      link.flush();
      assertTrue(a.entities().isEmpty(), "no traffic after disconnect");
      link.close();
    }
  }
}
