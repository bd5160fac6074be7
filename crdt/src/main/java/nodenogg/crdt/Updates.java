package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * Encoding and applying updates (yjs utils/encoding.js): update format v1, state vectors.
 * Thread-safety: every method takes the Doc's lock.
 */
public final class Updates {
  private Updates() {}

  /** The whole document as a v1 update. */
  public static byte[] encodeStateAsUpdate(Doc doc) {
    return encodeStateAsUpdate(doc, new byte[] {0});
  }

  /** Everything the holder of {@code encodedTargetStateVector} is missing, as a v1 update. */
  public static byte[] encodeStateAsUpdate(Doc doc, byte[] encodedTargetStateVector) {
    return UpdatesV2.encodeStateAsUpdate(doc, encodedTargetStateVector, false);
  }

  /**
   * Merges v1 updates into one without a Doc (yjs mergeUpdates). A single update is returned
   * unchanged. Throws {@link DecodingException} for a malformed input.
   */
  public static byte[] mergeUpdates(List<byte[]> updates) {
    return UpdateMerging.merge(updates, false);
  }

  /** The part of a v1 update that the holder of {@code stateVector} is missing (yjs diffUpdate). */
  public static byte[] diffUpdate(byte[] update, byte[] stateVector) {
    return UpdateMerging.diff(update, stateVector, false);
  }

  /** The state vector an update would produce on an empty doc (yjs encodeStateVectorFromUpdate). */
  public static byte[] encodeStateVectorFromUpdate(byte[] update) {
    return UpdateMerging.stateVectorFromUpdate(update, false);
  }

  public static void applyUpdate(Doc doc, byte[] update) {
    applyUpdate(doc, update, null);
  }

  /**
   * Applies a v1 update. The update is decoded and validated completely first; a malformed update
   * throws {@link DecodingException} and leaves the document exactly as it was.
   */
  public static void applyUpdate(Doc doc, byte[] update, Object origin) {
    UpdateCodec.DecodedUpdate u = UpdateCodec.decodeV1(update);
    apply(doc, u, origin);
  }

  static void apply(Doc doc, UpdateCodec.DecodedUpdate u, Object origin) {
    doc.transact(
        tr -> {
          tr.local = false;
          integrate(tr, u.clients, u.ds);
        },
        origin,
        false);
  }

  /**
   * {@link #apply} in a transaction of its own that keeps the update it emits (v1 or v2), for
   * {@link Doc#applyUpdate}.
   */
  static ApplyResult applyWithResult(
      Doc doc, UpdateCodec.DecodedUpdate u, Object origin, boolean v2) {
    doc.lock.lock();
    try {
      if (doc.transaction != null || !doc.transactionCleanups.isEmpty()) {
        throw new IllegalStateException(
            "Doc.applyUpdate reports what its own transaction did, but it was"
                + " called inside a transaction or an observer of the same Doc; use Updates.applyUpdate there");
      }
      Transaction done =
          doc.transaction(
              tr -> {
                tr.local = false;
                tr.keepUpdate = v2 ? Transaction.KEEP_V2 : Transaction.KEEP_V1;
                integrate(tr, u.clients, u.ds);
                return tr;
              },
              origin,
              false);
      StructStore store = doc.store;
      return new ApplyResult(done.emitted, store.pendingStructs != null, store.pendingDs != null);
    } finally {
      doc.lock.unlock();
    }
  }

