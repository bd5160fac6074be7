package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link UpdateContainment} (the read-only check of issue 12 finding 5) against the definition it
 * replaces: apply the update to a copy of the document and see whether anything changed or was left
 * pending. Seeded random documents (text, map, array; deletes; gc on and off) and candidate
 * updates: forks' full states and diffs, deletion-only updates, earlier states, and hand-made
 * delete sets (zero-length, beyond the state, over GC'd and live ranges).
 */
class UpdateContainmentTest {

  /**
   * The old definition: applying to a throwaway copy changes nothing and leaves nothing pending.
   */
  private static boolean byCopy(Doc doc, byte[] update) {
    Doc copy = new Doc(new Doc.Options().gc(false));
    Updates.applyUpdate(copy, Updates.encodeStateAsUpdate(doc));
    boolean[] fired = {false};
    Subscription s = copy.onUpdate((u, o, t) -> fired[0] = true);
    Updates.applyUpdate(copy, update);
    s.close();
    return !fired[0] && !copy.hasPending();
  }

  private static void randomEdits(Doc d, Random r, int n) {
    for (int i = 0; i < n; i++) {
      YText t = d.getText("t");
      YArray a = d.getArray("a");
      switch (r.nextInt(6)) {
        case 0, 1 -> t.insert(r.nextInt(t.length() + 1), "abcdefgh".substring(0, 1 + r.nextInt(8)));
        case 2 -> {
          if (t.length() > 0) {
            int at = r.nextInt(t.length());
            t.delete(at, 1 + r.nextInt(Math.min(4, t.length() - at)));
          }
        }
        case 3 -> d.getMap("m").set("k" + r.nextInt(5), r.nextInt(100));
        case 4 -> a.insert(r.nextInt(a.length() + 1), List.of(r.nextInt(10), "x"));
        default -> {
          if (a.length() > 0) {
            a.delete(r.nextInt(a.length()), 1);
          }
        }
      }
    }
  }

  private static Doc fork(Doc d, long client) {
    Doc f = new Doc(new Doc.Options().clientId(client).gc(false));
    Updates.applyUpdate(f, Updates.encodeStateAsUpdate(d));
    return f;
  }

  /** A v1 update with no structs and the given delete ranges: {client, clock, len}. */
  private static byte[] deleteOnly(List<long[]> ranges) {
    DeleteSet ds = new DeleteSet();
    for (long[] x : ranges) {
      ds.add(x[0], x[1], x[2]);
    }
    UpdateEncoderV1 enc = new UpdateEncoderV1();
    enc.rest().writeVarUint(0);
    ds.write(enc);
    return enc.toByteArray();
  }

  @Test
  void agreesWithApplyingToACopyOnSeededRandomCases() {
    long seed = 20260512L;
    Random r = new Random(seed);
    int cases = 0;
    int contained = 0;
    for (int round = 0; round < 120; round++) {
      boolean gc = r.nextBoolean();
      Doc doc = new Doc(new Doc.Options().clientId(1000 + round).gc(gc));
      List<byte[]> history = new ArrayList<>();
      Doc[] peers = {
        new Doc(new Doc.Options().clientId(1)), new Doc(new Doc.Options().clientId(2))
      };
      for (int step = 0; step < 6; step++) {
        Doc p = peers[r.nextInt(2)];
        Updates.applyUpdate(p, Updates.encodeStateAsUpdate(doc));
        randomEdits(p, r, 1 + r.nextInt(6));
        Updates.applyUpdate(doc, Updates.encodeStateAsUpdate(p));
        randomEdits(doc, r, r.nextInt(3));
        history.add(Updates.encodeStateAsUpdate(doc));
      }
      assertFalse(doc.hasPending());
      List<byte[]> candidates = new ArrayList<>(history);
      for (int k = 0; k < 6; k++) {
        Doc f = fork(doc, 50 + k);
        List<byte[]> deletes = new ArrayList<>();
        f.onUpdate((u, o, t) -> deletes.add(u));
        randomEdits(f, r, r.nextInt(4));
        candidates.add(Updates.encodeStateAsUpdate(f));
        candidates.add(Updates.encodeStateAsUpdate(f, Updates.encodeStateVector(doc)));
        candidates.addAll(deletes); // each transaction's update (deletion-only ones included)
      }
      long state1 = doc.store.getState(1);
      long own = doc.store.getState(1000 + round);
      for (int k = 0; k < 10; k++) {
        List<long[]> ranges = new ArrayList<>();
        for (int j = 0; j < 1 + r.nextInt(3); j++) {
          long client = r.nextInt(4) == 0 ? 2 : r.nextBoolean() ? 1 : 1000 + round;
          long state = client == 1 ? state1 : client == 1000 + round ? own : doc.store.getState(2);
          long clock = r.nextInt((int) Math.max(1, state + 3));
          long len = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(4);
          ranges.add(new long[] {client, clock, len});
        }
        candidates.add(deleteOnly(ranges));
      }
      for (byte[] u : candidates) {
        boolean expected = byCopy(doc, u);
        assertEquals(
            expected,
            UpdateContainment.contains(doc, u),
            "round " + round + " (seed " + seed + ")");
        cases++;
        contained += expected ? 1 : 0;
      }
    }
    // the generator must hit both answers often
    assertTrue(
        contained > cases / 5 && contained < cases * 4 / 5,
        contained + " of " + cases + " contained");
  }

  @Test
  void costsWhatTheUpdateCostsNotWhatTheDocumentWeighs() {
    // a 1.6 MB document; the old check copied all of it for every 18-byte read-only message
    Doc doc = new Doc(new Doc.Options().clientId(7));
    YText t = doc.getText("t");
    StringBuilder chunk = new StringBuilder();
    for (int i = 0; i < 1600; i++) {
      chunk.append((char) ('a' + i % 26));
    }
    for (int i = 0; i < 1000; i++) {
      t.insert(t.length(), chunk.toString());
      if (i % 3 == 0) {
        t.delete(t.length() - 10, 5);
      }
    }
    assertTrue(Updates.encodeStateAsUpdate(doc).length > 1_500_000);
    byte[] small = {0, 0}; // an empty update: contained
    Doc other = new Doc(new Doc.Options().clientId(9));
    other.getMap("m").set("k", 1);
    byte[] news = Updates.encodeStateAsUpdate(other);
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    UpdateContainment.contains(doc, small); // warm up class loading
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 10; i++) {
      assertTrue(UpdateContainment.contains(doc, small));
      assertFalse(UpdateContainment.contains(doc, news));
    }
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertTrue(
        allocated < 200_000, "20 checks on a 1.6 MB document allocated " + allocated + " bytes");
  }
}
