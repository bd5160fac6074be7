package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * Update-level functions without a Doc (yjs utils/updates.js): mergeUpdates, diffUpdate,
 * encodeStateVectorFromUpdate, and the lazy struct writer they share. Stateless.
 */
final class UpdateMerge {
    private UpdateMerge() {
    }

    /** yjs LazyStructWriter: one block per run of structs of the same client. */
    static final class LazyWriter {
        final UpdateEncoder encoder;
        long currClient;
        int written;
        final List<Object[]> clientStructs = new ArrayList<>();

        LazyWriter(UpdateEncoder encoder) {
            this.encoder = encoder;
        }

        void flush() {
            if (written > 0) {
                clientStructs.add(new Object[] {written, encoder.rest().toByteArray()});
                encoder.setRest(new Lib0Encoder());
                written = 0;
            }
        }

        void write(AbstractStruct struct, int offset) {
            if (written > 0 && currClient != struct.id.client) {
                flush();
            }
            if (written == 0) {
                currClient = struct.id.client;
                encoder.writeClient(struct.id.client);
                encoder.rest().writeVarUint(struct.id.clock + offset);
            }
            struct.write(encoder, offset);
            written++;
        }

        void finish() {
            flush();
            Lib0Encoder rest = encoder.rest();
            rest.writeVarUint(clientStructs.size());
            for (Object[] part : clientStructs) {
                rest.writeVarUint((Integer) part[0]);
                rest.writeBytes((byte[]) part[1]);
            }
        }
    }

    private static final class Reader {
        final List<AbstractStruct> structs;
        int i;
        AbstractStruct curr;

        Reader(List<AbstractStruct> structs, boolean filterSkips) {
            if (filterSkips) {
                List<AbstractStruct> l = new ArrayList<>(structs.size());
                for (AbstractStruct s : structs) {
                    if (!(s instanceof Skip)) {
                        l.add(s);
                    }
                }
                structs = l;
            }
            this.structs = structs;
            next();
        }

        AbstractStruct next() {
            curr = i < structs.size() ? structs.get(i++) : null;
            return curr;
        }
    }

    static AbstractStruct sliceStruct(AbstractStruct left, int diff) {
        if (left instanceof GC) {
            return new GC(new ID(left.id.client, left.id.clock + diff), left.length - diff);
        }
        if (left instanceof Skip) {
            return new Skip(new ID(left.id.client, left.id.clock + diff), left.len() - diff);
        }
        Item li = (Item) left;
        Item r = new Item(new ID(li.id.client, li.id.clock + diff), null, new ID(li.id.client, li.id.clock + diff - 1),
                null, li.rightOrigin, null, li.parentSub, li.content.copy().splice(diff));
        r.parentYKey = li.parentYKey;
        r.parentId = li.parentId;
        return r;
    }

