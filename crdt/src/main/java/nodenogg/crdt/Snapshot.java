package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * A point in a document's history: its delete set and state vector (yjs utils/Snapshot.js).
 * Immutable once created; thread-safe.
 */
public final class Snapshot {
    final DeleteSet ds;
    final Map<Long, Long> sv;

    Snapshot(DeleteSet ds, Map<Long, Long> sv) {
        this.ds = ds;
        this.sv = sv;
    }

    /** The current snapshot of a document. */
    public static Snapshot of(Doc doc) {
        return doc.read(() -> new Snapshot(DeleteSet.fromStructStore(doc.store), doc.store.getStateVector()));
    }

    /** State vector of this snapshot (client -> next clock). */
    public Map<Long, Long> stateVector() {
        return Collections.unmodifiableMap(sv);
    }

    /** yjs encodeSnapshot: v1 delete set followed by the state vector. */
    public byte[] encode() {
        UpdateEncoderV1 enc = new UpdateEncoderV1();
        ds.write(enc);
        writeSv(enc.rest());
        return enc.toByteArray();
    }

    /** yjs encodeSnapshotV2: v2 delete set (clock deltas, len-1) followed by the plain state vector. */
    public byte[] encodeV2() {
        Lib0Encoder e = new Lib0Encoder();
        e.writeVarUint(ds.clients.size());
        List<Long> keys = new ArrayList<>(ds.clients.keySet());
        keys.sort(Collections.reverseOrder());
        for (Long client : keys) {
            List<DeleteSet.DeleteItem> items = ds.clients.get(client);
            e.writeVarUint(client);
            e.writeVarUint(items.size());
            long cur = 0;
            for (DeleteSet.DeleteItem it : items) {
                e.writeVarUint(it.clock - cur);
                e.writeVarUint(it.len - 1);
                cur = it.clock + it.len;
            }
        }
        writeSv(e);
        return e.toByteArray();
    }

    private void writeSv(Lib0Encoder e) {
        e.writeVarUint(sv.size());
        List<Long> keys = new ArrayList<>(sv.keySet());
        keys.sort(Collections.reverseOrder());
        for (Long k : keys) {
            e.writeVarUint(k);
            e.writeVarUint(sv.get(k));
        }
    }

    private static Map<Long, Long> readSv(Lib0Decoder d) {
        long n = d.readVarUint();
        Map<Long, Long> m = new java.util.LinkedHashMap<>();
        for (long i = 0; i < n; i++) {
            long c = d.readVarUint();
            m.put(c, d.readVarUint());
        }
        return m;
    }

    public static Snapshot decode(byte[] buf) {
        Lib0Decoder d = new Lib0Decoder(buf);
        DeleteSet ds = DeleteSet.read(new UpdateDecoderV1(d));
        return new Snapshot(ds, readSv(d));
    }

    public static Snapshot decodeV2(byte[] buf) {
        Lib0Decoder d = new Lib0Decoder(buf);
        DeleteSet ds = new DeleteSet();
        long numClients = d.readVarUint();
        for (long i = 0; i < numClients; i++) {
            long client = d.readVarUint();
            long n = d.readVarUint();
            long cur = 0;
            for (long j = 0; j < n; j++) {
                long clock = cur + d.readVarUint();
                long len = d.readVarUint() + 1;
                cur = clock + len;
                ds.add(client, clock, len);
            }
        }
        return new Snapshot(ds, readSv(d));
    }

    /** yjs equalSnapshots. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Snapshot)) {
            return false;
        }
        Snapshot s2 = (Snapshot) o;
        if (sv.size() != s2.sv.size() || ds.clients.size() != s2.ds.clients.size()) {
            return false;
        }
        for (Map.Entry<Long, Long> e : sv.entrySet()) {
            if (!e.getValue().equals(s2.sv.get(e.getKey()))) {
                return false;
            }
        }
        return equalDs(ds, s2.ds);
    }

    @Override
    public int hashCode() {
        return sv.hashCode();
    }

    static boolean equalDs(DeleteSet a, DeleteSet b) {
        if (a.clients.size() != b.clients.size()) {
            return false;
        }
        for (Map.Entry<Long, List<DeleteSet.DeleteItem>> e : a.clients.entrySet()) {
            List<DeleteSet.DeleteItem> i2 = b.clients.get(e.getKey());
            List<DeleteSet.DeleteItem> i1 = e.getValue();
            if (i2 == null || i1.size() != i2.size()) {
                return false;
            }
            for (int i = 0; i < i1.size(); i++) {
                if (i1.get(i).clock != i2.get(i).clock || i1.get(i).len != i2.get(i).len) {
                    return false;
                }
            }
        }
        return true;
    }

    /** yjs snapshotContainsUpdate: true when everything in the v1 update is already in this snapshot. */
    public boolean containsUpdate(byte[] update) {
        return containsDecoded(UpdateCodec.decodeV1(update));
    }

    public boolean containsUpdateV2(byte[] update) {
        return containsDecoded(UpdateCodec.decodeV2(update));
    }

    private boolean containsDecoded(UpdateCodec.DecodedUpdate u) {
        for (AbstractStruct s : u.flat) {
            if (sv.getOrDefault(s.id.client, 0L) < s.id.clock + s.length) {
                return false;
            }
        }
        List<DeleteSet> l = new ArrayList<>();
        l.add(ds);
        l.add(u.ds);
        return equalDs(ds, DeleteSet.merge(l));
    }

    /** yjs createDocFromSnapshot: a new doc with the state at this snapshot; {@code origin} must have gc off. */
    public Doc toDoc(Doc origin, Doc newDoc) {
        if (origin.gc) {
            throw new IllegalStateException("Garbage-collection must be disabled in the origin doc");
        }
        byte[][] out = new byte[1][];
        origin.transact(transaction -> {
            UpdateEncoderV2 encoder = new UpdateEncoderV2();
            int size = 0;
            for (long clock : sv.values()) {
                if (clock > 0) {
                    size++;
                }
            }
            encoder.rest().writeVarUint(size);
            for (Map.Entry<Long, Long> e : sv.entrySet()) {
                long client = e.getKey();
                long clock = e.getValue();
                if (clock == 0) {
                    continue;
                }
                if (clock < origin.store.getState(client)) {
                    origin.store.getItemCleanStart(transaction, new ID(client, clock));
                }
                List<AbstractStruct> structs = origin.store.clients.getOrDefault(client, new ArrayList<>());
                int last = StructStore.findIndexSS(structs, clock - 1);
                encoder.rest().writeVarUint(last + 1);
                encoder.writeClient(client);
                encoder.rest().writeVarUint(0);
                for (int i = 0; i <= last; i++) {
                    structs.get(i).write(encoder, 0);
                }
            }
            ds.write(encoder);
            out[0] = encoder.toByteArray();
        });
        Updates.applyUpdateV2(newDoc, out[0], "snapshot");
        return newDoc;
    }
}
