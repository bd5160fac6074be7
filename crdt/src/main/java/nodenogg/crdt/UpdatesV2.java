package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Lib0Decoder;

/**
 * Doc-level update format v2 (yjs encodeStateAsUpdateV2 / applyUpdateV2); the public entry points are
 * on {@link Updates}. Guarded by the Doc's lock.
 */
final class UpdatesV2 {
    private UpdatesV2() {
    }

    static UpdateCodec.DecodedUpdate decode(byte[] update) {
        UpdateDecoderV2 dec = new UpdateDecoderV2(new Lib0Decoder(update));
        UpdateCodec.DecodedUpdate u = UpdateCodec.readUpdate(dec);
        u.ds = DeleteSet.read(dec);
        return u;
    }

    static byte[] encodeStateAsUpdate(Doc doc, byte[] encodedTargetStateVector, boolean v2) {
        Map<Long, Long> sv = Updates.decodeStateVector(encodedTargetStateVector);
        return doc.read(() -> {
            UpdateEncoder enc = UpdateMerging.encoder(v2);
            StructStore store = doc.store;
            UpdateCodec.writeClientsStructs(enc, store, sv);
            DeleteSet.fromStructStore(store).write(enc);
            byte[] main = enc.toByteArray();
            if (store.pendingStructs == null && store.pendingDs == null) {
                return main;
            }
            List<byte[]> updates = new ArrayList<>();
            updates.add(main);
            if (store.pendingDs != null) {
                UpdateEncoder e = UpdateMerging.encoder(v2);
                e.rest().writeVarUint(0);
                store.pendingDs.write(e);
                updates.add(e.toByteArray());
            }
            if (store.pendingStructs != null) {
                updates.add(UpdateMerging.diff(pendingUpdate(store.pendingStructs, v2), encodedTargetStateVector, v2));
            }
            return UpdateMerging.merge(updates, v2);
        });
    }

    /** The pending structs as one update: contiguous runs per client, merged (gaps become Skips). */
    static byte[] pendingUpdate(StructStore.PendingStructs pending, boolean v2) {
        List<byte[]> parts = new ArrayList<>();
        for (Map.Entry<Long, List<AbstractStruct>> e : pending.structs.entrySet()) {
            List<AbstractStruct> run = new ArrayList<>();
            for (AbstractStruct s : e.getValue()) {
                if (!run.isEmpty() && run.get(run.size() - 1).id.clock + run.get(run.size() - 1).length != s.id.clock) {
                    parts.add(runUpdate(run, v2));
                    run.clear();
                }
                run.add(s);
            }
            if (!run.isEmpty()) {
                parts.add(runUpdate(run, v2));
            }
        }
        if (parts.isEmpty()) {
            UpdateEncoder e = UpdateMerging.encoder(v2);
            e.rest().writeVarUint(0);
            e.rest().writeVarUint(0);
            return e.toByteArray();
        }
        return parts.size() == 1 ? parts.get(0) : UpdateMerging.merge(parts, v2);
    }

    private static byte[] runUpdate(List<AbstractStruct> run, boolean v2) {
        UpdateEncoder e = UpdateMerging.encoder(v2);
        LazyStructs.Writer w = new LazyStructs.Writer(e);
        for (AbstractStruct s : run) {
            w.write(s, 0);
        }
        w.finish();
        e.rest().writeVarUint(0);
        return e.toByteArray();
    }
}
