package nodenogg.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * Doc-less reading of updates for parseUpdateMeta and snapshotContainsUpdate (yjs utils/updates.js);
 * merge/diff/convert live in UpdateMerge. Stateless; thread-safe.
 */
final class UpdateMerging {
    private UpdateMerging() {
    }

    static UpdateDecoder decoder(byte[] update, boolean v2) {
        Lib0Decoder in = new Lib0Decoder(update);
        return v2 ? new UpdateDecoderV2(in) : new UpdateDecoderV1(in);
    }

    private static long end(AbstractStruct s) {
        return s.id.clock + s.length;
    }

    static UpdateMeta meta(byte[] update, boolean v2) {
        List<AbstractStruct> structs = LazyStructs.readAll(decoder(update, v2));
        Map<Long, Long> from = new LinkedHashMap<>();
        Map<Long, Long> to = new LinkedHashMap<>();
        if (!structs.isEmpty()) {
            long currClient = structs.get(0).id.client;
            long currClock = structs.get(0).id.clock;
            from.put(currClient, currClock);
            for (AbstractStruct curr : structs) {
                if (currClient != curr.id.client) {
                    to.put(currClient, currClock);
                    from.put(curr.id.client, curr.id.clock);
                    currClient = curr.id.client;
                }
                currClock = end(curr);
            }
            to.put(currClient, currClock);
        }
        return new UpdateMeta(from, to);
    }
}
