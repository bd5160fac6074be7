package nodenogg.earthstar.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import nodenogg.earthstar.Replica;

/**
 * Document thumbnails ({@code "<timestamp> <hex xxh64(path + ' ' + author)>"}) and the ordered sets
 * range-based reconciliation works on. Ordered by timestamp, then by the hash text (as earthstar
 * compares them). A fingerprint is the unbounded sum of the items' xxh64.
 */
public final class Thumbnails {
  private static final Pattern SHAPE = Pattern.compile("[0-9]{1,16} [0-9a-f]{1,16}");

  private Thumbnails() {}

  /** One thumbnail; {@code lift} is xxh64 of its text. Immutable. */
  public record Thumb(long timestamp, String hash, long lift) implements Comparable<Thumb> {

    public static Thumb of(long timestamp, String hash) {
      return new Thumb(timestamp, hash, Xxh64.hash(timestamp + " " + hash));
    }

    /** Parses a thumbnail; null when it does not have the shape {@code digits space hex}. */
    public static Thumb parse(String text) {
      if (text == null || text.length() > 40 || !SHAPE.matcher(text).matches()) {
        return null;
      }
      int sp = text.indexOf(' ');
      return new Thumb(
          Long.parseLong(text.substring(0, sp)), text.substring(sp + 1), Xxh64.hash(text));
    }

    public String text() {
      return timestamp + " " + hash;
    }

    /** The path-author hash as a number. */
    public long pathAuthorHash() {
      return Long.parseUnsignedLong(hash, 16);
    }

    @Override
    public int compareTo(Thumb o) {
      int c = Long.compare(timestamp, o.timestamp);
      return c != 0 ? c : hash.compareTo(o.hash);
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /** An immutable sorted array of thumbnails (one replica state), shared by sync sessions. */
  public static final class Snapshot {
    final Thumb[] items;

    Snapshot(Thumb[] items) {
      this.items = items;
    }

    public int size() {
      return items.length;
    }
  }

  public static Snapshot snapshot(List<Replica.Entry> entries) {
    Thumb[] items = new Thumb[entries.size()];
    for (int i = 0; i < items.length; i++) {
      Replica.Entry e = entries.get(i);
      items[i] = Thumb.of(e.timestamp(), Xxh64.hex(e.pathAuthorHash()));
    }
    Arrays.sort(items);
    return new Snapshot(items);
  }

  /**
   * A session's working set: a shared snapshot plus the items the other peer told us about
   * (inserted as they arrive, as earthstar does). Not thread-safe (one session thread).
   */
  public static final class WorkingSet {
    private final Thumb[] base;
    private final NavigableSet<Thumb> extra = new TreeSet<>();

    public WorkingSet(Snapshot snapshot) {
      this.base = snapshot.items;
    }

    public int size() {
      return base.length + extra.size();
    }

    /** Items added beyond the snapshot (bounded by the caller). */
    public int added() {
      return extra.size();
    }

    /** Adds an item; false when it was already there. */
    public boolean add(Thumb t) {
      if (Arrays.binarySearch(base, t) >= 0) {
        return false;
      }
      return extra.add(t);
    }

    public boolean contains(Thumb t) {
      return Arrays.binarySearch(base, t) >= 0 || extra.contains(t);
    }

    public Thumb lowest() {
      Thumb a = base.length > 0 ? base[0] : null;
      Thumb b = extra.isEmpty() ? null : extra.first();
      if (a == null) {
        return b;
      }
      return b == null || a.compareTo(b) <= 0 ? a : b;
    }

    /** Items in {@code [from, to)} in order (both bounds may be null for open ends). */
    private void ascending(Thumb from, Thumb to, List<Thumb> out) {
      int i = from == null ? 0 : lowerIndex(from);
      int j = to == null ? base.length : lowerIndex(to);
      NavigableSet<Thumb> ex;
      if (from == null && to == null) {
        ex = extra;
      } else if (from == null) {
        ex = extra.headSet(to, false);
      } else if (to == null) {
        ex = extra.tailSet(from, true);
      } else {
        ex = from.compareTo(to) < 0 ? extra.subSet(from, true, to, false) : new TreeSet<>();
      }
      var it = ex.iterator();
      Thumb next = it.hasNext() ? it.next() : null;
      while (i < j || next != null) {
        if (next == null || (i < j && base[i].compareTo(next) < 0)) {
          out.add(base[i++]);
        } else {
          out.add(next);
          next = it.hasNext() ? it.next() : null;
        }
      }
    }

    private int lowerIndex(Thumb t) {
      int k = Arrays.binarySearch(base, t);
      return k >= 0 ? k : -k - 1;
    }

    /**
     * Items of the range {@code [lower, upper)}: everything when the bounds are equal; the wrapped
     * range (from {@code lower} up, then from the lowest item up to {@code upper}) when {@code
     * lower > upper}. In range order, starting at {@code lower}.
     */
    public List<Thumb> range(Thumb lower, Thumb upper) {
      List<Thumb> out = new ArrayList<>();
      int c = lower.compareTo(upper);
      if (c < 0) {
        ascending(lower, upper, out);
      } else {
        ascending(lower, null, out);
        ascending(null, c == 0 ? lower : upper, out);
      }
      return out;
    }

    /** Every item, ascending. */
    public List<Thumb> all() {
      List<Thumb> out = new ArrayList<>(size());
      ascending(null, null, out);
      return out;
    }
  }

  /** The fingerprint of some items: the sum of their lifts as an unsigned number. */
  public static BigInteger fingerprint(List<Thumb> items) {
    long lo = 0;
    long hi = 0;
    for (Thumb t : items) {
      long before = lo;
      lo += t.lift;
      if (Long.compareUnsigned(lo, before) < 0) {
        hi++;
      }
    }
    BigInteger low = new BigInteger(Long.toUnsignedString(lo));
    return hi == 0 ? low : BigInteger.valueOf(hi).shiftLeft(64).add(low);
  }

  /** Hex with an even number of digits, as earthstar writes fingerprints. */
  public static String fingerprintHex(BigInteger fp) {
    String h = fp.toString(16);
    return h.length() % 2 == 1 ? "0" + h : h;
  }
}