  /** yjs readUpdateV2 on decoded data. */
  static void integrate(
      Transaction transaction, Map<Long, List<AbstractStruct>> clients, DeleteSet ds) {
    Doc doc = transaction.doc;
    StructStore store = doc.store;
    boolean retry = false;
    StructStore.PendingStructs restStructs =
        UpdateCodec.integrateStructs(transaction, store, clients);
    StructStore.PendingStructs pending = store.pendingStructs;
    if (pending != null) {
      for (Map.Entry<Long, Long> e : pending.missing.entrySet()) {
        if (e.getValue() < store.getState(e.getKey())) {
          retry = true;
          break;
        }
      }
      if (restStructs != null) {
        for (Map.Entry<Long, Long> e : restStructs.missing.entrySet()) {
          Long m = pending.missing.get(e.getKey());
          if (m == null || m > e.getValue()) {
            pending.missing.put(e.getKey(), e.getValue());
          }
        }
        pending.update = UpdateMerging.merge(List.of(pending.update, restStructs.update), true);
      }
    } else {
      store.pendingStructs = restStructs;
    }
    DeleteSet dsRest = applyDeleteSet(transaction, ds, store);
    if (store.pendingDs != null) {
      DeleteSet dsRest2 = applyDeleteSet(transaction, store.pendingDs, store);
      if (dsRest != null && dsRest2 != null) {
        List<DeleteSet> l = new ArrayList<>();
        l.add(dsRest);
        l.add(dsRest2);
        store.pendingDs = DeleteSet.merge(l);
      } else {
        store.pendingDs = dsRest != null ? dsRest : dsRest2;
      }
    } else {
      store.pendingDs = dsRest;
    }
    if (retry) {
      StructStore.PendingStructs p = store.pendingStructs;
      store.pendingStructs = null;
      UpdateCodec.DecodedUpdate again = UpdateCodec.decodeV2(p.update);
      integrate(transaction, again.clients, again.ds);
    }
  }

  /**
   * yjs readAndApplyDeleteSet on a decoded delete set; returns the part we cannot apply yet, or
   * null.
   */
  static DeleteSet applyDeleteSet(Transaction transaction, DeleteSet ds, StructStore store) {
    DeleteSet unapplied = new DeleteSet();
    for (Map.Entry<Long, List<DeleteSet.DeleteItem>> e : ds.clients.entrySet()) {
      long client = e.getKey();
      ArrayList<AbstractStruct> structs = store.clients.get(client);
      long state = store.getState(client);
      for (DeleteSet.DeleteItem d : e.getValue()) {
        long clock = d.clock;
        long clockEnd = clock + d.len;
        if (clock < state) {
          if (state < clockEnd) {
            unapplied.add(client, state, clockEnd - state);
          }
          int index = StructStore.findIndexSS(structs, clock);
          AbstractStruct struct = structs.get(index);
          if (!struct.isDeleted() && struct.id.clock < clock) {
            structs.add(
                index + 1, Item.split(transaction, (Item) struct, (int) (clock - struct.id.clock)));
            index++;
          }
          while (index < structs.size()) {
            struct = structs.get(index++);
            if (struct.id.clock < clockEnd) {
              if (!struct.isDeleted()) {
                if (clockEnd < struct.id.clock + struct.length) {
                  structs.add(
                      index,
                      Item.split(transaction, (Item) struct, (int) (clockEnd - struct.id.clock)));
                }
                ((Item) struct).delete(transaction);
              }
            } else {
              break;
            }
          }
        } else {
          unapplied.add(client, clock, clockEnd - clock);
        }
      }
    }
    return unapplied.isEmpty() ? null : unapplied;
  }

  /** The document's state vector: client -> next expected clock, v1 encoded. */
  public static byte[] encodeStateVector(Doc doc) {
    return doc.read(() -> encodeStateVector(doc.store.getStateVector()));
  }

  static byte[] encodeStateVector(Map<Long, Long> sv) {
    Lib0Encoder e = new Lib0Encoder();
    e.writeVarUint(sv.size());
    List<Long> keys = new ArrayList<>(sv.keySet());
    keys.sort(Collections.reverseOrder());
    for (Long k : keys) {
      e.writeVarUint(k);
      e.writeVarUint(sv.get(k));
    }
    return e.toByteArray();
  }

  /** Decodes a state vector; never pre-allocates from the untrusted count. */
  public static Map<Long, Long> decodeStateVector(byte[] sv) {
    Lib0Decoder d = new Lib0Decoder(sv);
    long n = d.readVarUint();
    Map<Long, Long> m = new HashMap<>();
    for (long i = 0; i < n; i++) {
      long client = d.readVarUint();
      long clock = d.readVarUint();
      m.put(client, clock);
    }
    return m;
  }

  // ---- update format v2 and update-level functions (yjs updates.js); see UpdatesV2 /
  // UpdateMerging.

  /** The whole document as a v2 update. */
  public static byte[] encodeStateAsUpdateV2(Doc doc) {
    return encodeStateAsUpdateV2(doc, new byte[] {0});
  }

  /**
   * Everything the holder of {@code encodedTargetStateVector} is missing, as a v2 update (pending
   * data merged in).
   */
  public static byte[] encodeStateAsUpdateV2(Doc doc, byte[] encodedTargetStateVector) {
    return UpdatesV2.encodeStateAsUpdate(doc, encodedTargetStateVector, true);
  }

