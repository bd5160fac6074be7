package nodenogg.sync.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.Doc;
import nodenogg.crdt.YText;
import org.junit.jupiter.api.Test;

/**
 * What {@link DocSync#apply} reports: the update the Doc emitted, and pending data a host must
 * keep.
 */
class DocSyncTest {
  private static List<byte[]> threeEdits() {
    Doc a = new Doc(new Doc.Options().clientId(1));
    YText t = a.getText("t");
    List<byte[]> ups = new ArrayList<>();
    a.onUpdate((u, o, tr) -> ups.add(u));
    t.insert(0, "a");
    t.insert(1, "b"); // needs the first
    t.delete(0, 1); // deletes what the first inserted
    return ups;
  }

  @Test
  void applyReturnsTheEmittedUpdateAndPendingState() {
    List<byte[]> ups = threeEdits();
    DocSync sync = DocSync.newDocument();
    List<byte[]> heard = new ArrayList<>();
    List<Object> origins = new ArrayList<>();
    sync.onUpdate(
        (u, origin) -> {
          heard.add(u);
          origins.add(origin);
        });

    SyncDocument.Applied second = sync.apply(ups.get(1), "peer");
    assertFalse(second.changed());
    assertNull(second.update());
    assertTrue(second.pending());
    assertTrue(second.changedOrPending(), "a host must keep an update that is only pending");

    SyncDocument.Applied first = sync.apply(ups.get(0), "peer");
    assertTrue(first.changed());
    assertFalse(first.pending());
    assertSame(heard.get(0), first.update(), "the update the listeners heard");
    assertEquals(List.of("peer"), origins);
    assertEquals("ab", sync.doc().getText("t").toString());

    SyncDocument.Applied again = sync.apply(ups.get(0), "peer");
    assertFalse(again.changedOrPending());
    assertEquals(1, heard.size());

    assertTrue(sync.containsUpdate(ups.get(1)));
    assertFalse(sync.containsUpdate(ups.get(2)));
    assertTrue(sync.apply(ups.get(2), null).changed());
    assertEquals("b", sync.doc().getText("t").toString());
    assertTrue(sync.containsUpdate(ups.get(2)));
  }
}
