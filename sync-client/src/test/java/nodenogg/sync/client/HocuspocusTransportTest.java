package nodenogg.sync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.Subscription;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.server.SyncServer;
import nodenogg.ymicrocosm.YMicrocosm;
import org.junit.jupiter.api.Test;

/**
 * Two microcosms attached through {@link HocuspocusTransport} to one server see each other's notes
 * and presence.
 */
class HocuspocusTransportTest {

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    double scale = Double.parseDouble(System.getProperty("nodenogg.timeout.scale", "4"));
    long end = System.nanoTime() + (long) (TimeUnit.SECONDS.toNanos(30) * scale);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void microcosmsAttachedToOneServerShareNotesAndPresence() throws Exception {
    Identity a = Identity.create("A");
    Identity b = Identity.create("B");
    try (SyncServer server =
            SyncServer.builder()
                .host("127.0.0.1")
                .port(0)
                .store(new InMemoryUpdateStore())
                .build()
                .start();
        HocuspocusClient ca =
            HocuspocusTransport.connect("ws://127.0.0.1:" + server.port() + "/sync");
        HocuspocusClient cb =
            HocuspocusTransport.connect("ws://127.0.0.1:" + server.port() + "/sync");
        YMicrocosm ma = YMicrocosm.inMemory("transporttest");
        YMicrocosm mb = YMicrocosm.inMemory("transporttest")) {
      Subscription sa = ma.attach(HocuspocusTransport.over(ca, HocuspocusTransport.DEFAULT_TOKEN));
      HocuspocusDocument[] opened = new HocuspocusDocument[1];
      mb.attach(
          HocuspocusTransport.over(cb, HocuspocusTransport.DEFAULT_TOKEN, d -> opened[0] = d));
      assertEquals("transporttest", opened[0].name());
      await("both connected", () -> ma.state().connected() && mb.state().connected());

      ma.identify(a.id());
      ma.join(a);
      mb.identify(b.id());
      Entity note = ma.create(HtmlData.note(5, 6, "<p>over the wire</p>"));
      await("B sees A's note", () -> mb.collection(a.id()).containsKey(note.id()));
      assertEquals(note.data(), mb.collection(a.id()).get(note.id()).data());
      await(
          "B sees A present",
          () -> mb.state().identities().stream().anyMatch(i -> i.identity().id().equals(a.id())));

      sa.close();
      assertFalse(ma.state().connected(), "detached: no live connection left");
    }
  }
}
