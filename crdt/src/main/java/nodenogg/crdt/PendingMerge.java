package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Bookkeeping for pending (not yet integrable) structs. Guarded by the Doc's lock. */
final class PendingMerge {
    private PendingMerge() {
    }

    /** yjs encodeStateAsUpdateV2 with pending data: merge the state, the pending deletes and the pending structs. */
    static byte[] encodeWithPending(Doc doc, Map<Long, Long> sv) {
        UpdateEncoderV1 enc = new UpdateEncoderV1();
        UpdateCodec.writeClientsStructs(enc, doc.store, sv);
        DeleteSet.fromStructStore(doc.store).write(enc);
        List<UpdateCodec.DecodedUpdate> updates = new ArrayList<>();
        updates.add(UpdateCodec.decodeV1(enc.toByteArray()));
        if (doc.store.pendingDs != null) {
            UpdateCodec.DecodedUpdate d = new UpdateCodec.DecodedUpdate();
            d.ds = doc.store.pendingDs;
            updates.add(d);
        }
        if (doc.store.pendingStructs != null) {
            byte[] diff = UpdateMerge.diff(UpdateCodec.decodeV2(doc.store.pendingStructs.update), sv, new UpdateEncoderV1());
            updates.add(UpdateCodec.decodeV1(diff));
        }
        return UpdateMerge.merge(updates, UpdateEncoderV1::new);
    }
}
