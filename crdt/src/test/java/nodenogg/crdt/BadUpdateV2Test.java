package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import nodenogg.crdt.encoding.DecodingException;
import org.junit.jupiter.api.Test;

/**
 * Hostile v2 input (docs/bad-inputs.md vectors, truncations, byte flips): every v2 entry point
 * either succeeds or throws a typed error (DecodingException / CrdtException), quickly, and a
 * rejected update leaves the document byte-identical.
 */
class BadUpdateV2Test {
  static final String[] HUGE_COUNT_VECTORS = {
    "00 01 00 00 00 00 01 00 01 00 01 02 00 00 16 02 00 00 01 fd ff ff ff ff 7f 00 00",
    "00 01 23 00 00 00 01 02 81 00 00 10 00 c7 dc 00 c4 7a 80 00 41 ab ea d6 00 01 00 00 01 00 00 84 00 00 10 ff c7 dc ff 00 00 00",
  };
  static final String[] OTHER_VECTORS = {
    "e4 95 00 00 01 18 00 00 01 00 01 00 00 01 00 00 ed 01 be 82 e3 c3 1c 01 02 e4 95 00 00 01 18 00 00 01 18 00 00 01 00 01 ed 00",
    "8f 01 80 00 00 00 01 aa 01 00 01 02 00 00 16 02 00 e5 c4 43 14 e7 a6 8b 93 ae b5 fd 5d e8 26 9a 8a 59 00 31 d5 0f 12 01 30 00 00 00",
    "e4 9c 10 00 05 ff ff 05 00 01 00 00 00 01 01 00 00 00 ed 00 00 00 01 01 00 fe b8 c2 e9 ad 87 d9 12 00 00 01 01 ff ed f6",
    "ff ff ff 7a",
    "c8 c8 c8 c8",
    "",
  };

  static boolean typed(Throwable t) {
    return t instanceof DecodingException || t instanceof CrdtException;
  }

  /** Runs every v2 entry point on {@code u}; only typed errors may escape. */
  static void allEntryPoints(byte[] u, String ctx) {
    Doc d = seededDoc();
    byte[] before = Updates.encodeStateAsUpdateV2(d);
    List<Consumer<byte[]>> fns =
        List.of(
            x -> Updates.applyUpdateV2(d, x),
            x -> Updates.mergeUpdatesV2(List.of(x, x)),
            x -> Updates.mergeUpdatesV2(List.of(Updates.encodeStateAsUpdateV2(seededDoc()), x)),
            x -> Updates.diffUpdateV2(x, new byte[] {0}),
            x -> Updates.encodeStateVectorFromUpdateV2(x),
            x -> Updates.parseUpdateMetaV2(x),
            x -> Updates.convertUpdateFormatV2ToV1(x),
            x -> Updates.mergeUpdates(List.of(x, x)),
            x -> Updates.diffUpdate(x, new byte[] {1, 7, 3}),
            x -> Updates.encodeStateVectorFromUpdate(x),
            x -> Updates.parseUpdateMeta(x),
            x -> Updates.convertUpdateFormatV1ToV2(x));
    for (int i = 0; i < fns.size(); i++) {
      try {
        fns.get(i).accept(u);
      } catch (Throwable t) {
        if (!typed(t)) {
          t.printStackTrace();
          fail(ctx + " entry point #" + i + " threw untyped " + t);
        }
        if (i == 0) {
          assertArrayEquals(
              before, Updates.encodeStateAsUpdateV2(d), ctx + ": rejected update changed the doc");
        }
      }
    }
  }

  static Doc seededDoc() {
    Doc d = new Doc(new Doc.Options().clientId(7));
    d.getText("t").insert(0, "hello 😀 world");
    d.getMap("m").set("k", List.of(1, "x"));
    d.getText("t").delete(2, 3);
    return d;
  }

