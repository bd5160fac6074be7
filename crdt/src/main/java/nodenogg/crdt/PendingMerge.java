package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Bookkeeping for pending (not yet integrable) structs. Guarded by the Doc's lock. */
final class PendingMerge {
    private PendingMerge() {
    }

    /** Adds {@code rest} to {@code target}, per client sorted by clock. */
    static void mergeInto(Map<Long, List<AbstractStruct>> target, Map<Long, List<AbstractStruct>> rest) {
        for (Map.Entry<Long, List<AbstractStruct>> e : rest.entrySet()) {
            List<AbstractStruct> cur = target.get(e.getKey());
            if (cur == null) {
                target.put(e.getKey(), new ArrayList<>(e.getValue()));
            } else {
                List<AbstractStruct> l = new ArrayList<>(cur);
                l.addAll(e.getValue());
                l.sort((a, b) -> Long.compare(a.id.clock, b.id.clock));
                target.put(e.getKey(), l);
            }
        }
    }

    static byte[] encodeWithPending(Doc doc, Map<Long, Long> sv) {
        // like Yjs: pending delete set and the diff of the pending structs are merged in (UpdatesV2)
        return UpdatesV2.encodeStateAsUpdate(doc, Updates.encodeStateVector(sv), false);
    }
}
