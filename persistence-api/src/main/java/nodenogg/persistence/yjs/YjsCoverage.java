package nodenogg.persistence.yjs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nodenogg.crdt.UpdateRanges;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;
import nodenogg.persistence.UpdateFormat;

/**
 * Which clock ranges of each client a document's stored updates contain: per client a set of
 * disjoint, non-adjacent half-open intervals, filled from {@link UpdateRanges}. The version is the
 * Yjs state vector: per client, the end of the interval that starts at clock 0 (so it can run ahead
 * of a Doc's own state vector while stored structs are still pending, and catches up when a missing
 * earlier update arrives). Not thread-safe.
 *
 * <p>Persisted form: {@code varuint clients; per client: varuint client, varuint n, n x (start,
 * length)}.
 */
final class YjsCoverage implements UpdateFormat.Coverage, UpdateRanges.Visitor {

  private final Map<Long, TreeMap<Long, Long>> byClient = new TreeMap<>();

  @Override
  public void structs(long client, long clock, long length) {
    add(client, clock, clock + length);
  }

  /** Adds {@code [from, to)} for {@code client}, merging with overlapping or touching intervals. */
  void add(long client, long from, long to) {
    if (to <= from) {
      return;
    }
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

  @Override
  public void add(UpdateFormat.Coverage other) {
    if (!(other instanceof YjsCoverage)) {
      throw new IllegalArgumentException("not a Yjs coverage: " + other);
    }
    ((YjsCoverage) other)
        .byClient.forEach((client, ranges) -> ranges.forEach((from, to) -> add(client, from, to)));
  }

  /** Client id to next expected clock, counting only the range contiguous from clock 0. */
  Map<Long, Long> stateVector() {
    Map<Long, Long> sv = new TreeMap<>();
    byClient.forEach(
        (client, ranges) -> {
          Long end = ranges.get(0L);
          if (end != null) {
            sv.put(client, end);
          }
        });
    return sv;
  }

  /** The state vector in Yjs v1 encoding, entries by client id descending (as Yjs writes them). */
  @Override
  public byte[] version() {
    Map<Long, Long> sv = stateVector();
    List<Long> clients = new ArrayList<>(sv.keySet());
    clients.sort(Collections.reverseOrder());
    Lib0Encoder e = new Lib0Encoder();
    e.writeVarUint(clients.size());
    for (Long c : clients) {
      e.writeVarUint(c);
      e.writeVarUint(sv.get(c));
    }
    return e.toByteArray();
  }

  @Override
  public byte[] encode() {
    Lib0Encoder e = new Lib0Encoder();
    e.writeVarUint(byClient.size());
    byClient.forEach(
        (client, ranges) -> {
          e.writeVarUint(client);
          e.writeVarUint(ranges.size());
          ranges.forEach(
              (from, to) -> {
                e.writeVarUint(from);
                e.writeVarUint(to - from);
              });
        });
    return e.toByteArray();
  }

  /** Reads {@link #encode()}'s output. @throws IllegalArgumentException if malformed */
  static YjsCoverage decode(byte[] bytes) {
    YjsCoverage c = new YjsCoverage();
    try {
      Lib0Decoder d = new Lib0Decoder(bytes);
      long clients = count(d);
      for (long i = 0; i < clients; i++) {
        long client = d.readVarUint();
        long n = count(d);
        for (long j = 0; j < n; j++) {
          long from = d.readVarUint();
          c.add(client, from, from + d.readVarUint());
        }
      }
      if (d.hasContent()) {
        throw new IllegalArgumentException("trailing bytes at " + d.pos());
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed Yjs coverage: " + e.getMessage(), e);
    }
    return c;
  }

  /** A count bounded by the bytes left (every element takes at least one byte). */
  private static long count(Lib0Decoder d) {
    long n = d.readVarUint();
    if (n > d.remaining()) {
      throw new IllegalArgumentException(
          "count " + n + " exceeds the " + d.remaining() + " bytes left");
    }
    return n;
  }

  @Override
  public String toString() {
    return "YjsCoverage" + byClient;
  }
}
