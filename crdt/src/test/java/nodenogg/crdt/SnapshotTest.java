package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest {
  @Test
  void referenceEncodingExample() {
    // docs/PROTOCOL.md §2 (snapshot): "01 01 01 00 01" + "01 01 08" (client 1 deleted (0,1), state
    // 8); yjs 13.6.33:
    //   const d = new Y.Doc({gc: false}); d.clientID = 1
    //   const t = d.getText("t"); t.insert(0, "abcdefgh"); t.delete(0, 1)
    //   Buffer.from(Y.encodeSnapshot(Y.snapshot(d))).toString("hex")  // 0101010001010108
    Snapshot s = Snapshot.decodeSnapshot(Hex.decode("0101010001" + "010108"));
    assertEquals("0101010001010108", Hex.encode(Snapshot.encodeSnapshot(s)));
    assertEquals(8L, s.sv.get(1L));
  }

  @Test
  void docFromSnapshotShowsThePast() {
    Doc d = new Doc(new Doc.Options().clientId(1).gc(false));
    YArray a = d.getArray("a");
    a.push(List.of(1, 2, 3));
    Snapshot past = Snapshot.snapshot(d);
    a.delete(0, 2);
    a.push(List.of(4));
    assertNotEquals(past, Snapshot.snapshot(d));
    Doc old = Snapshot.createDocFromSnapshot(d, past, new Doc());
    assertEquals(List.of(1, 2, 3), old.getArray("a").toJSON());
    assertEquals(List.of(3, 4), a.toJSON());
  }

  @Test
  void containsUpdate() {
    Doc d = new Doc(new Doc.Options().clientId(1));
    byte[][] last = new byte[1][];
    d.onUpdate((u, o, t) -> last[0] = u);
    d.getMap("m").set("a", 1);
    byte[] first = last[0];
    Snapshot s = Snapshot.snapshot(d);
    assertTrue(Snapshot.snapshotContainsUpdate(s, first));
    d.getMap("m").set("b", 2);
    assertFalse(Snapshot.snapshotContainsUpdate(s, last[0]));
  }
}
