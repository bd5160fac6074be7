package nodenogg.sync.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Timer-free expiry and renewal with an injected clock, and bad-input handling. */
class AwarenessTest {

  @Test
  void remoteStateExpiresAfterThirtySecondsWithOriginTimeout() {
    AtomicLong now = new AtomicLong(1_000_000);
    Awareness local = new Awareness(1, now::get);
    Awareness remote = new Awareness(2, now::get);
    remote.setLocalState(Map.of("name", "r"));
    local.applyUpdate(remote.encodeUpdate(List.of(2L)), "net");
    List<String> events = new ArrayList<>();
    local.onChange((c, o) -> events.add(c.removed() + " " + o));
    now.addAndGet(29_999);
    local.check();
    assertTrue(local.getStates().containsKey(2L), "still fresh at 29.999 s");
    now.addAndGet(1);
    local.check();
    assertEquals(List.of("[2] timeout"), events);
    assertTrue(!local.getStates().containsKey(2L));
  }

  @Test
  void localStateIsRenewedAfterFifteenSeconds() {
    AtomicLong now = new AtomicLong(0);
    Awareness a = new Awareness(5, now::get);
    a.setLocalState(Map.of("x", 1)); // clock 1
    List<Long> updates = new ArrayList<>();
    a.onUpdate((c, o) -> updates.addAll(c.updated()));
    now.set(14_999);
    a.check();
    assertEquals(1, a.meta(5).clock());
    now.set(15_000);
    a.check();
    assertEquals(2, a.meta(5).clock());
    assertEquals(List.of(5L), updates);
  }

  @Test
  void malformedUpdatesThrowAndChangeNothing() {
    Awareness a = new Awareness(1, () -> 0L);
    // two entries: a good one, then a truncated one -> nothing applied
    byte[] bad = AwarenessInteropTest.unhex("0202010d7b2261223a317d03");
    assertThrows(ProtocolException.class, () -> a.applyUpdate(bad, "x"));
    assertNull(a.meta(2));
    byte[] badUtf8 = AwarenessInteropTest.unhex("010201" + "02" + "c328");
    assertThrows(ProtocolException.class, () -> a.applyUpdate(badUtf8, "x"));
    assertThrows(ProtocolException.class, () -> a.applyUpdate(new byte[] {(byte) 0xff}, "x"));
  }

  @Test
  void undefinedFollowsJsonStringify() {
    java.util.Map<String, Object> state = new java.util.LinkedHashMap<>();
    state.put("a", nodenogg.crdt.encoding.Undefined.INSTANCE);
    state.put("b", java.util.Arrays.asList(nodenogg.crdt.encoding.Undefined.INSTANCE, 1));
    // JSON.stringify({a: undefined, b: [undefined, 1]}) === '{"b":[null,1]}'
    assertEquals("{\"b\":[null,1]}", Awareness.stringifyJson(state));
  }

  @Test
  void closeAnnouncesRemoval() {
    Awareness a = new Awareness(9, () -> 0L);
    List<Long> removed = new ArrayList<>();
    a.onUpdate((c, o) -> removed.addAll(c.removed()));
    a.close();
    assertEquals(List.of(9L), removed);
    // y-protocols wire form of a removal: count 1, id 9, clock 1, "null"
    assertArrayEquals(
        AwarenessInteropTest.unhex("0109010" + "46e756c6c"), a.encodeUpdate(List.of(9L)));
  }
}
