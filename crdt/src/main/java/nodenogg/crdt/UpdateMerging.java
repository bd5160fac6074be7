package nodenogg.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * Update-level functions that need no Doc (yjs utils/updates.js): merge, diff against a state vector,
 * state vector and clock ranges of an update, and v1/v2 conversion. Outputs are byte-identical to
 * Yjs 13.6. Both formats share one implementation parameterised by {@code v2}. Stateless; thread-safe.
 */
final class UpdateMerging {
    private UpdateMerging() {
    }

    static UpdateDecoder decoder(byte[] update, boolean v2) {
        Lib0Decoder in = new Lib0Decoder(update);
        return v2 ? new UpdateDecoderV2(in) : new UpdateDecoderV1(in);
    }

    static UpdateEncoder encoder(boolean v2) {
        return v2 ? new UpdateEncoderV2() : new UpdateEncoderV1();
    }

    /** A cursor over one update's structs (yjs LazyStructReader). */
    private static final class Cursor {
        final List<AbstractStruct> structs;
        int i;
        AbstractStruct curr;
        final boolean filterSkips;

        Cursor(List<AbstractStruct> structs, boolean filterSkips) {
            this.structs = structs;
            this.filterSkips = filterSkips;
            next();
        }

        AbstractStruct next() {
            do {
                curr = i < structs.size() ? structs.get(i++) : null;
            } while (filterSkips && curr instanceof Skip);
            return curr;
        }
    }

    /** Struct lengths are ints here; Yjs has no such limit but no real update comes near it. */
    private static int len(long l) {
        if (l < 1 || l > Integer.MAX_VALUE) {
            throw new UpdateException("Merged struct or gap of length " + l + " is out of range (1..2^31-1)");
        }
        return (int) l;
    }

    private static long end(AbstractStruct s) {
        return s.id.clock + s.length;
    }

    static byte[] merge(List<byte[]> updates, boolean v2) {
        if (updates.size() == 1) {
            return updates.get(0);
        }
        List<UpdateDecoder> decoders = new ArrayList<>();
        List<Cursor> cursors = new ArrayList<>();
        for (byte[] u : updates) {
            UpdateDecoder d = decoder(u, v2);
            decoders.add(d);
            cursors.add(new Cursor(LazyStructs.readAll(d), true));
        }
        // every delete set is read before anything is written, so a bad input fails early
        List<DeleteSet> dss = new ArrayList<>();
        for (UpdateDecoder d : decoders) {
            dss.add(DeleteSet.read(d));
        }
        UpdateEncoder enc = encoder(v2);
        LazyStructs.Writer writer = new LazyStructs.Writer(enc);
        AbstractStruct currWrite = null;
        int currOffset = 0;
        while (true) {
            cursors.removeIf(c -> c.curr == null);
            cursors.sort((a, b) -> {
                if (a.curr.id.client == b.curr.id.client) {
                    long clockDiff = a.curr.id.clock - b.curr.id.clock;
                    if (clockDiff == 0) {
                        boolean as = a.curr instanceof Skip;
                        boolean bs = b.curr instanceof Skip;
                        return as == bs ? 0 : as ? 1 : -1;
                    }
                    return clockDiff < 0 ? -1 : 1;
                }
                return Long.compare(b.curr.id.client, a.curr.id.client);
            });
            if (cursors.isEmpty()) {
                break;
            }
            Cursor currDecoder = cursors.get(0);
            long firstClient = currDecoder.curr.id.client;
            if (currWrite != null) {
                AbstractStruct curr = currDecoder.curr;
                boolean iterated = false;
                while (curr != null && end(curr) <= end(currWrite) && curr.id.client >= currWrite.id.client) {
                    curr = currDecoder.next();
                    iterated = true;
                }
                if (curr == null || curr.id.client != firstClient || (iterated && curr.id.clock > end(currWrite))) {
                    continue;
                }
                if (firstClient != currWrite.id.client) {
                    writer.write(currWrite, currOffset);
                    currWrite = curr;
                    currOffset = 0;
                    currDecoder.next();
                } else if (end(currWrite) < curr.id.clock) {
                    if (currWrite instanceof Skip) {
                        currWrite.length = len(end(curr) - currWrite.id.clock);
                    } else {
                        writer.write(currWrite, currOffset);
                        long diff = curr.id.clock - end(currWrite);
                        currWrite = new Skip(new ID(firstClient, end(currWrite)), len(diff));
                        currOffset = 0;
                    }
                } else {
                    long diff = end(currWrite) - curr.id.clock;
                    if (diff > 0) {
                        if (currWrite instanceof Skip) {
                            currWrite.length = len(currWrite.length - diff);
                        } else {
                            curr = LazyStructs.slice(curr, (int) diff);
                        }
                    }
                    if (currWrite.getClass() == curr.getClass() && !(curr instanceof Item)) {
                        len((long) currWrite.length + curr.length);
                    }
                    if (!currWrite.mergeWith(curr)) {
                        writer.write(currWrite, currOffset);
                        currWrite = curr;
                        currOffset = 0;
                        currDecoder.next();
                    }
                }
            } else {
                currWrite = currDecoder.curr;
                currOffset = 0;
                currDecoder.next();
            }
            for (AbstractStruct next = currDecoder.curr;
                 next != null && next.id.client == firstClient && next.id.clock == end(currWrite) && !(next instanceof Skip);
                 next = currDecoder.next()) {
                writer.write(currWrite, currOffset);
                currWrite = next;
                currOffset = 0;
            }
        }
        if (currWrite != null) {
            writer.write(currWrite, currOffset);
        }
        writer.finish();
        DeleteSet.merge(dss).write(enc);
        return enc.toByteArray();
    }

