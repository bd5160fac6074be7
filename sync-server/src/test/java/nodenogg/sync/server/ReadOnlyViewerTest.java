package nodenogg.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YText;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.protocol.SyncDocument;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 finding 5: ten 18-byte read-only SyncStep2 messages on a 1.6 MB document stalled every
 * other document of the server (the read-only check copied the whole document, on the event loop).
 * Here the check is made to block outright, and an unrelated document on the same (single) event
 * loop must still round-trip: the large document's work runs off the loop.
 */
class ReadOnlyViewerTest {
  /** Blocks every read-only check while armed. */
  static volatile CountDownLatch gate = new CountDownLatch(0);

  /** A document whose read-only check waits for {@link #gate}. */
  static final class GatedDoc implements SyncDocument {
    final DocSync inner = DocSync.newDocument();

    @Override
    public byte[] stateVector() {
      return inner.stateVector();
    }

    @Override
    public byte[] diff(byte[] remoteStateVector) {
      return inner.diff(remoteStateVector);
    }

    @Override
    public Applied apply(byte[] update, Object origin) {
      return inner.apply(update, origin);
    }

    @Override
    public boolean containsUpdate(byte[] update) {
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return inner.containsUpdate(update);
    }

    @Override
    public byte[] merge(List<byte[]> updates) {
      return inner.merge(updates);
    }

    @Override
    public Registration onUpdate(BiConsumer<byte[], Object> listener) {
      return inner.onUpdate(listener);
    }
  }

  static byte[] largeDocument() {
    Doc doc = new Doc(new Doc.Options().clientId(77));
    YText t = doc.getText("t");
    String chunk = "x".repeat(1600);
    for (int i = 0; i < 1000; i++) {
      t.insert(t.length(), chunk);
    }
    return Updates.encodeStateAsUpdate(doc);
  }

  private static long statuses(JdkSocket s, int value) {
    return s.binary.stream()
        .filter(
            m -> {
              Hocuspocus.Frame f = Hocuspocus.decode(m);
              return f.type() == Hocuspocus.SYNC_STATUS && f.body().readVarUint() == value;
            })
        .count();
  }

  @Test
  void aReadOnlyViewerOnALargeDocumentDoesNotStallOtherDocuments() throws Exception {
    nodenogg.persistence.UpdateStore store = new nodenogg.persistence.InMemoryUpdateStore();
    byte[] big = largeDocument();
    assertTrue(big.length > 1_600_000);
    store.append("big", big).join();
    try (SyncServer s =
        SyncServer.builder()
            .port(0)
            .store(store)
            .eventLoops(1)
            .documentFactory(GatedDoc::new)
            .hooks(new TokenAuthHooks("rw", "ro", null))
            .build()
            .start()) {
      URI sync = URI.create("ws://127.0.0.1:" + s.port() + "/sync");
      try (JdkSocket viewer = new JdkSocket(sync, true);
          JdkSocket writer = new JdkSocket(sync, true)) {
        viewer.send(Hocuspocus.authToken("big", "ro", null));
        viewer.send(Hocuspocus.syncStep1("big", new byte[] {0}));
        TestTime.await(
            "the viewer has the 1.6 MB document",
            () -> viewer.binary.stream().anyMatch(m -> m.length > 1_600_000));
        writer.send(Hocuspocus.authToken("small", "rw", null));
        TestTime.await("writer authenticated", () -> !writer.binary.isEmpty());

        gate = new CountDownLatch(1); // every read-only check now blocks
        byte[] step2 =
            Hocuspocus.syncStep2("big", new byte[] {0, 0}); // adds nothing: SyncStatus(1)
        for (int i = 0; i < 10; i++) {
          viewer.send(step2);
        }
        // an unrelated document on the same event loop still round-trips while the checks are
        // blocked
        Doc edit = new Doc(new Doc.Options().clientId(5));
        edit.getMap("m").set("k", 1);
        writer.send(Hocuspocus.syncUpdate("small", Updates.encodeStateAsUpdate(edit)));
        TestTime.await(
            "the unrelated document's update is acknowledged", () -> statuses(writer, 1) == 1);
        assertEquals(
            0, statuses(viewer, 1) + statuses(viewer, 0), "the viewer's checks are still blocked");
        gate.countDown();
        TestTime.await("the viewer's ten checks are answered", () -> statuses(viewer, 1) == 10);
      } finally {
        gate.countDown();
      }
    }
  }
}
