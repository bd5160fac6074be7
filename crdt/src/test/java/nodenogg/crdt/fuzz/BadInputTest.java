package nodenogg.crdt.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YMap;
import nodenogg.crdt.testing.Bytes;
import nodenogg.crdt.testing.Guarded;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every input vector of /work/shared/docs/bad-inputs.md that reaches the engine, as a named test.
 * Contract: rejected with a typed error (offset where the decoder has one), quickly, with little
 * allocation, and the document untouched. V2 vectors run through applyUpdateV2/mergeUpdatesV2 when
 * the engine has them (found by reflection; skipped with a message until then), and through the V1
 * decoder always.
 */
class BadInputTest {
  static final String V2_MERGE_4T_STRUCTS =
      "00 01 00 00 00 00 01 00 01 00 01 02 00 00 16 02 00 00 01 fd ff ff ff ff 7f 00 00";
  static final String V1_MERGE_265828_UPDATES =
      "e4 9c 10 00 05 ff ff 05 00 01 00 00 00 01 01 00 00 00 ed 00 00 00 01 01 00 fe b8 c2 e9 ad 87 d9 12 00 00 01 01 ff ed f6";
  static final String V2_MERGE_7G_UPDATES =
      "e4 95 00 00 01 18 00 00 01 00 01 00 00 01 00 00 ed 01 be 82 e3 c3 1c 01 02 e4 95 00 00 01 18 00 00 01 18 00 00 01 00 01 ed 00";
  static final String V2_GC_LENGTH_553253 =
      "8f 01 80 00 00 00 01 aa 01 00 01 02 00 00 16 02 00 e5 c4 43 14 e7 a6 8b 93 ae b5 fd 5d e8 26 9a 8a 59 00 31 d5 0f 12 01 30 00 00 00";
  static final String V2_APPLY_267M_STRUCTS =
      "00 01 23 00 00 00 01 02 81 00 00 10 00 c7 dc 00 c4 7a 80 00 41 ab ea d6 00 01 00 00 01 00 00 84 00 00 10 ff c7 dc ff 00 00 00";
  static final long MAX_ALLOC = 1 << 20;

  static Doc sample() {
    Doc d = new Doc(new Doc.Options().clientId(77).gc(false));
    d.getText("text").insert(0, "hello 😀 world");
    d.getText("text").format(1, 3, Map.of("bold", true));
    d.getMap("map").set("k", List.of(1, 0.5, "x"));
    YMap nested = new YMap();
    d.getMap("map").set("n", nested);
    nested.set("deep", "v");
    d.getArray("array").insert(0, List.of(1, 2, 3));
    d.getArray("array").delete(1, 1);
    return d;
  }

  /**
   * Rejected (typed, doc untouched, no events), within 5 s and with at most 1 MiB allocated by this
   * thread.
   */
  static void assertRejectedCheaply(byte[] input) {
    assertRejectedCheaply(input, false);
  }

