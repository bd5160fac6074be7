package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.DecodingException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@link Doc#applyUpdate} / {@link Doc#applyUpdateV2} (what an update did) and {@link
 * Doc#transact(java.util.function.Supplier)} (a transaction that returns a value).
 */
class ApplyResultTest {
  /**
   * Against real Yjs: the shuffled, duplicated deliveries of {@link NodeOutOfOrderTest} applied
   * with {@code doc.applyUpdate[V2]} to a doc without any listener. After every step the result
   * must say what Yjs's doc did: the update event it emitted (v1, or v2 for the v2 seeds), byte for
   * byte, and whether structs and deletions are pending.
   */
  @Test
  @SuppressWarnings("unchecked")
  void resultIsWhatYjsEmitsAndKeepsPending() throws Exception {
    Assumptions.assumeTrue(
        NodeReplayTest.nodeAvailable(),
        "node or js/node_modules/yjs missing; differential check skipped");
    long base = Long.getLong("nodenogg.seed", 1L) + 100;
    List<Object> inputs = new ArrayList<>();
    List<List<String>> alls = new ArrayList<>();
    for (long s = base; s < base + 12; s++) {
      List<String> all = new ArrayList<>();
      inputs.add(NodeOutOfOrderTest.prepare(s, s % 2 == 0, all));
      alls.add(all);
    }
    List<Object> results =
        (List<Object>)
            Json.parse(NodeReplayTest.runNode("oracle/apply.mjs", Json.stringify(inputs)));
    int changedSteps = 0;
    int pendingSteps = 0;
    for (int i = 0; i < inputs.size(); i++) {
      long seed = base + i;
      boolean v2 = seed % 3 == 0;
      List<String> all = alls.get(i);
      List<Object> steps = (List<Object>) ((Map<String, Object>) results.get(i)).get("steps");
      Doc d = new Doc(new Doc.Options().clientId(999).gc(seed % 2 == 0));
      d.getText("t");
      d.getMap("m");
      d.getArray("a");
      for (int k = 0; k < all.size(); k++) {
        byte[] u = Hex.decode(all.get(k));
        ApplyResult r =
            v2
                ? d.applyUpdateV2(Updates.convertUpdateFormatV1ToV2(u), "net")
                : d.applyUpdate(u, "net");
        Map<String, Object> st = (Map<String, Object>) steps.get(k);
        String ctx = "seed=" + seed + " step " + k;
        Object event = st.get(v2 ? "eventV2" : "event");
        assertEquals(
            event, r.update() == null ? null : Hex.encode(r.update()), ctx + " emitted update");
        assertEquals(event != null, r.changed(), ctx + " changed");
        assertEquals(st.get("pendingStructs"), r.pendingStructs(), ctx + " pending structs");
        assertEquals(st.get("pendingDs"), r.pendingDeletes(), ctx + " pending deletes");
        assertEquals(st.get("pending"), r.hasPending(), ctx + " pending");
        assertEquals(st.get("state"), Hex.encode(Updates.encodeStateAsUpdate(d)), ctx + " state");
        changedSteps += r.changed() ? 1 : 0;
        pendingSteps += r.hasPending() ? 1 : 0;
      }
    }
    // the deliveries must exercise every outcome, or the comparison above proves little
    assertTrue(
        changedSteps > 0 && pendingSteps > 0,
        "changed " + changedSteps + ", pending " + pendingSteps);
  }

  @Test
  void resultUpdateIsWhatTheListenersGet() {
    Doc a = new Doc(new Doc.Options().clientId(1));
    a.getText("t").insert(0, "hello");
    byte[] all = Updates.encodeStateAsUpdate(a);
    Doc b = new Doc(new Doc.Options().clientId(2));
    List<byte[]> v1 = new ArrayList<>();
    List<Object> origins = new ArrayList<>();
    b.onUpdate(
        (u, origin, tr) -> {
          v1.add(u);
          origins.add(origin);
        });
    ApplyResult r = b.applyUpdate(all, "peer");
    assertTrue(r.changed());
    assertSame(v1.get(0), r.update(), "one encoding, shared with the listeners");
    assertEquals(List.of("peer"), origins);
    assertEquals("hello", b.getText("t").toString());
    ApplyResult again = b.applyUpdate(all, "peer");
    assertFalse(again.changed());
    assertNull(again.update());
    assertFalse(again.hasPending());
    assertEquals(1, v1.size());
  }

  @Test
  void onlyPendingIsNotAChange() {
    Doc a = new Doc(new Doc.Options().clientId(1));
    YText t = a.getText("t");
    List<byte[]> ups = new ArrayList<>();
    a.onUpdate((u, o, tr) -> ups.add(u));
    t.insert(0, "a");
    t.insert(1, "b"); // depends on the first insert
    t.delete(0, 1); // deletes what the first insert made
    Doc b = new Doc(new Doc.Options().clientId(2));
    ApplyResult second = b.applyUpdate(ups.get(1), null);
    assertFalse(second.changed());
    assertTrue(second.pendingStructs());
    assertFalse(second.pendingDeletes());
    ApplyResult third = b.applyUpdate(ups.get(2), null);
    assertFalse(third.changed());
    assertTrue(third.pendingStructs());
    assertTrue(third.pendingDeletes());
    ApplyResult first = b.applyUpdate(ups.get(0), null);
    assertTrue(first.changed());
    assertFalse(first.hasPending());
    assertEquals("b", b.getText("t").toString());
  }

  @Test
  void malformedUpdateThrowsAndChangesNothing() {
    Doc d = new Doc();
    d.getText("t").insert(0, "x");
    byte[] before = Updates.encodeStateAsUpdate(d);
    assertThrows(DecodingException.class, () -> d.applyUpdate(new byte[] {1, 1, 5}, null));
    assertThrows(DecodingException.class, () -> d.applyUpdateV2(new byte[] {0, 9}, null));
    assertArrayEquals(before, Updates.encodeStateAsUpdate(d));
  }

  @Test
  void insideATransactionOrObserverItIsRefusedBeforeAnythingChanges() {
    Doc a = new Doc(new Doc.Options().clientId(1));
    a.getMap("m").set("k", 1);
    byte[] u = Updates.encodeStateAsUpdate(a);
    Doc d = new Doc(new Doc.Options().clientId(2));
    YMap m = d.getMap("m");
    assertThrows(IllegalStateException.class, () -> d.transact(tr -> d.applyUpdate(u, null)));
    assertFalse(m.has("k"));
    List<RuntimeException> fromObserver = new ArrayList<>();
    d.getArray("x")
        .observe(
            e -> {
              try {
                d.applyUpdate(u, null);
              } catch (IllegalStateException ex) {
                fromObserver.add(ex);
              }
            });
    d.getArray("x").push(List.of(1));
    assertEquals(1, fromObserver.size());
    assertFalse(m.has("k"));
    assertTrue(d.applyUpdate(u, null).changed());
    assertEquals(1, m.get("k"));
  }

  @Test
  void transactReturnsTheValueAfterListenersRan() {
    Doc d = new Doc();
    YText t = d.getText("t");
    List<String> seen = new ArrayList<>();
    d.onUpdate((u, o, tr) -> seen.add("update " + o));
    int len =
        d.transact(
            () -> {
              t.insert(0, "ab");
              int inner =
                  d.transact(
                      () -> { // joins the outer transaction
                        t.insert(2, "c");
                        return t.length();
                      });
              seen.add("inner " + inner);
              return t.length();
            },
            "me");
    assertEquals(3, len);
    assertEquals(List.of("inner 3", "update me"), seen);
    assertEquals("abc", d.transact(t::toString));
  }
}
