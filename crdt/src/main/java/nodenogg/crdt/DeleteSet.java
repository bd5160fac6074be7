package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deleted clock ranges per client (yjs utils/DeleteSet.js). Ranges are kept as (clock, length)
 * pairs; the engine sorts and merges them before binary searches.
 *
 * <p>Public only as a read-only view ({@link #isDeleted}, {@link #isEmpty}, {@link #clientIds},
 * {@link #ranges}): a transaction's delete set is handed to {@link PermanentUserData} filters. Not
 * thread-safe: read a transaction's delete set only inside that transaction's callbacks.
 */
public final class DeleteSet {
  static final class DeleteItem {
    final long clock;
    final long len;

    DeleteItem(long clock, long len) {
      this.clock = clock;
      this.len = len;
    }
  }

  final Map<Long, List<DeleteItem>> clients = new java.util.LinkedHashMap<>();

  DeleteSet() {}

  void add(long client, long clock, long len) {
    clients.computeIfAbsent(client, k -> new ArrayList<>()).add(new DeleteItem(clock, len));
  }

  /** True when no client has a deleted range. */
  public boolean isEmpty() {
    return clients.isEmpty();
  }

  /** The clients that have deleted ranges, in insertion order. */
  public java.util.Set<Long> clientIds() {
    return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(clients.keySet()));
  }

  /** Copies of {@code client}'s deleted ranges as {clock, length} pairs (empty when none). */
  public List<long[]> ranges(long client) {
    List<DeleteItem> dis = clients.get(client);
    List<long[]> out = new ArrayList<>();
    if (dis != null) {
      for (DeleteItem d : dis) {
        out.add(new long[] {d.clock, d.len});
      }
    }
    return out;
  }

  static int findIndexDS(List<DeleteItem> dis, long clock) {
    int left = 0;
    int right = dis.size() - 1;
    while (left <= right) {
      int midindex = (left + right) >>> 1;
      DeleteItem mid = dis.get(midindex);
      if (mid.clock <= clock) {
        if (clock < mid.clock + mid.len) {
          return midindex;
        }
        left = midindex + 1;
      } else {
        right = midindex - 1;
      }
    }
    return -1;
  }

  /**
   * Whether {@code id} lies in a deleted range (the ranges must be sorted, as the engine leaves
   * them).
   */
  public boolean isDeleted(ID id) {
    List<DeleteItem> dis = clients.get(id.client);
    return dis != null && findIndexDS(dis, id.clock) >= 0;
  }

  void sortAndMerge() {
    for (List<DeleteItem> dels : clients.values()) {
      dels.sort((a, b) -> Long.compare(a.clock, b.clock));
      int i;
      int j;
      for (i = 1, j = 1; i < dels.size(); i++) {
        DeleteItem left = dels.get(j - 1);
        DeleteItem right = dels.get(i);
        if (left.clock + left.len >= right.clock) {
          dels.set(
              j - 1,
              new DeleteItem(left.clock, Math.max(left.len, right.clock + right.len - left.clock)));
        } else {
          if (j < i) {
            dels.set(j, right);
          }
          j++;
        }
      }
      while (dels.size() > j) {
        dels.remove(dels.size() - 1);
      }
    }
  }

  static DeleteSet merge(List<DeleteSet> dss) {
    DeleteSet merged = new DeleteSet();
    for (int d = 0; d < dss.size(); d++) {
      for (Map.Entry<Long, List<DeleteItem>> e : dss.get(d).clients.entrySet()) {
        if (!merged.clients.containsKey(e.getKey())) {
          List<DeleteItem> dels = new ArrayList<>(e.getValue());
          for (int i = d + 1; i < dss.size(); i++) {
            List<DeleteItem> o = dss.get(i).clients.get(e.getKey());
            if (o != null) {
              dels.addAll(o);
            }
          }
          merged.clients.put(e.getKey(), dels);
        }
      }
    }
    merged.sortAndMerge();
    return merged;
  }

  static DeleteSet fromStructStore(StructStore ss) {
    DeleteSet ds = new DeleteSet();
    for (Map.Entry<Long, ArrayList<AbstractStruct>> e : ss.clients.entrySet()) {
      ArrayList<AbstractStruct> structs = e.getValue();
      List<DeleteItem> items = new ArrayList<>();
      for (int i = 0; i < structs.size(); i++) {
        AbstractStruct s = structs.get(i);
        if (s.isDeleted()) {
          long clock = s.id.clock;
          long len = s.length;
          while (i + 1 < structs.size() && structs.get(i + 1).isDeleted()) {
            len += structs.get(++i).length;
          }
          items.add(new DeleteItem(clock, len));
        }
      }
      if (!items.isEmpty()) {
        ds.clients.put(e.getKey(), items);
      }
    }
    return ds;
  }

  void write(UpdateEncoder encoder) {
    encoder.rest().writeVarUint(clients.size());
    List<Long> keys = new ArrayList<>(clients.keySet());
    keys.sort((a, b) -> Long.compare(b, a));
    for (Long client : keys) {
      List<DeleteItem> items = clients.get(client);
      encoder.resetDsCurVal();
      encoder.rest().writeVarUint(client);
      encoder.rest().writeVarUint(items.size());
      for (DeleteItem it : items) {
        encoder.writeDsClock(it.clock);
        encoder.writeDsLen(it.len);
      }
    }
  }

  /** Reads a whole delete set; validates ranges so that a later apply cannot fail. */
  static DeleteSet read(UpdateDecoder decoder) {
    DeleteSet ds = new DeleteSet();
    nodenogg.crdt.encoding.Lib0Decoder rest = decoder.rest();
    long numClients = rest.readVarUint();
    for (long i = 0; i < numClients; i++) {
      decoder.resetDsCurVal();
      long client = rest.readVarUint();
      if (client > 0xFFFFFFFFL) {
        throw new nodenogg.crdt.encoding.DecodingException(
            rest.pos(), "uint32 client id", "Client id out of range: " + client);
      }
      long n = rest.readVarUint();
      if (n > 0) {
        List<DeleteItem> field = ds.clients.computeIfAbsent(client, k -> new ArrayList<>());
        for (long j = 0; j < n; j++) {
          int p = rest.pos();
          long clock = decoder.readDsClock();
          long len = decoder.readDsLen();
          if (clock + len > nodenogg.crdt.encoding.Lib0Decoder.MAX_SAFE_INTEGER) {
            throw new nodenogg.crdt.encoding.DecodingException(
                p, "clock + length <= 2^53-1", "Delete range out of range");
          }
          field.add(new DeleteItem(clock, len));
        }
      }
    }
    return ds;
  }
}
