package nodenogg.persistence.yjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.UpdateFormat;
import org.junit.jupiter.api.Test;

class YjsFormatTest {

  private static final YjsFormat F = YjsFormat.INSTANCE;

  private static Map<Long, Long> sv(UpdateFormat.Coverage c) {
    return Updates.decodeStateVector(c.version());
  }

  @Test
  void theVersionOfOneUpdateIsWhatYjsComputesFromIt() {
    Doc a = new Doc(new Doc.Options().clientId(1));
    Doc b = new Doc(new Doc.Options().clientId(2));
    a.getText("t").insert(0, "hello é😀");
    b.getArray("a").insert(0, List.of(1, "two", Map.of("x", 3.5)));
    Updates.applyUpdate(a, Updates.encodeStateAsUpdate(b));
    a.getText("t").delete(1, 2);
    byte[] state = Updates.encodeStateAsUpdate(a);
    assertArrayEquals(Updates.encodeStateVectorFromUpdate(state), F.check(state).version());
    assertEquals(Updates.decodeStateVector(Updates.encodeStateVector(a)), sv(F.check(state)));
  }

  @Test
  void skipGapsOfMergedUpdatesAreNotCovered() {
    Doc d = new Doc(new Doc.Options().clientId(4));
    List<byte[]> ups = new java.util.ArrayList<>();
    d.onUpdate((u, o, t) -> ups.add(u));
    for (int i = 0; i < 3; i++) {
      d.getText("t").insert(d.getText("t").length(), "ab");
    }
    byte[] merged = Updates.mergeUpdates(List.of(ups.get(0), ups.get(2))); // [0,2) skip [2,4) [4,6)
    UpdateFormat.Coverage c = F.check(merged);
    assertEquals(Map.of(4L, 2L), sv(c));
    c.add(F.check(ups.get(1)));
    assertEquals(Map.of(4L, 6L), sv(c));
  }

  @Test
  void coverageRoundTripsAndReadsTheFormatPersistedBefore() {
    UpdateFormat.Coverage c = F.emptyCoverage();
    Doc d = new Doc(new Doc.Options().clientId(300));
    d.getMap("m").set("k", 1);
    c.add(F.check(Updates.encodeStateAsUpdate(d)));
    UpdateFormat.Coverage back = F.decodeCoverage(c.encode());
    assertArrayEquals(c.encode(), back.encode());
    assertArrayEquals(c.version(), back.version());
    // the SQLite store has persisted this layout since its schema v1: client 7 holds [0, 1)
    assertEquals(Map.of(7L, 1L), sv(F.decodeCoverage(new byte[] {1, 7, 1, 0, 1})));
    assertThrows(IllegalArgumentException.class, () -> F.decodeCoverage(new byte[] {5}));
    assertThrows(IllegalArgumentException.class, () -> F.decodeCoverage(new byte[] {0, 0}));
  }

  @Test
  void checkRefusesWhatTheEngineRefusesWithATypedRejection() {
    byte[] notAnUpdate = {1, 2, 3};
    assertThrows(RuntimeException.class, () -> Updates.applyUpdate(new Doc(), notAnUpdate));
    InvalidUpdateException e =
        assertThrows(InvalidUpdateException.class, () -> F.check(notAnUpdate));
    assertTrue(e.isRejection());
    assertTrue(e.getMessage().startsWith("not a Yjs v1 update"), e.getMessage());
  }

  @Test
  void mergeFlagsOnlyUpdatesThatCannotIntegrate() {
    Doc d = new Doc(new Doc.Options().clientId(8));
    List<byte[]> ups = new java.util.ArrayList<>();
    d.onUpdate((u, o, t) -> ups.add(u));
    for (int i = 0; i < 4; i++) {
      d.getText("t").insert(0, "z" + i);
    }
    UpdateFormat.Merged all = F.merge(ups);
    assertFalse(all.keep()[0] || all.keep()[1] || all.keep()[2] || all.keep()[3]);
    UpdateFormat.Merged partial = F.merge(ups.subList(1, 4));
    assertTrue(
        partial.keep()[0] && partial.keep()[1] && partial.keep()[2],
        "all depend on the missing first insert");
    Doc fromMerged = new Doc();
    Updates.applyUpdate(fromMerged, all.update());
    assertEquals(d.getText("t").toString(), fromMerged.getText("t").toString());
  }
}
