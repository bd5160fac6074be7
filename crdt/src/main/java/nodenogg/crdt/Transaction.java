package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One change to a {@link Doc} (yjs utils/Transaction.js). Created by {@link Doc#transact}; nested
 * transact calls join the outer transaction. After the outermost call returns, observers run,
 * deleted content is garbage-collected (when gc is on), structs are merged, and the update event is
 * emitted. Thread-safety: only valid on the thread that holds the Doc's lock, during the
 * transaction.
 */
public final class Transaction {
  final Doc doc;
  final DeleteSet deleteSet = new DeleteSet();
  final Map<Long, Long> beforeState;
  Map<Long, Long> afterState = Collections.emptyMap();

  /** Changed types and the changed keys (null = list content). Insertion-ordered like JS Map. */
  final Map<AbstractType<?>, Set<String>> changed = new LinkedHashMap<>();

  final Map<AbstractType<?>, List<YEvent>> changedParentTypes = new LinkedHashMap<>();
  final List<AbstractStruct> mergeStructs = new ArrayList<>();
  final Object origin;
  final Map<Object, Object> meta = new HashMap<>();
  boolean local;
  boolean needFormattingCleanup;

  /**
   * Sub-documents added / removed / loaded in this transaction (insertion-ordered like JS Sets).
   */
  final Set<Doc> subdocsAdded = new java.util.LinkedHashSet<>();

  final Set<Doc> subdocsRemoved = new java.util.LinkedHashSet<>();
  final Set<Doc> subdocsLoaded = new java.util.LinkedHashSet<>();
  static final int KEEP_NONE = 0;
  static final int KEEP_V1 = 1;
  static final int KEEP_V2 = 2;

  /**
   * Which update (v1/v2) {@link Doc#emitUpdate} keeps in {@link #emitted} for {@link
   * Doc#applyUpdate}.
   */
  int keepUpdate = KEEP_NONE;

  /**
   * The update this transaction emitted in the {@link #keepUpdate} format; null when it changed
   * nothing.
   */
  byte[] emitted;

  Transaction(Doc doc, Object origin, boolean local) {
    this.doc = doc;
    this.origin = origin;
    this.local = local;
    this.beforeState = doc.store.stateVectorSnapshot();
  }

  public Doc doc() {
    return doc;
  }

  /** The origin passed to {@code transact} / {@code applyUpdate}. */
  public Object origin() {
    return origin;
  }

  /** True for changes made on this peer, false for applied remote updates. */
  public boolean local() {
    return local;
  }

  /** State vector before the transaction (client -> next clock). */
  public Map<Long, Long> beforeState() {
    return Collections.unmodifiableMap(beforeState);
  }

  /** State vector after the transaction; filled in when the transaction ends. */
  public Map<Long, Long> afterState() {
    return Collections.unmodifiableMap(afterState);
  }

  /** The shared types changed by this transaction. */
  public Set<AbstractType<?>> changedTypes() {
    return Collections.unmodifiableSet(changed.keySet());
  }

  /** Free-form metadata for observers and the UndoManager. */
  public Map<Object, Object> meta() {
    return meta;
  }

  ID nextID() {
    return new ID(doc.clientId, doc.store.getState(doc.clientId));
  }

  void addChangedType(AbstractType<?> type, String parentSub) {
    Item item = type.item;
    if (item == null
        || (item.id.clock < beforeState.getOrDefault(item.id.client, 0L) && !item.isDeleted())) {
      changed.computeIfAbsent(type, k -> new java.util.LinkedHashSet<>()).add(parentSub);
    }
  }

  boolean hasChanges() {
    if (!deleteSet.isEmpty()) {
      return true;
    }
    for (Map.Entry<Long, Long> e : afterState.entrySet()) {
      if (!e.getValue().equals(beforeState.get(e.getKey()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The v1 update of this transaction (yjs writeUpdateMessageFromTransaction), or null when nothing
   * changed.
   */
  byte[] encodeUpdate(UpdateEncoder encoder) {
    if (!hasChanges()) {
      return null;
    }
    deleteSet.sortAndMerge();
    UpdateCodec.writeClientsStructs(encoder, doc.store, beforeState);
    deleteSet.write(encoder);
    return encoder.toByteArray();
  }

  // ---- cleanup (yjs cleanupTransactions) ----

  static int tryToMergeWithLefts(List<AbstractStruct> structs, int pos) {
    AbstractStruct right = structs.get(pos);
    AbstractStruct left = structs.get(pos - 1);
    int i = pos;
    for (; i > 0; right = left, left = i - 1 >= 1 ? structs.get(i - 2) : null, i--) {
      if (left.isDeleted() == right.isDeleted() && left.getClass() == right.getClass()) {
        if (left.mergeWith(right)) {
          if (right instanceof Item) {
            Item r = (Item) right;
            if (r.parentSub != null && r.parent.map.get(r.parentSub) == r) {
              r.parent.map.put(r.parentSub, (Item) left);
            }
          }
          continue;
        }
      }
      break;
    }
    int merged = pos - i;
    if (merged > 0) {
      structs.subList(pos + 1 - merged, pos + 1).clear();
    }
    return merged;
  }

  static void tryGcDeleteSet(DeleteSet ds, StructStore store) {
    for (Map.Entry<Long, List<DeleteSet.DeleteItem>> e : ds.clients.entrySet()) {
      List<AbstractStruct> structs = store.clients.get(e.getKey());
      List<DeleteSet.DeleteItem> items = e.getValue();
      for (int di = items.size() - 1; di >= 0; di--) {
        DeleteSet.DeleteItem d = items.get(di);
        long end = d.clock + d.len;
        for (int si = StructStore.findIndexSS(structs, d.clock); si < structs.size(); si++) {
          AbstractStruct s = structs.get(si);
          if (s.id.clock >= end) {
            break;
          }
          if (s instanceof Item && s.isDeleted() && !((Item) s).keep()) {
            ((Item) s).gc(store, false);
          }
        }
      }
    }
  }

  static void tryMergeDeleteSet(DeleteSet ds, StructStore store) {
    for (Map.Entry<Long, List<DeleteSet.DeleteItem>> e : ds.clients.entrySet()) {
      List<AbstractStruct> structs = store.clients.get(e.getKey());
      List<DeleteSet.DeleteItem> items = e.getValue();
      for (int di = items.size() - 1; di >= 0; di--) {
        DeleteSet.DeleteItem d = items.get(di);
        int mostRight =
            Math.min(structs.size() - 1, 1 + StructStore.findIndexSS(structs, d.clock + d.len - 1));
        for (int si = mostRight; si > 0 && structs.get(si).id.clock >= d.clock; ) {
          si -= 1 + tryToMergeWithLefts(structs, si);
        }
      }
    }
  }

  /** Runs observers, gc and merging for each finished transaction in order, then emits events. */
  static void cleanupTransactions(List<Transaction> cleanups, int i) {
    for (; i < cleanups.size(); i++) {
      Transaction transaction = cleanups.get(i);
      Doc doc = transaction.doc;
      StructStore store = doc.store;
      DeleteSet ds = transaction.deleteSet;
      try {
        ds.sortAndMerge();
        transaction.afterState = store.stateVectorSnapshot();
        doc.callObservers(transaction);
      } finally {
        afterObservers(transaction, doc, store, ds);
      }
    }
    cleanups.clear();
  }

  /**
   * The part of a transaction's cleanup that runs whether or not an observer threw: gc, merging,
   * the client id check, update events. A method of its own so that the JIT compiles it once (a
   * try/finally body is duplicated in the bytecode, and the larger method was recompiled again and
   * again).
   */
  private static void afterObservers(
      Transaction transaction, Doc doc, StructStore store, DeleteSet ds) {
    if (doc.gc) {
      tryGcDeleteSet(ds, store);
    }
    tryMergeDeleteSet(ds, store);
    for (Map.Entry<Long, Long> e : transaction.afterState.entrySet()) {
      long client = e.getKey();
      long beforeClock = transaction.beforeState.getOrDefault(client, 0L);
      if (beforeClock != e.getValue()) {
        List<AbstractStruct> structs = store.clients.get(client);
        int firstChangePos = Math.max(StructStore.findIndexSS(structs, beforeClock), 1);
        for (int k = structs.size() - 1; k >= firstChangePos; ) {
          k -= 1 + tryToMergeWithLefts(structs, k);
        }
      }
    }
    for (int k = transaction.mergeStructs.size() - 1; k >= 0; k--) {
      ID id = transaction.mergeStructs.get(k).id;
      List<AbstractStruct> structs = store.clients.get(id.client);
      int replacedStructPos = StructStore.findIndexSS(structs, id.clock);
      if (replacedStructPos + 1 < structs.size()) {
        if (tryToMergeWithLefts(structs, replacedStructPos + 1) > 1) {
          continue;
        }
      }
      if (replacedStructPos > 0) {
        tryToMergeWithLefts(structs, replacedStructPos);
      }
    }
    if (!transaction.local
        && !java.util.Objects.equals(
            transaction.afterState.get(doc.clientId), transaction.beforeState.get(doc.clientId))) {
      doc.clientId = Doc.generateClientId();
    }
    doc.emitUpdate(transaction);
    Subdocs.afterTransaction(transaction);
  }
}