    /** yjs mergeUpdatesV2 over decoded updates. */
    static byte[] merge(List<UpdateCodec.DecodedUpdate> updates, Supplier<UpdateEncoder> encoderFactory) {
        List<Reader> readers = new ArrayList<>();
        for (UpdateCodec.DecodedUpdate u : updates) {
            readers.add(new Reader(u.flat, true));
        }
        AbstractStruct currWrite = null;
        int currOffset = 0;
        UpdateEncoder encoder = encoderFactory.get();
        LazyWriter writer = new LazyWriter(encoder);
        while (true) {
            readers.removeIf(r -> r.curr == null);
            readers.sort((d1, d2) -> {
                if (d1.curr.id.client == d2.curr.id.client) {
                    long clockDiff = d1.curr.id.clock - d2.curr.id.clock;
                    if (clockDiff == 0) {
                        return d1.curr.getClass() == d2.curr.getClass() ? 0 : (d1.curr instanceof Skip ? 1 : -1);
                    }
                    return clockDiff < 0 ? -1 : 1;
                }
                return Long.compare(d2.curr.id.client, d1.curr.id.client);
            });
            if (readers.isEmpty()) {
                break;
            }
            Reader currDecoder = readers.get(0);
            long firstClient = currDecoder.curr.id.client;
            if (currWrite != null) {
                AbstractStruct curr = currDecoder.curr;
                boolean iterated = false;
                while (curr != null && curr.id.clock + curr.len() <= currWrite.id.clock + currWrite.len()
                        && curr.id.client >= currWrite.id.client) {
                    curr = currDecoder.next();
                    iterated = true;
                }
                if (curr == null || curr.id.client != firstClient
                        || (iterated && curr.id.clock > currWrite.id.clock + currWrite.len())) {
                    continue;
                }
                if (firstClient != currWrite.id.client) {
                    writer.write(currWrite, currOffset);
                    currWrite = curr;
                    currOffset = 0;
                    currDecoder.next();
                } else {
                    if (currWrite.id.clock + currWrite.len() < curr.id.clock) {
                        if (currWrite instanceof Skip) {
                            ((Skip) currWrite).setLen(curr.id.clock + curr.len() - currWrite.id.clock);
                        } else {
                            writer.write(currWrite, currOffset);
                            long diff = curr.id.clock - currWrite.id.clock - currWrite.len();
                            currWrite = new Skip(new ID(firstClient, currWrite.id.clock + currWrite.len()), diff);
                            currOffset = 0;
                        }
                    } else {
                        long diff = currWrite.id.clock + currWrite.len() - curr.id.clock;
                        if (diff > 0) {
                            if (currWrite instanceof Skip) {
                                ((Skip) currWrite).setLen(currWrite.len() - diff);
                            } else {
                                curr = sliceStruct(curr, (int) diff);
                            }
                        }
                        if (!mergeStructs(currWrite, curr)) {
                            writer.write(currWrite, currOffset);
                            currWrite = curr;
                            currOffset = 0;
                            currDecoder.next();
                        }
                    }
                }
            } else {
                currWrite = currDecoder.curr;
                currOffset = 0;
                currDecoder.next();
            }
            for (AbstractStruct next = currDecoder.curr; next != null && next.id.client == firstClient
                    && next.id.clock == currWrite.id.clock + currWrite.len() && !(next instanceof Skip); next = currDecoder.next()) {
                writer.write(currWrite, currOffset);
                currWrite = next;
                currOffset = 0;
            }
        }
        if (currWrite != null) {
            writer.write(currWrite, currOffset);
        }
        writer.finish();
        List<DeleteSet> dss = new ArrayList<>();
        for (UpdateCodec.DecodedUpdate u : updates) {
            dss.add(u.ds);
        }
        DeleteSet.merge(dss).write(encoder);
        return encoder.toByteArray();
    }

    /** Struct merge as in mergeUpdates: decoded items never merge (their `right` is unset); GC and Skip do. */
    private static boolean mergeStructs(AbstractStruct left, AbstractStruct right) {
        if (left instanceof Item) {
            return false;
        }
        return left.mergeWith(right);
    }

    /** yjs diffUpdateV2 over a decoded update. */
    static byte[] diff(UpdateCodec.DecodedUpdate u, Map<Long, Long> state, UpdateEncoder encoder) {
        LazyWriter writer = new LazyWriter(encoder);
        Reader reader = new Reader(u.flat, false);
        while (reader.curr != null) {
            AbstractStruct curr = reader.curr;
            long currClient = curr.id.client;
            long svClock = state.getOrDefault(currClient, 0L);
            if (curr instanceof Skip) {
                reader.next();
                continue;
            }
            if (curr.id.clock + curr.len() > svClock) {
                writer.write(curr, (int) Math.max(svClock - curr.id.clock, 0));
                reader.next();
                while (reader.curr != null && reader.curr.id.client == currClient) {
                    writer.write(reader.curr, 0);
                    reader.next();
                }
            } else {
                while (reader.curr != null && reader.curr.id.client == currClient && reader.curr.id.clock + reader.curr.len() <= svClock) {
                    reader.next();
                }
            }
        }
        writer.finish();
        u.ds.write(encoder);
        return encoder.toByteArray();
    }

    /** yjs encodeStateVectorFromUpdate: plain varUint state vector bytes, clients in update order. */
    static byte[] stateVectorFromUpdate(UpdateCodec.DecodedUpdate u) {
        Lib0Encoder body = new Lib0Encoder();
        int size = 0;
        List<AbstractStruct> all = u.flat;
        if (!all.isEmpty()) {
            AbstractStruct curr = all.get(0);
            long currClient = curr.id.client;
            boolean stopCounting = curr.id.clock != 0;
            long currClock = stopCounting ? 0 : curr.id.clock + curr.len();
            for (int i = 0; i < all.size(); i++) {
                curr = all.get(i);
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
                    currClock = curr.id.clock + curr.len();
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

    /** yjs convertUpdateFormat: re-encode struct by struct (order kept), then the delete set. */
    static byte[] convert(UpdateCodec.DecodedUpdate u, UpdateEncoder encoder) {
        LazyWriter writer = new LazyWriter(encoder);
        for (AbstractStruct s : u.flat) {
            writer.write(s, 0);
        }
        writer.finish();
        u.ds.write(encoder);
        return encoder.toByteArray();
    }
}