  public static void applyUpdateV2(Doc doc, byte[] update) {
    applyUpdateV2(doc, update, null);
  }

  /**
   * Applies a v2 update; decoded and validated completely first, a rejected update leaves the doc
   * unchanged.
   */
  public static void applyUpdateV2(Doc doc, byte[] update, Object origin) {
    apply(doc, UpdatesV2.decode(update), origin);
  }

  /** Merges v2 updates into one (yjs mergeUpdatesV2); a single update is returned unchanged. */
  public static byte[] mergeUpdatesV2(List<byte[]> updates) {
    return UpdateMerging.merge(updates, true);
  }

  /** The part of a v2 update not covered by the encoded state vector (yjs diffUpdateV2). */
  public static byte[] diffUpdateV2(byte[] update, byte[] stateVector) {
    return UpdateMerging.diff(update, stateVector, true);
  }

  /** The state vector a doc would have after applying only this v2 update to an empty doc. */
  public static byte[] encodeStateVectorFromUpdateV2(byte[] update) {
    return UpdateMerging.stateVectorFromUpdate(update, true);
  }

  /** First and end clock per client of a v1 update (yjs parseUpdateMeta). */
  public static UpdateMeta parseUpdateMeta(byte[] update) {
    return UpdateMerging.meta(update, false);
  }

  /** First and end clock per client of a v2 update (yjs parseUpdateMetaV2). */
  public static UpdateMeta parseUpdateMetaV2(byte[] update) {
    return UpdateMerging.meta(update, true);
  }

  public static byte[] convertUpdateFormatV1ToV2(byte[] update) {
    return UpdateMerging.convert(update, false, true);
  }

  public static byte[] convertUpdateFormatV2ToV1(byte[] update) {
    return UpdateMerging.convert(update, true, false);
  }

  // ---- obfuscation and inspection (yjs obfuscateUpdate / decodeUpdate / logUpdate); see
  // UpdateObfuscation.

  /** {@link #obfuscateUpdate(byte[], ObfuscateOptions)} with every option on. */
  public static byte[] obfuscateUpdate(byte[] update) {
    return obfuscateUpdate(update, ObfuscateOptions.DEFAULTS);
  }

  /**
   * The v1 update with its content replaced by placeholders (yjs obfuscateUpdate, byte-identical):
   * texts, values, map keys and, per {@code opts}, formatting, sub-document guids and XML names.
   * Clocks, origins, parents and the delete set are kept, so the result can reproduce a bug without
   * revealing what users wrote. {@code opts} null means {@link ObfuscateOptions#DEFAULTS}. Throws
   * {@link DecodingException} for a malformed input.
   */
  public static byte[] obfuscateUpdate(byte[] update, ObfuscateOptions opts) {
    return UpdateObfuscation.obfuscate(update, opts, false);
  }

  /** {@link #obfuscateUpdateV2(byte[], ObfuscateOptions)} with every option on. */
  public static byte[] obfuscateUpdateV2(byte[] update) {
    return obfuscateUpdateV2(update, ObfuscateOptions.DEFAULTS);
  }

  /**
   * As {@link #obfuscateUpdate(byte[], ObfuscateOptions)} for a v2 update (yjs obfuscateUpdateV2).
   */
  public static byte[] obfuscateUpdateV2(byte[] update, ObfuscateOptions opts) {
    return UpdateObfuscation.obfuscate(update, opts, true);
  }

  /**
   * The structs and delete set of a v1 update (yjs decodeUpdate); throws {@link DecodingException}
   * when malformed.
   */
  public static DecodedUpdate decodeUpdate(byte[] update) {
    return DecodedUpdate.read(update, false);
  }

  /** The structs and delete set of a v2 update (yjs decodeUpdateV2). */
  public static DecodedUpdate decodeUpdateV2(byte[] update) {
    return DecodedUpdate.read(update, true);
  }

  /** A human-readable listing of a v1 update (yjs logUpdate prints it; this returns the text). */
  public static String logUpdate(byte[] update) {
    return decodeUpdate(update).toString();
  }

  /** A human-readable listing of a v2 update (yjs logUpdateV2). */
  public static String logUpdateV2(byte[] update) {
    return decodeUpdateV2(update).toString();
  }
}
