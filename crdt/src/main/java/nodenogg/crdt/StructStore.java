package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * All structs of a document, per client in clock order (yjs utils/StructStore.js), plus the pending
 * structs and pending delete set of out-of-order updates. Guarded by the owning Doc's lock.
 */
final class StructStore {
  // small first table: most documents a server holds have a few writers (the map grows as needed)
  final Map<Long, ArrayList<AbstractStruct>> clients = new java.util.LinkedHashMap<>(4);

  /** Structs that could not be integrated yet, per client in clock order; null when none. */
  PendingStructs pendingStructs;

  /** Delete ranges that refer to clocks we do not have yet; null when none. */
  DeleteSet pendingDs;

  /** Like Yjs: the structs that wait for missing clocks, kept as an encoded v2 update. */
  static final class PendingStructs {
    final Map<Long, Long> missing = new java.util.LinkedHashMap<>();
    byte[] update;
  }

  long getState(long client) {
    ArrayList<AbstractStruct> structs = clients.get(client);
    if (structs == null) {
      return 0;
    }
    AbstractStruct last = structs.get(structs.size() - 1);
    return last.id.clock + last.length;
  }

  Map<Long, Long> getStateVector() {
    // sized for its entries: a cached snapshot lives as long as the document does not change
    Map<Long, Long> sm =
        new java.util.LinkedHashMap<>(Math.max(2, (int) (clients.size() / 0.75f) + 1));
    for (Map.Entry<Long, ArrayList<AbstractStruct>> e : clients.entrySet()) {
      AbstractStruct last = e.getValue().get(e.getValue().size() - 1);
      sm.put(e.getKey(), last.id.clock + last.length);
    }
    return sm;
  }

  /**
   * The state vector as a shared read-only map, rebuilt only after {@link #addStruct} (the only way
   * a client's next clock changes: splits, merges and gc keep each client's end). Transactions take
   * it as beforeState and afterState, so a transaction's afterState serves the next one's
   * beforeState.
   */
  Map<Long, Long> stateVectorSnapshot() {
    Map<Long, Long> sv = stateVectorCache;
    if (sv == null) {
      sv = java.util.Collections.unmodifiableMap(getStateVector());
      stateVectorCache = sv;
    }
    return sv;
  }

  private Map<Long, Long> stateVectorCache;

  void addStruct(AbstractStruct struct) {
    stateVectorCache = null;
    ArrayList<AbstractStruct> structs = clients.get(struct.id.client);
    if (structs == null) {
      structs = new ArrayList<>(4); // many clients write a few structs each
      clients.put(struct.id.client, structs);
    } else {
      AbstractStruct last = structs.get(structs.size() - 1);
      if (last.id.clock + last.length != struct.id.clock) {
        throw new IllegalStateException("struct store out of order at " + struct.id);
      }
    }
    structs.add(struct);
  }

  static int findIndexSS(List<AbstractStruct> structs, long clock) {
    int left = 0;
    int right = structs.size() - 1;
    AbstractStruct mid = structs.get(right);
    long midclock = mid.id.clock;
    if (midclock == clock) {
      return right;
    }
    int midindex =
        (int) Math.floor(((double) clock / (double) (midclock + mid.length - 1)) * right);
    if (midindex < 0 || midindex > right) {
      midindex = (left + right) / 2;
    }
    while (left <= right) {
      mid = structs.get(midindex);
      midclock = mid.id.clock;
      if (midclock <= clock) {
        if (clock < midclock + mid.length) {
          return midindex;
        }
        left = midindex + 1;
      } else {
        right = midindex - 1;
      }
      midindex = (left + right) >>> 1;
    }
    throw new IllegalStateException("clock " + clock + " not found in struct store");
  }

  AbstractStruct find(ID id) {
    ArrayList<AbstractStruct> structs = clients.get(id.client);
    if (structs == null) {
      throw new IllegalStateException("no structs for client " + id.client);
    }
    return structs.get(findIndexSS(structs, id.clock));
  }

  Item getItem(ID id) {
    return (Item) find(id);
  }

  static int findIndexCleanStart(
      Transaction transaction, ArrayList<AbstractStruct> structs, long clock) {
    int index = findIndexSS(structs, clock);
    AbstractStruct struct = structs.get(index);
    if (struct.id.clock < clock && struct instanceof Item) {
      structs.add(
          index + 1, Item.split(transaction, (Item) struct, (int) (clock - struct.id.clock)));
      return index + 1;
    }
    return index;
  }

  AbstractStruct getItemCleanStart(Transaction transaction, ID id) {
    ArrayList<AbstractStruct> structs = clients.get(id.client);
    return structs.get(findIndexCleanStart(transaction, structs, id.clock));
  }

  AbstractStruct getItemCleanEnd(Transaction transaction, ID id) {
    ArrayList<AbstractStruct> structs = clients.get(id.client);
    int index = findIndexSS(structs, id.clock);
    AbstractStruct struct = structs.get(index);
    if (id.clock != struct.id.clock + struct.length - 1 && struct instanceof Item) {
      structs.add(
          index + 1,
          Item.split(transaction, (Item) struct, (int) (id.clock - struct.id.clock + 1)));
    }
    return struct;
  }

  void replaceStruct(AbstractStruct struct, AbstractStruct newStruct) {
    ArrayList<AbstractStruct> structs = clients.get(struct.id.client);
    structs.set(findIndexSS(structs, struct.id.clock), newStruct);
  }

  /** Calls {@code f} for every struct in [clockStart, clockStart+len), splitting at both ends. */
  static void iterateStructs(
      Transaction transaction,
      ArrayList<AbstractStruct> structs,
      long clockStart,
      long len,
      java.util.function.Consumer<AbstractStruct> f) {
    if (len == 0) {
      return;
    }
    long clockEnd = clockStart + len;
    int index = findIndexCleanStart(transaction, structs, clockStart);
    AbstractStruct struct;
    do {
      struct = structs.get(index++);
      if (clockEnd < struct.id.clock + struct.length) {
        findIndexCleanStart(transaction, structs, clockEnd);
      }
      f.accept(struct);
    } while (index < structs.size() && structs.get(index).id.clock < clockEnd);
  }
}