  /**
   * noOpAllowed: the bytes also form a valid V1 update that changes nothing (Yjs applies them as a
   * no-op).
   */
  static void assertRejectedCheaply(byte[] input, boolean noOpAllowed) {
    Doc d = sample();
    byte[] state = Updates.encodeStateAsUpdate(d);
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          com.sun.management.ThreadMXBean mx =
              (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
          long tid = Thread.currentThread().getId();
          long before = mx.getThreadAllocatedBytes(tid);
          Guarded.Outcome o = Guarded.apply(d, input);
          long alloc = mx.getThreadAllocatedBytes(tid) - before;
          if (noOpAllowed && o == Guarded.Outcome.APPLIED) {
            assertTrue(
                Arrays.equals(state, Updates.encodeStateAsUpdate(d)),
                "a no-op must change nothing");
          } else {
            assertEquals(Guarded.Outcome.REJECTED, o, "must be rejected: " + Bytes.toHex(input));
          }
          // Guarded itself encodes the small sample doc a few times; the budget is for the decoder.
          assertTrue(
              alloc < MAX_ALLOC,
              "allocated " + alloc + " bytes for a " + input.length + "-byte input");
        });
  }

  static void viaV1(String hex) {
    assertRejectedCheaply(Bytes.hex(hex));
  }

  /** Calls Updates.<name>(args) if the engine has it, else skips the test. */
  static Object callIfPresent(String name, Class<?>[] types, Object... args) throws Throwable {
    Method m;
    try {
      m = Updates.class.getMethod(name, types);
    } catch (NoSuchMethodException e) {
      Assumptions.abort(
          "engine has no Updates." + name + " yet (update v2 arrives with a later engine issue)");
      return null;
    }
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  static void viaV2Apply(String hex) throws Throwable {
    Doc d = sample();
    byte[] before = Updates.encodeStateAsUpdate(d);
    Throwable t =
        assertThrows(
            Throwable.class,
            () ->
                assertTimeoutPreemptively(
                    Duration.ofSeconds(5),
                    () -> {
                      callIfPresent(
                          "applyUpdateV2",
                          new Class<?>[] {Doc.class, byte[].class},
                          d,
                          Bytes.hex(hex));
                    }));
    if (t instanceof org.opentest4j.TestAbortedException) throw t;
    assertTrue(Guarded.typed(t), "typed error expected, got " + t);
    assertTrue(Arrays.equals(before, Updates.encodeStateAsUpdate(d)), "doc changed");
  }

  static void viaV2Merge(String hex) throws Throwable {
    byte[] emptyV2 = Bytes.hex("00 00 00 00 00 00 00 00 00 00 00 00 00");
    Throwable t =
        assertThrows(
            Throwable.class,
            () ->
                assertTimeoutPreemptively(
                    Duration.ofSeconds(5),
                    () -> {
                      callIfPresent(
                          "mergeUpdatesV2",
                          new Class<?>[] {List.class},
                          List.of(emptyV2, Bytes.hex(hex)));
                    }));
    if (t instanceof org.opentest4j.TestAbortedException) throw t;
    assertTrue(Guarded.typed(t), "typed error expected, got " + t);
  }

  // --- bad-inputs.md "Published vectors" ---

  // As V1 this is "0 structs, delete set {client 0: no ranges}" plus ignored trailing bytes; Yjs
  // applies it as a no-op.
  @Test
  void v2Merge4TrillionStructsIsANoOpForV1Decoder() {
    assertRejectedCheaply(Bytes.hex(V2_MERGE_4T_STRUCTS), true);
  }

  @Test
  void v2Merge4TrillionStructsRejectedByV2Merge() throws Throwable {
    viaV2Merge(V2_MERGE_4T_STRUCTS);
  }

  @Test
  void v2Merge4TrillionStructsRejectedByV2Apply() throws Throwable {
    viaV2Apply(V2_MERGE_4T_STRUCTS);
  }

  @Test
  void v1Merge265828UpdatesRejected() {
    viaV1(V1_MERGE_265828_UPDATES);
  }

  @Test
  void v1Merge265828UpdatesRejectedByMerge() throws Throwable {
    Throwable t =
        assertThrows(
            Throwable.class,
            () ->
                assertTimeoutPreemptively(
                    Duration.ofSeconds(5),
                    () -> {
                      callIfPresent(
                          "mergeUpdates",
                          new Class<?>[] {List.class},
                          List.of(Bytes.hex("00 00"), Bytes.hex(V1_MERGE_265828_UPDATES)));
                    }));
    if (t instanceof org.opentest4j.TestAbortedException) throw t;
    assertTrue(Guarded.typed(t), "typed error expected, got " + t);
  }

  @Test
  void v2Merge7658324286UpdatesRejectedByV1Decoder() {
    viaV1(V2_MERGE_7G_UPDATES);
  }

  @Test
  void v2Merge7658324286UpdatesRejectedByV2Merge() throws Throwable {
    viaV2Merge(V2_MERGE_7G_UPDATES);
  }

  @Test
  void v2GcLength553253RejectedByV1Decoder() {
    viaV1(V2_GC_LENGTH_553253);
  }

  @Test
  void v2GcLength553253RejectedByV2Merge() throws Throwable {
    viaV2Merge(V2_GC_LENGTH_553253);
  }

  @Test
  void v2Apply267854847StructsIsANoOpForV1Decoder() {
    assertRejectedCheaply(Bytes.hex(V2_APPLY_267M_STRUCTS), true);
  }

  @Test
  void v2Apply267854847StructsRejectedByV2Apply() throws Throwable {
    viaV2Apply(V2_APPLY_267M_STRUCTS);
  }

  @Test
  void yrsAllocationBombRejected() {
    viaV1("ff ff ff 7a");
  }

  @Test
  void lib0VarintLoopRejected() {
    viaV1("c8 c8 c8 c8");
  }

  @Test
  void yjsIssue479GarbagedocRejected() {
    assertRejectedCheaply(Base64.getDecoder().decode("garbagedoc"));
  }

  // --- classes of input from bad-inputs.md ---

  @Test
  void allocationBombAsStructCountOfAClient() {
    assertRejectedCheaply(new Bytes().u(1).raw(0xff, 0xff, 0xff, 0x7a).u(5).u(0).bytes());
  }

  @Test
  void allocationBombAsDeleteSetClientCount() {
    assertRejectedCheaply(new Bytes().u(0).raw(0xff, 0xff, 0xff, 0x7a).bytes());
  }

  @Test
  void allocationBombAsDeleteSetRangeCount() {
    assertRejectedCheaply(new Bytes().u(0).u(1).u(5).raw(0xff, 0xff, 0xff, 0x7a).bytes());
  }

  @Test
  void allocationBombAsAnyArrayCount() {
    // client 5, one Any item in root "map" key "k" whose value is an array claiming ~250M elements
    assertRejectedCheaply(
        new Bytes()
            .u(1)
            .u(1)
            .u(5)
            .u(0)
            .raw(0x28)
            .u(1)
            .str("map")
            .str("k")
            .u(1)
            .raw(117, 0xff, 0xff, 0xff, 0x7a)
            .bytes());
  }

  @Test
  void allocationBombAsAnyObjectCount() {
    assertRejectedCheaply(
        new Bytes()
            .u(1)
            .u(1)
            .u(5)
            .u(0)
            .raw(0x28)
            .u(1)
            .str("map")
            .str("k")
            .u(1)
            .raw(118, 0xff, 0xff, 0xff, 0x7a)
            .bytes());
  }

  @Test
  void allocationBombAsAnyItemCount() {
    assertRejectedCheaply(
        new Bytes()
            .u(1)
            .u(1)
            .u(5)
            .u(0)
            .raw(0x28)
            .u(1)
            .str("map")
            .str("k")
            .raw(0xff, 0xff, 0xff, 0x7a)
            .bytes());
  }

  @Test
  void stateVectorWithHugeClientCountRejected() {
    Throwable t =
        assertThrows(Throwable.class, () -> Updates.decodeStateVector(Bytes.hex("ff ff ff 7f")));
    assertTrue(Guarded.typed(t), "typed error expected, got " + t);
    t =
        assertThrows(
            Throwable.class,
            () -> Updates.encodeStateAsUpdate(sample(), Bytes.hex("80 80 80 80 01 01 01")));
    assertTrue(Guarded.typed(t), "typed error expected for a bad target state vector, got " + t);
  }

  @Test
  void tenByteVarintRejected() {
    viaV1("ff ff ff ff ff ff ff ff ff 7f 00");
  }

  @Test
  void varintAbove2pow53Rejected() {
    assertRejectedCheaply(new Bytes().u(1).u(1).u(1L << 60).u(0).raw(0).u(1).u(0).bytes());
  }

  @Test
  void stringLengthBeyondInputRejected() {
    assertRejectedCheaply(
        new Bytes()
            .u(1)
            .u(1)
            .u(5)
            .u(0)
            .raw(0x04)
            .u(1)
            .str("text")
            .raw(0xff, 0xff, 0x03)
            .raw('a')
            .bytes());
  }

  @Test
  void contentRef0InsideItemPositionIsGcAndRef10IsSkip() {
    // ref 0 (GC) and 10 (Skip) are structs, not item contents; 11..31 do not exist.
    for (int ref = 11; ref < 32; ref++) {
      assertRejectedCheaply(new Bytes().u(1).u(1).u(5).u(0).raw(ref).u(1).str("map").u(1).bytes());
    }
  }

  @Test
  void unknownTypeRefRejected() {
    for (int tr : new int[] {7, 8, 100}) {
      assertRejectedCheaply(
          new Bytes().u(1).u(1).u(5).u(0).raw(0x27).u(1).str("map").str("k").u(tr).u(0).bytes());
    }
  }

  @Test
  void parentInfoPointingToAStringItemGivesNoCrash() {
    // item (6,0) whose parent is (5,0), a String item, not a type
    byte[] a = new Bytes().u(1).u(1).u(5).u(0).raw(0x04).u(1).str("text").str("ab").u(0).bytes();
    byte[] b =
        new Bytes()
            .u(1)
            .u(1)
            .u(6)
            .u(0)
            .raw(0x28)
            .u(0)
            .u(5)
            .u(0)
            .str("k")
            .u(1)
            .raw(125, 1)
            .u(0)
            .bytes();
    Doc d = sample();
    Guarded.apply(d, a);
    Guarded.apply(d, b);
    Updates.encodeStateAsUpdate(d); // later encode works
  }

  @Test
  void sameClientForwardReferenceNeverPartiallyApplies() {
    // a valid first struct, then (5,1) whose origin is (5,10): its own client, a clock not yet
    // there
    byte[] bad =
        new Bytes()
            .u(1)
            .u(2)
            .u(5)
            .u(0)
            .raw(0x04)
            .u(1)
            .str("text")
            .str("x")
            .raw(0x84)
            .u(5)
            .u(10)
            .str("y")
            .u(0)
            .bytes();
    Doc d = sample();
    Guarded.Outcome o = Guarded.apply(d, bad);
    if (o == Guarded.Outcome.APPLIED) {
      assertTrue(
          d.hasPending() || d.getText("text").toString().contains("x"),
          "applied: must be integrated or pending");
    }
  }

  @Test
  void clockOverflowRejected() {
    assertRejectedCheaply(new Bytes().u(1).u(1).u(5).u((1L << 53) - 1).raw(0).u(10).u(0).bytes());
  }

  @Test
  void gcLength2pow53Rejected() {
    assertRejectedCheaply(new Bytes().u(1).u(1).u(5).u(0).raw(0).u((1L << 53) - 1).u(0).bytes());
  }

  // Yjs never integrates Skip structs, so a huge Skip may also be accepted as a no-op (checked:
  // nothing changes).
  @Test
  void skipLength2pow53RejectedOrNoOp() {
    assertRejectedCheaply(
        new Bytes().u(1).u(1).u(5).u(0).raw(10).u((1L << 53) - 1).u(0).bytes(), true);
  }

  @Test
  void deleteSetHugeLengthDoesNotAllocate() {
    Doc d = sample();
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> Guarded.apply(d, new Bytes().u(0).u(1).u(77).u(1).u(0).u((1L << 53) - 1).bytes()));
  }

  @Test
  void deleteSetOverlappingUnsortedRangesAreSafe() {
    Doc d = sample();
    Guarded.apply(d, new Bytes().u(0).u(1).u(77).u(3).u(5).u(4).u(2).u(6).u(0).u(3).bytes());
    Updates.encodeStateAsUpdate(d);
  }

  @Test
  void anyNestedTenThousandDeepRejectedWithoutStackOverflow() {
    Bytes b = new Bytes().u(1).u(1).u(5).u(0).raw(0x28).u(1).str("map").str("k").u(1);
    for (int i = 0; i < 10_000; i++) b.raw(117).u(1);
    b.raw(126).u(0);
    Guarded.apply(
        sample(), b.bytes()); // either outcome, but no StackOverflowError (Guarded checks)
  }

  @Test
  void contentJsonThatIsNotJsonRejected() {
    assertRejectedCheaply(
        new Bytes()
            .u(1)
            .u(1)
            .u(5)
            .u(0)
            .raw(0x22)
            .u(1)
            .str("map")
            .str("k")
            .u(1)
            .str("{not json")
            .u(0)
            .bytes());
  }

  @Test
  void invalidUtf8Rejected() {
    // lib0 decodes strings with TextDecoder {fatal: true}: invalid UTF-8 throws in Yjs too
    assertRejectedCheaply(
        new Bytes()
            .u(1)
            .u(1)
            .u(5)
            .u(0)
            .raw(0x04)
            .u(1)
            .str("text")
            .u(2)
            .raw(0xc3, 0x28)
            .u(0)
            .bytes());
  }

  @Test
  void nestedTypeChainTenThousandDeepDoesNotOverflow() {
    Bytes b = new Bytes().u(1).u(10_000).u(5).u(0);
    b.raw(0x27).u(1).str("map").str("k").u(1);
    for (int i = 1; i < 10_000; i++) b.raw(0x27).u(0).u(5).u(i - 1).str("k").u(1);
    b.u(0);
    Doc d = sample();
    Guarded.apply(d, b.bytes());
    d.getMap("map").toJSON();
    d.toJSON();
    Updates.encodeStateAsUpdate(d);
  }

  @Test
  void truncatedDeleteSetLeavesDocUnchanged() {
    Doc src = sample();
    byte[] full = Updates.encodeStateAsUpdate(src);
    Doc target = new Doc(new Doc.Options().clientId(3));
    target.getText("text").insert(0, "mine");
    assertEquals(
        Guarded.Outcome.REJECTED, Guarded.apply(target, Arrays.copyOf(full, full.length - 1)));
  }
}
