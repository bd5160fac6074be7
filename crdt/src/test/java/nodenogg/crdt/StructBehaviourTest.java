package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Struct merging, pending delivery, duplicates, GC, client-id re-pick. */
class StructBehaviourTest {
  static Doc doc(long client) {
    return new Doc(new Doc.Options().clientId(client));
  }

  @Test
  void typingMergesIntoOneStruct() {
    Doc d = doc(1);
    YText t = d.getText("t");
    t.insert(0, "a");
    t.insert(1, "b");
    t.insert(2, "c");
    // 1 client, 1 struct, client 1 clock 0, info 04, root "t", "abc", empty ds
    assertEquals("010101000401017403616263" + "00", Hex.encode(Updates.encodeStateAsUpdate(d)));
    assertEquals(1, d.store.clients.get(1L).size());
  }

  @Test
  void deletedRunsAreGarbageCollectedAndMerged() {
    Doc d = doc(1);
    YArray a = d.getArray("a");
    a.insert(0, Arrays.asList(1, 2, 3, 4));
    a.delete(1, 1);
    a.delete(1, 1);
    // item (1,0) "1", then a merged deleted run of 2, then "4"
    assertEquals(3, d.store.clients.get(1L).size());
    assertTrue(((Item) d.store.clients.get(1L).get(1)).content instanceof ContentDeleted);
    assertEquals(2, d.store.clients.get(1L).get(1).length);
    assertEquals(Arrays.asList(1, 4), a.toJSON());
  }

  @Test
  void outOfOrderUpdatesWaitAsPendingThenApply() {
    Doc a = doc(1);
    List<byte[]> ups = new ArrayList<>();
    a.onUpdate((u, o, t) -> ups.add(u));
    a.getText("t").insert(0, "ab");
    a.getText("t").insert(2, "cd");
    a.getText("t").delete(0, 1);
    Doc b = doc(2);
    Updates.applyUpdate(b, ups.get(2));
    assertTrue(b.hasPending());
    Updates.applyUpdate(b, ups.get(1));
    assertTrue(b.hasPending());
    assertEquals("", b.getText("t").toString());
    Updates.applyUpdate(b, ups.get(0));
    assertFalse(b.hasPending());
    assertEquals("bcd", b.getText("t").toString());
    assertEquals(
        Hex.encode(Updates.encodeStateAsUpdate(a)), Hex.encode(Updates.encodeStateAsUpdate(b)));
  }

  @Test
  void duplicateUpdatesAreIdempotentAndSilent() {
    Doc a = doc(1);
    a.getMap("m").set("x", 1);
    byte[] u = Updates.encodeStateAsUpdate(a);
    Doc b = doc(2);
    int[] events = {0};
    b.onUpdate((x, o, t) -> events[0]++);
    Updates.applyUpdate(b, u);
    byte[] s1 = Updates.encodeStateAsUpdate(b);
    Updates.applyUpdate(b, u);
    assertEquals(1, events[0]);
    assertEquals(Hex.encode(s1), Hex.encode(Updates.encodeStateAsUpdate(b)));
  }

  @Test
  void itemWithUnknownParentItemBecomesGc() {
    Doc a = doc(1);
    YMap inner = new YMap();
    a.getMap("m").set("inner", inner);
    inner.set("k", "v");
    Doc b = doc(2);
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a));
    a.getMap("m").delete("inner");
    // b deletes the parent, gc turns the map into GC; a later child update lands as GC
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a, Updates.encodeStateVector(b)));
    Doc c = doc(3);
    Updates.applyUpdate(c, Updates.encodeStateAsUpdate(b));
    assertEquals("{}", Json.stringify(c.getMap("m").toJSON()));
    assertFalse(c.hasPending());
  }

  @Test
  void remoteUpdateWithOurClientIdMakesUsPickANewOne() {
    Doc a = doc(5);
    a.getMap("m").set("x", 1);
    Doc b = doc(5);
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a));
    assertNotEquals(5L, b.clientId());
  }

  @Test
  void transactionsNestAndCarryOrigin() {
    Doc d = doc(1);
    List<Object> origins = new ArrayList<>();
    d.onUpdate((u, o, t) -> origins.add(o));
    d.transact(
        tr -> {
          d.getMap("m").set("a", 1);
          d.transact(inner -> d.getMap("m").set("b", 2));
          assertTrue(tr.local());
        },
        "me");
    assertEquals(List.of("me"), origins);
  }
}
