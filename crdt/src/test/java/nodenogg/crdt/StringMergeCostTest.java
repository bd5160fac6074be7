package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Merging string runs costs what the text costs, not its square. A text built from many adjacent
 * inserts, applied to a fresh document in one transaction (what the SQLite store's compaction does
 * with a document's log), merges its runs right to left: each merge used to copy the whole merged
 * tail again, so 1,000 inserts of 1,600 characters allocated gigabytes and ran a 256 MiB server out
 * of memory. Measured in bytes this thread allocates (deterministic, unlike time).
 */
class StringMergeCostTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** One update per insert, each appended at the end of the text by one writer. */
  private static List<byte[]> adjacentInserts(int inserts, int chunk, StringBuilder expected) {
    Doc writer = new Doc(new Doc.Options().clientId(7));
    List<byte[]> log = new ArrayList<>();
    writer.onUpdate((u, origin, tr) -> log.add(u));
    YText t = writer.getText("t");
    for (int i = 0; i < inserts; i++) {
      String s = String.valueOf((char) ('a' + i % 26)).repeat(chunk);
      t.insert(t.length(), s);
      expected.append(s);
    }
    assertEquals(expected.toString(), t.toString());
    return log;
  }

  /**
   * Bytes allocated by merging {@code log} in one transaction of a gc=false doc and encoding it.
   */
  private static long mergeCost(List<byte[]> log, String expected, byte[][] encodedOut) {
    long before = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    Doc merged = new Doc(new Doc.Options().gc(false));
    merged.transact(
        tr -> {
          for (byte[] u : log) {
            Updates.applyUpdate(merged, u);
          }
        });
    encodedOut[0] = Updates.encodeStateAsUpdate(merged);
    long cost = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertEquals(expected, merged.getText("t").toString());
    assertEquals(1, merged.store.clients.get(7L).size(), "the runs merge into one item, as in Yjs");
    return cost;
  }

  @Test
  void mergingAThousandAdjacentInsertsIsLinearInTheText() {
    assumeTrue(
        THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled(),
        "this JVM does not count allocated bytes per thread");
    int chunk = 1_600;
    StringBuilder small = new StringBuilder();
    List<byte[]> log1 = adjacentInserts(1_000, chunk, small);
    byte[][] enc = new byte[1][];
    mergeCost(log1, small.toString(), enc); // warm-up: class loading and JIT allocate too
    long cost1 = mergeCost(log1, small.toString(), enc);
    long chars = 1_000L * chunk;
    // input updates (~1 byte a char), decoded strings, the merge buffer (2 bytes a char, doubled at
    // most
    // a few times) and the encoding: a few tens of bytes a character. The quadratic merge allocated
    // about 1,000 times the text (over 3 GB here).
    assertTrue(
        cost1 < 40 * chars,
        "merging 1,000 adjacent inserts of "
            + chunk
            + " chars allocated "
            + cost1
            + " bytes ("
            + cost1 / chars
            + " per char)");
    StringBuilder large = new StringBuilder();
    List<byte[]> log2 = adjacentInserts(2_000, chunk, large);
    long cost2 = mergeCost(log2, large.toString(), enc);
    // the merged encoding is the writer's own: one item holding the whole text
    Doc again = new Doc();
    Updates.applyUpdate(again, enc[0]);
    assertEquals(large.toString(), again.getText("t").toString());
    assertTrue(
        cost2 < 2.6 * cost1,
        "twice the inserts should cost about twice as much, not four times: "
            + cost1
            + " -> "
            + cost2
            + " bytes");
  }

  @Test
  void leftwardAndRightwardMergesAndSplitsKeepTheText() {
    Random rnd = new Random(23);
    for (int round = 0; round < 30; round++) {
      StringBuilder expected = new StringBuilder();
      List<byte[]> log = adjacentInserts(1 + rnd.nextInt(60), 1 + rnd.nextInt(40), expected);
      Doc d = new Doc(new Doc.Options().gc(rnd.nextBoolean()));
      // some updates alone (merge to the right, transaction by transaction), the rest in one
      // transaction
      int alone = rnd.nextInt(log.size() + 1);
      for (int i = 0; i < alone; i++) {
        Updates.applyUpdate(d, log.get(i));
      }
      d.transact(
          tr -> {
            for (int i = alone; i < log.size(); i++) {
              Updates.applyUpdate(d, log.get(i));
            }
          });
      YText t = d.getText("t");
      assertEquals(expected.toString(), t.toString());
      // splits inside merged runs (inserts and deletes), then more merging
      for (int k = 0; k < 20; k++) {
        int at = rnd.nextInt(expected.length() + 1);
        if (rnd.nextBoolean() && at < expected.length()) {
          int n = 1 + rnd.nextInt(Math.min(5, expected.length() - at));
          t.delete(at, n);
          expected.delete(at, at + n);
        } else {
          String s = "xyz\uD83D\uDE00".substring(0, 1 + rnd.nextInt(3));
          t.insert(at, s);
          expected.insert(at, s);
        }
        assertEquals(expected.toString(), t.toString());
      }
      Doc copy = new Doc();
      Updates.applyUpdate(copy, Updates.encodeStateAsUpdate(d));
      assertEquals(expected.toString(), copy.getText("t").toString());
      assertArrayEquals(Updates.encodeStateAsUpdate(copy), Updates.encodeStateAsUpdate(copy));
    }
  }
}
