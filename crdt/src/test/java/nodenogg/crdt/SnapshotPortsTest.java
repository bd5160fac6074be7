package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ports of yjs tests/snapshot.tests.js (names kept); expected values are the ones in the Yjs tests.
 */
class SnapshotPortsTest {
  @Test
  void testBasic() {
    Doc ydoc = new Doc(new Doc.Options().gc(false));
    ydoc.getText("").insert(0, "world!");
    Snapshot snapshot = Snapshot.snapshot(ydoc);
    ydoc.getText("").insert(0, "hello ");
    Doc restored = Snapshot.createDocFromSnapshot(ydoc, snapshot);
    assertEquals("world!", restored.getText("").toString());
  }

  @Test
  void testBasicRestoreSnapshot() {
    Doc doc = new Doc(new Doc.Options().gc(false));
    doc.getArray("array").insert(0, List.of("hello"));
    Snapshot snap = Snapshot.snapshot(doc);
    doc.getArray("array").insert(1, List.of("world"));
    Doc docRestored = Snapshot.createDocFromSnapshot(doc, snap);
    assertEquals(List.of("hello"), docRestored.getArray("array").toArray());
    assertEquals(List.of("hello", "world"), doc.getArray("array").toArray());
  }

  @Test
  void testEmptyRestoreSnapshot() {
    Doc doc = new Doc(new Doc.Options().gc(false));
    Snapshot snap = Snapshot.snapshot(doc);
    snap.sv.put(9999L, 0L);
    doc.getArray("").insert(0, List.of("world"));
    Doc docRestored = Snapshot.createDocFromSnapshot(doc, snap);
    assertEquals(List.of(), docRestored.getArray("").toArray());
    assertEquals(List.of("world"), doc.getArray("").toArray());
    Snapshot snap2 = Snapshot.snapshot(doc);
    Doc docRestored2 = Snapshot.createDocFromSnapshot(doc, snap2);
    assertEquals(List.of("world"), docRestored2.getArray("").toArray());
  }

  @Test
  void testRestoreSnapshotWithSubType() {
    Doc doc = new Doc(new Doc.Options().gc(false));
    doc.getArray("array").insert(0, List.of(new YMap()));
    YMap subMap = (YMap) doc.getArray("array").get(0);
    subMap.set("key1", "value1");
    Snapshot snap = Snapshot.snapshot(doc);
    subMap.set("key2", "value2");
    Doc docRestored = Snapshot.createDocFromSnapshot(doc, snap);
    assertEquals(List.of(Map.of("key1", "value1")), docRestored.getArray("array").toJSON());
    assertEquals(
        List.of(Map.of("key1", "value1", "key2", "value2")), doc.getArray("array").toJSON());
  }

  @Test
  void testRestoreDeletedItem1() {
    Doc doc = new Doc(new Doc.Options().gc(false));
    doc.getArray("array").insert(0, List.of("item1", "item2"));
    Snapshot snap = Snapshot.snapshot(doc);
    doc.getArray("array").delete(0, 1);
    Doc docRestored = Snapshot.createDocFromSnapshot(doc, snap);
    assertEquals(List.of("item1", "item2"), docRestored.getArray("array").toArray());
    assertEquals(List.of("item2"), doc.getArray("array").toArray());
  }

  @Test
  void testRestoreLeftItem() {
    Doc doc = new Doc(new Doc.Options().gc(false));
    doc.getArray("array").insert(0, List.of("item1"));
    doc.getMap("map").set("test", 1);
    doc.getArray("array").insert(0, List.of("item0"));
    Snapshot snap = Snapshot.snapshot(doc);
    doc.getArray("array").delete(1, 1);
    Doc docRestored = Snapshot.createDocFromSnapshot(doc, snap);
    assertEquals(List.of("item0", "item1"), docRestored.getArray("array").toArray());
    assertEquals(List.of("item0"), doc.getArray("array").toArray());
  }

  @Test
  void testDeletedItemsBase() {
    Doc doc = new Doc(new Doc.Options().gc(false));
    doc.getArray("array").insert(0, List.of("item1"));
    doc.getArray("array").delete(0, 1);
    Snapshot snap = Snapshot.snapshot(doc);
    doc.getArray("array").insert(0, List.of("item0"));
    Doc docRestored = Snapshot.createDocFromSnapshot(doc, snap);
    assertEquals(List.of(), docRestored.getArray("array").toArray());
    assertEquals(List.of("item0"), doc.getArray("array").toArray());
  }

  @Test
  void testDeletedItems2() {
    Doc doc = new Doc(new Doc.Options().gc(false));
    doc.getArray("array").insert(0, List.of("item1", "item2", "item3"));
    doc.getArray("array").delete(1, 1);
    Snapshot snap = Snapshot.snapshot(doc);
    doc.getArray("array").insert(0, List.of("item0"));
    Doc docRestored = Snapshot.createDocFromSnapshot(doc, snap);
    assertEquals(List.of("item1", "item3"), docRestored.getArray("array").toArray());
    assertEquals(List.of("item0", "item1", "item3"), doc.getArray("array").toArray());
  }

  static void syncAll(Doc a, Doc b) {
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a, Updates.encodeStateVector(b)));
    Updates.applyUpdate(a, Updates.encodeStateAsUpdate(b, Updates.encodeStateVector(a)));
  }

  @Test
  void testDependentChanges() {
    Doc doc0 = new Doc(new Doc.Options().clientId(0).gc(false));
    Doc doc1 = new Doc(new Doc.Options().clientId(1).gc(false));
    YArray array0 = doc0.getArray("array");
    YArray array1 = doc1.getArray("array");
    array0.insert(0, List.of("user1item1"));
    syncAll(doc0, doc1);
    array1.insert(1, List.of("user2item1"));
    syncAll(doc0, doc1);
    Snapshot snap = Snapshot.snapshot(doc0);
    array0.insert(2, List.of("user1item2"));
    syncAll(doc0, doc1);
    array1.insert(3, List.of("user2item2"));
    syncAll(doc0, doc1);
    assertEquals(
        List.of("user1item1", "user2item1"),
        Snapshot.createDocFromSnapshot(doc0, snap).getArray("array").toArray());
    assertEquals(
        List.of("user1item1", "user2item1"),
        Snapshot.createDocFromSnapshot(doc1, snap).getArray("array").toArray());
  }
}
