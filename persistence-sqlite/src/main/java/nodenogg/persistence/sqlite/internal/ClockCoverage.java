package nodenogg.persistence.sqlite.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which clock ranges of each client a document's stored updates contain: per client a set of
 * disjoint, non-adjacent half-open intervals. The state vector is, per client, the end of the
 * interval that starts at clock 0. Not thread-safe; the store's writer thread owns each instance.
 *
 * <p>Persisted form: {@code varuint clients; per client: varuint client, varuint n, n x (start, length)}.
 */
public final class ClockCoverage implements UpdateScanner.RangeSink {

  private final Map<Long, TreeMap<Long, Long>> byClient = new TreeMap<>();

  public ClockCoverage copy() {
    ClockCoverage c = new ClockCoverage();
    byClient.forEach((client, ranges) -> c.byClient.put(client, new TreeMap<>(ranges)));
    return c;
  }

  @Override
  public void range(long client, long clock, long length) {
    add(client, clock, clock + length);
  }

  /** Adds {@code [from, to)} for {@code client}, merging with overlapping or touching intervals. */
  public void add(long client, long from, long to) {
    TreeMap<Long, Long> ranges = byClient.computeIfAbsent(client, k -> new TreeMap<>());
    Map.Entry<Long, Long> before = ranges.floorEntry(from);
    if (before != null && before.getValue() >= from) {
      from = before.getKey();
      to = Math.max(to, before.getValue());
    }
    while (true) {
      Map.Entry<Long, Long> next = ranges.ceilingEntry(from);
      if (next == null || next.getKey() > to) {
        break;
      }
      to = Math.max(to, next.getValue());
      ranges.remove(next.getKey());
    }
    ranges.put(from, to);
  }

  /** Adds everything {@code other} covers. */
  public void addAll(ClockCoverage other) {
    other.byClient.forEach((client, ranges) -> ranges.forEach((from, to) -> add(client, from, to)));
  }

  /** True if every clock in {@code [from, to)} of {@code client} is covered. */
  public boolean covers(long client, long from, long to) {
    TreeMap<Long, Long> ranges = byClient.get(client);
    if (ranges == null) {
      return false;
    }
    Map.Entry<Long, Long> e = ranges.floorEntry(from);
    return e != null && e.getValue() >= to;
  }

  /** Client id to next expected clock, counting only the range contiguous from clock 0. */
  public Map<Long, Long> stateVector() {
    Map<Long, Long> sv = new LinkedHashMap<>();
    byClient.forEach((client, ranges) -> {
      Long end = ranges.get(0L);
      if (end != null) {
        sv.put(client, end);
      }
    });
    return sv;
  }

  /** The state vector in Yjs v1 encoding (entries ordered by client id, descending, as Yjs writes them). */
  public byte[] encodeStateVector() {
    return encodeStateVector(stateVector());
  }

  static byte[] encodeStateVector(Map<Long, Long> sv) {
    List<Long> clients = new ArrayList<>(sv.keySet());
    clients.sort(Collections.reverseOrder());
    Lib0.Writer w = new Lib0.Writer().writeVarUint(clients.size());
    for (Long c : clients) {
      w.writeVarUint(c).writeVarUint(sv.get(c));
    }
    return w.toByteArray();
  }

  /** Decodes a v1 state vector. @throws IllegalArgumentException if malformed */
  public static Map<Long, Long> decodeStateVector(byte[] bytes) {
    Lib0.Reader r = new Lib0.Reader(bytes);
    Map<Long, Long> sv = new LinkedHashMap<>();
    try {
      int n = r.readLength();
      for (int i = 0; i < n; i++) {
        sv.put(r.readVarUint(), r.readVarUint());
      }
    } catch (Lib0.Malformed e) {
      throw new IllegalArgumentException("malformed state vector: " + e.getMessage(), e);
    }
    return sv;
  }

  public byte[] encode() {
    Lib0.Writer w = new Lib0.Writer().writeVarUint(byClient.size());
    byClient.forEach((client, ranges) -> {
      w.writeVarUint(client).writeVarUint(ranges.size());
      ranges.forEach((from, to) -> w.writeVarUint(from).writeVarUint(to - from));
    });
    return w.toByteArray();
  }

  /** Decodes {@link #encode()}'s output. @throws IllegalArgumentException if malformed */
  public static ClockCoverage decode(byte[] bytes) {
    ClockCoverage c = new ClockCoverage();
    Lib0.Reader r = new Lib0.Reader(bytes);
    try {
      int clients = r.readLength();
      for (int i = 0; i < clients; i++) {
        long client = r.readVarUint();
        int n = r.readLength();
        for (int j = 0; j < n; j++) {
          long from = r.readVarUint();
          c.add(client, from, from + r.readVarUint());
        }
      }
      if (r.hasMore()) {
        throw new Lib0.Malformed("trailing bytes", r.pos());
      }
    } catch (Lib0.Malformed e) {
      throw new IllegalArgumentException("malformed clock coverage: " + e.getMessage(), e);
    }
    return c;
  }
}
