package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * A point in a document's history: its delete set plus its state vector (yjs utils/Snapshot.js).
 * Encodings are byte-identical to Yjs: the delete set (v1 plain or v2 delta-coded) followed by the
 * state vector as plain varUints. Read a past state with {@link #createDocFromSnapshot} (the origin
 * doc must have gc off) or {@link YText#toDelta(Snapshot, Snapshot)}. Thread-safety: immutable once
 * created; the static helpers that take a Doc take its lock.
 */
public final class Snapshot {
  final DeleteSet ds;

  /** client -> next clock, in wire / store order. */
  final Map<Long, Long> sv;

  Snapshot(DeleteSet ds, Map<Long, Long> sv) {
    this.ds = ds;
    this.sv = sv;
  }

  /** The state vector of this snapshot (client -> next clock). */
  public Map<Long, Long> stateVector() {
    return Collections.unmodifiableMap(sv);
  }

  // ---- instance-style names (the engine branch's API); same behaviour as the Yjs-named statics
  // ----

  /** The current snapshot of a document ({@link #snapshot(Doc)}). */
  public static Snapshot of(Doc doc) {
    return snapshot(doc);
  }

  public byte[] encode() {
    return encodeSnapshot(this);
  }

  public byte[] encodeV2() {
    return encodeSnapshotV2(this);
  }

  public static Snapshot decode(byte[] buf) {
    return decodeSnapshot(buf);
  }

  public static Snapshot decodeV2(byte[] buf) {
    return decodeSnapshotV2(buf);
  }

  public boolean containsUpdate(byte[] update) {
    return snapshotContainsUpdate(this, update);
  }

  public boolean containsUpdateV2(byte[] update) {
    return snapshotContainsUpdateV2(this, update);
  }

  /** {@link #createDocFromSnapshot(Doc, Snapshot, Doc)}. */
  public Doc toDoc(Doc origin, Doc newDoc) {
    return createDocFromSnapshot(origin, this, newDoc);
  }

  /** A snapshot with no clients and no deletions (yjs emptySnapshot). */
  public static Snapshot empty() {
    return new Snapshot(new DeleteSet(), new LinkedHashMap<>());
  }

  /** The current state of {@code doc} (yjs snapshot(doc)). */
  public static Snapshot snapshot(Doc doc) {
    return doc.read(
        () -> new Snapshot(DeleteSet.fromStructStore(doc.store), doc.store.getStateVector()));
  }

  public static byte[] encodeSnapshot(Snapshot s) {
    return encode(s, new UpdateEncoderV1());
  }

  public static byte[] encodeSnapshotV2(Snapshot s) {
    return encode(s, new UpdateEncoderV2());
  }

  private static byte[] encode(Snapshot s, UpdateEncoder enc) {
    s.ds.write(enc);
    Lib0Encoder rest = enc.rest();
    rest.writeBytes(Updates.encodeStateVector(s.sv));
    return rest.toByteArray();
  }

  public static Snapshot decodeSnapshot(byte[] buf) {
    Lib0Decoder d = new Lib0Decoder(buf);
    return decode(d, new UpdateDecoderV1(d));
  }

  public static Snapshot decodeSnapshotV2(byte[] buf) {
    Lib0Decoder d = new Lib0Decoder(buf);
    return decode(d, new DsDecoderV2(d));
  }

  private static Snapshot decode(Lib0Decoder d, UpdateDecoder dec) {
    DeleteSet ds = DeleteSet.read(dec);
    long n = d.readVarUint();
    Map<Long, Long> sv = new LinkedHashMap<>();
    for (long i = 0; i < n; i++) {
      int p = d.pos();
      long client = d.readVarUint();
      long clock = d.readVarUint();
      if (client > 0xFFFFFFFFL) {
        throw new DecodingException(p, "uint32 client id", "Client id out of range: " + client);
      }
      sv.put(client, clock);
    }
    return new Snapshot(ds, sv);
  }

  /** yjs equalSnapshots: same state vector and the same delete ranges per client, in order. */
  public static boolean equalSnapshots(Snapshot a, Snapshot b) {
    if (a.sv.size() != b.sv.size() || a.ds.clients.size() != b.ds.clients.size()) {
      return false;
    }
    for (Map.Entry<Long, Long> e : a.sv.entrySet()) {
      if (!e.getValue().equals(b.sv.get(e.getKey()))) {
        return false;
      }
    }
    return equalDeleteSets(a.ds, b.ds);
  }

  static boolean equalDeleteSets(DeleteSet a, DeleteSet b) {
    if (a.clients.size() != b.clients.size()) {
      return false;
    }
    for (Map.Entry<Long, List<DeleteSet.DeleteItem>> e : a.clients.entrySet()) {
      List<DeleteSet.DeleteItem> l2 = b.clients.get(e.getKey());
      List<DeleteSet.DeleteItem> l1 = e.getValue();
      if (l2 == null || l1.size() != l2.size()) {
        return false;
      }
      for (int i = 0; i < l1.size(); i++) {
        if (l1.get(i).clock != l2.get(i).clock || l1.get(i).len != l2.get(i).len) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Snapshot && equalSnapshots(this, (Snapshot) o);
  }

  @Override
  public int hashCode() {
    return sv.hashCode();
  }

  /** Whether every struct and deletion of a v1 update is already part of this snapshot. */
  public static boolean snapshotContainsUpdate(Snapshot s, byte[] update) {
    return containsUpdate(s, UpdateMerging.decoder(update, false));
  }

  /** Whether every struct and deletion of a v2 update is already part of this snapshot. */
  public static boolean snapshotContainsUpdateV2(Snapshot s, byte[] update) {
    return containsUpdate(s, UpdateMerging.decoder(update, true));
  }

  private static boolean containsUpdate(Snapshot s, UpdateDecoder dec) {
    for (AbstractStruct curr : LazyStructs.readAll(dec)) {
      if (s.sv.getOrDefault(curr.id.client, 0L) < curr.id.clock + curr.length) {
        return false;
      }
    }
    List<DeleteSet> l = new ArrayList<>();
    l.add(s.ds);
    l.add(DeleteSet.read(dec));
    return equalDeleteSets(s.ds, DeleteSet.merge(l));
  }

  // ---- reading types as they were at a snapshot (yjs typeListToArraySnapshot / typeMap*Snapshot)
  // ----

  /** The list content of {@code type} visible at snapshot {@code s}. */
  public static List<Object> typeListToArraySnapshot(AbstractType<?> type, Snapshot s) {
    return type.withLock(
        () -> {
          List<Object> cs = new ArrayList<>();
          for (Item n = type.start; n != null; n = n.right) {
            if (n.countable() && s.isVisible(n)) {
              cs.addAll(n.content.getContent());
            }
          }
          return cs;
        });
  }

  /**
   * The value of map key {@code key} at snapshot {@code s}; {@code Undefined.INSTANCE} when it had
   * none.
   */
  public static Object typeMapGetSnapshot(AbstractType<?> parent, String key, Snapshot s) {
    return parent.withLock(
        () -> {
          Item v = s.mapItemAt(parent.map.get(key));
          return v != null ? lastContent(v) : nodenogg.crdt.encoding.Undefined.INSTANCE;
        });
  }

  /** Every map entry of {@code parent} visible at snapshot {@code s}, in the type's key order. */
  public static Map<String, Object> typeMapGetAllSnapshot(AbstractType<?> parent, Snapshot s) {
    return parent.withLock(
        () -> {
          Map<String, Object> res = new LinkedHashMap<>();
          for (Map.Entry<String, Item> e : parent.map.entrySet()) {
            Item v = s.mapItemAt(e.getValue());
            if (v != null) {
              res.put(e.getKey(), lastContent(v));
            }
          }
          return res;
        });
  }

  private static Object lastContent(Item v) {
    List<Object> c = v.content.getContent();
    return v.length - 1 < c.size()
        ? c.get(v.length - 1)
        : nodenogg.crdt.encoding.Undefined.INSTANCE;
  }

  /** The entry of a key's history that the snapshot saw, if it was visible there. */
  private Item mapItemAt(Item v) {
    while (v != null && (!sv.containsKey(v.id.client) || v.id.clock >= sv.get(v.id.client))) {
      v = v.left;
    }
    return v != null && isVisible(v) ? v : null;
  }

  /** yjs isVisible: created before the snapshot and not deleted in it. */
  boolean isVisible(Item item) {
    Long clock = sv.get(item.id.client);
    return clock != null && clock > item.id.clock && !ds.isDeleted(item.id);
  }

  /** Splits the doc's structs at the snapshot's borders (yjs splitSnapshotAffectedStructs). */
  void splitAffectedStructs(Transaction tr) {
    @SuppressWarnings("unchecked")
    java.util.Set<Snapshot> done =
        (java.util.Set<Snapshot>)
            tr.meta.computeIfAbsent(
                Snapshot.class, k -> Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    if (done.contains(this)) {
      return;
    }
    StructStore store = tr.doc.store;
    for (Map.Entry<Long, Long> e : sv.entrySet()) {
      if (e.getValue() < store.getState(e.getKey())) {
        store.getItemCleanStart(tr, new ID(e.getKey(), e.getValue()));
      }
    }
    iterateDeleted(tr, ds, s -> {});
    done.add(this);
  }

  static void iterateDeleted(
      Transaction tr, DeleteSet ds, java.util.function.Consumer<AbstractStruct> f) {
    for (Map.Entry<Long, List<DeleteSet.DeleteItem>> e : ds.clients.entrySet()) {
      ArrayList<AbstractStruct> structs = tr.doc.store.clients.get(e.getKey());
      if (structs != null) {
        long state = tr.doc.store.getState(e.getKey());
        for (DeleteSet.DeleteItem d : e.getValue()) {
          // ranges the doc does not have (a snapshot of another doc) are skipped instead of failing
          if (d.clock < state) {
            StructStore.iterateStructs(tr, structs, d.clock, Math.min(d.len, state - d.clock), f);
          }
        }
      }
    }
  }

  /**
   * A new Doc holding {@code origin}'s content as it was at {@code snapshot} (yjs
   * createDocFromSnapshot). The origin must have gc off, or the deleted content the snapshot needs
   * may be gone.
   */
  public static Doc createDocFromSnapshot(Doc origin, Snapshot snapshot) {
    return createDocFromSnapshot(origin, snapshot, new Doc());
  }

  public static Doc createDocFromSnapshot(Doc origin, Snapshot snapshot, Doc newDoc) {
    if (origin.gc) {
      throw new CrdtException(
          "Garbage-collection must be disabled in the origin doc (Doc.Options.gc(false))");
    }
    UpdateEncoderV2 enc = new UpdateEncoderV2();
    origin.transact(
        tr -> {
          int size = 0;
          for (long clock : snapshot.sv.values()) {
            if (clock > 0) {
              size++;
            }
          }
          enc.rest().writeVarUint(size);
          for (Map.Entry<Long, Long> e : snapshot.sv.entrySet()) {
            long client = e.getKey();
            long clock = e.getValue();
            if (clock == 0) {
              continue;
            }
            if (clock > origin.store.getState(client)) {
              throw new CrdtException(
                  "The snapshot is ahead of the origin doc (client "
                      + client
                      + " clock "
                      + clock
                      + " > "
                      + origin.store.getState(client)
                      + "); use the doc the snapshot was taken from");
            }
            if (clock < origin.store.getState(client)) {
              origin.store.getItemCleanStart(tr, new ID(client, clock));
            }
            List<AbstractStruct> structs =
                origin.store.clients.getOrDefault(client, new ArrayList<>());
            int last = structs.isEmpty() ? -1 : StructStore.findIndexSS(structs, clock - 1);
            enc.rest().writeVarUint(last + 1);
            enc.writeClient(client);
            enc.rest().writeVarUint(0);
            for (int i = 0; i <= last; i++) {
              structs.get(i).write(enc, 0);
            }
          }
          snapshot.ds.write(enc);
        });
    Updates.applyUpdateV2(newDoc, enc.toByteArray(), "snapshot");
    return newDoc;
  }

  /** Delete-set-only v2 reader (yjs DSDecoderV2): no columns, everything in the rest stream. */
  private static final class DsDecoderV2 implements UpdateDecoder {
    private final Lib0Decoder rest;
    private long cur;

    DsDecoderV2(Lib0Decoder rest) {
      this.rest = rest;
    }

    @Override
    public Lib0Decoder rest() {
      return rest;
    }

    @Override
    public void resetDsCurVal() {
      cur = 0;
    }

    @Override
    public long readDsClock() {
      int p = rest.pos();
      cur += rest.readVarUint();
      if (cur > Lib0Decoder.MAX_SAFE_INTEGER) {
        throw new DecodingException(p, "delete clock <= 2^53-1", "Delete clock out of range");
      }
      return cur;
    }

    @Override
    public long readDsLen() {
      int p = rest.pos();
      long len = rest.readVarUint() + 1;
      cur += len;
      if (cur > Lib0Decoder.MAX_SAFE_INTEGER) {
        throw new DecodingException(p, "delete range end <= 2^53-1", "Delete range out of range");
      }
      return len;
    }

    private static UnsupportedOperationException no() {
      return new UnsupportedOperationException("delete-set decoder reads no structs");
    }

    @Override
    public ID readLeftID() {
      throw no();
    }

    @Override
    public ID readRightID() {
      throw no();
    }

    @Override
    public long readClient() {
      throw no();
    }

    @Override
    public int readInfo() {
      throw no();
    }

    @Override
    public String readString() {
      throw no();
    }

    @Override
    public boolean readParentInfo() {
      throw no();
    }

    @Override
    public int readTypeRef() {
      throw no();
    }

    @Override
    public long readLen() {
      throw no();
    }

    @Override
    public Object readAny() {
      throw no();
    }

    @Override
    public byte[] readBuf() {
      throw no();
    }

    @Override
    public Object readJSON() {
      throw no();
    }

    @Override
    public String readKey() {
      throw no();
    }
  }
}