    static byte[] diff(byte[] update, byte[] sv, boolean v2) {
        Map<Long, Long> state = Updates.decodeStateVector(sv);
        UpdateDecoder dec = decoder(update, v2);
        Cursor reader = new Cursor(LazyStructs.readAll(dec), false);
        DeleteSet ds = DeleteSet.read(dec);
        UpdateEncoder enc = encoder(v2);
        LazyStructs.Writer writer = new LazyStructs.Writer(enc);
        while (reader.curr != null) {
            AbstractStruct curr = reader.curr;
            long currClient = curr.id.client;
            long svClock = state.getOrDefault(currClient, 0L);
            if (curr instanceof Skip) {
                reader.next();
                continue;
            }
            if (end(curr) > svClock) {
                writer.write(curr, (int) Math.max(svClock - curr.id.clock, 0));
                reader.next();
                while (reader.curr != null && reader.curr.id.client == currClient) {
                    writer.write(reader.curr, 0);
                    reader.next();
                }
            } else {
                while (reader.curr != null && reader.curr.id.client == currClient && end(reader.curr) <= svClock) {
                    reader.next();
                }
            }
        }
        writer.finish();
        ds.write(enc);
        return enc.toByteArray();
    }

    static byte[] stateVectorFromUpdate(byte[] update, boolean v2) {
        List<AbstractStruct> structs = LazyStructs.readAll(decoder(update, v2));
        Lib0Encoder body = new Lib0Encoder();
        int size = 0;
        if (!structs.isEmpty()) {
            AbstractStruct first = structs.get(0);
            long currClient = first.id.client;
            boolean stopCounting = first.id.clock != 0;
            long currClock = stopCounting ? 0 : end(first);
            for (AbstractStruct curr : structs) {
                if (currClient != curr.id.client) {
                    if (currClock != 0) {
                        size++;
                        body.writeVarUint(currClient);
                        body.writeVarUint(currClock);
                    }
                    currClient = curr.id.client;
                    currClock = 0;
                    stopCounting = curr.id.clock != 0;
                }
                if (curr instanceof Skip) {
                    stopCounting = true;
                }
                if (!stopCounting) {
                    currClock = end(curr);
                }
            }
            if (currClock != 0) {
                size++;
                body.writeVarUint(currClient);
                body.writeVarUint(currClock);
            }
        }
        Lib0Encoder out = new Lib0Encoder();
        out.writeVarUint(size);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
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

    static byte[] convert(byte[] update, boolean fromV2, boolean toV2) {
        UpdateDecoder dec = decoder(update, fromV2);
        List<AbstractStruct> structs = LazyStructs.readAll(dec);
        DeleteSet ds = DeleteSet.read(dec);
        UpdateEncoder enc = encoder(toV2);
        LazyStructs.Writer writer = new LazyStructs.Writer(enc);
        for (AbstractStruct s : structs) {
            writer.write(s, 0);
        }
        writer.finish();
        ds.write(enc);
        return enc.toByteArray();
    }
}