  @Test
  void hugeStructCountVectorsAreRefusedFast() {
    for (String v : HUGE_COUNT_VECTORS) {
      byte[] u = Hex.decode(v);
      assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> {
            Doc d = seededDoc();
            byte[] before = Updates.encodeStateAsUpdateV2(d);
            assertThrows(DecodingException.class, () -> Updates.applyUpdateV2(d, u));
            assertArrayEquals(before, Updates.encodeStateAsUpdateV2(d));
            assertThrows(DecodingException.class, () -> Updates.mergeUpdatesV2(List.of(u, u)));
            assertThrows(DecodingException.class, () -> Updates.encodeStateVectorFromUpdateV2(u));
          });
    }
  }

  @Test
  void publishedVectorsGiveTypedErrorsOrResults() {
    for (String v : OTHER_VECTORS) {
      assertTimeoutPreemptively(Duration.ofSeconds(5), () -> allEntryPoints(Hex.decode(v), v));
    }
  }

  @Test
  void truncatedAndMutatedV2UpdatesGiveTypedErrors() {
    long seed = Long.getLong("nodenogg.seed", 1L);
    Random r = new Random(seed);
    Doc src = seededDoc();
    src.getArray("a").insert(0, List.of(1, 2.5, "s", true));
    src.getText("t").format(0, 4, java.util.Map.of("bold", true));
    for (byte[] good :
        List.of(Updates.encodeStateAsUpdateV2(src), Updates.encodeStateAsUpdate(src))) {
      fuzz(good, r, seed);
    }
  }

  private static void fuzz(byte[] good, Random r, long seed) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int cut = 0; cut < good.length; cut++) {
            allEntryPoints(
                java.util.Arrays.copyOf(good, cut), "seed=" + seed + " truncated at " + cut);
          }
          for (int k = 0; k < 300; k++) {
            byte[] m = good.clone();
            int flips = 1 + r.nextInt(3);
            for (int f = 0; f < flips; f++) {
              m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            }
            allEntryPoints(m, "seed=" + seed + " mutation #" + k);
          }
        });
  }

  /** Encoded snapshots (v1/v2) and relative positions, truncated and mutated: typed errors only. */
  @Test
  void snapshotAndRelativePositionDecodersGiveTypedErrors() {
    long seed = Long.getLong("nodenogg.seed", 1L);
    Random r = new Random(seed);
    Doc d = new Doc(new Doc.Options().clientId(3).gc(false));
    d.getText("t").insert(0, "hello world");
    d.getText("t").delete(2, 4);
    Snapshot s = Snapshot.snapshot(d);
    byte[] rp =
        RelativePosition.encodeRelativePosition(
            RelativePosition.createRelativePositionFromTypeIndex(d.getText("t"), 3, -1));
    List<byte[]> goods = List.of(Snapshot.encodeSnapshot(s), Snapshot.encodeSnapshotV2(s), rp);
    for (int g = 0; g < goods.size(); g++) {
      byte[] good = goods.get(g);
      for (int k = 0; k < good.length + 200; k++) {
        byte[] m = k < good.length ? java.util.Arrays.copyOf(good, k) : good.clone();
        if (k >= good.length) {
          m[r.nextInt(m.length)] = (byte) r.nextInt(256);
        }
        try {
          if (g == 2) {
            RelativePosition p = RelativePosition.decodeRelativePosition(m);
            RelativePosition.createAbsolutePositionFromRelativePosition(p, d);
          } else {
            Snapshot x = g == 0 ? Snapshot.decodeSnapshot(m) : Snapshot.decodeSnapshotV2(m);
            Snapshot.equalSnapshots(s, x);
            d.getText("t").toDelta(x, s);
            Snapshot.createDocFromSnapshot(d, x);
          }
        } catch (Throwable t) {
          if (!typed(t)) {
            t.printStackTrace();
            fail("seed=" + seed + " input " + g + " case " + k + " threw untyped " + t);
          }
        }
      }
    }
  }
}
