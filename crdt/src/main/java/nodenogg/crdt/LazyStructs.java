package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;

/**
 * Structs of an update without a Doc (yjs updates.js LazyStructReader / LazyStructWriter). The reader
 * yields every struct in wire order (client blocks as they come, Skips included); items keep their
 * parent unresolved (a root name or a parent item id). The writer groups consecutive structs of one
 * client into blocks and writes, at {@link Writer#finish()}, the block count followed by each block
 * (struct count, client, start clock, structs) — the byte order Yjs produces. Not thread-safe.
 */
final class LazyStructs {
    private LazyStructs() {
    }

    /** Reads the struct section of an update (the delete set follows in the decoder). */
    static List<AbstractStruct> readAll(UpdateDecoder decoder) {
        Lib0Decoder rest = decoder.rest();
        List<AbstractStruct> out = new ArrayList<>();
        long numOfStateUpdates = rest.readVarUint();
        for (long b = 0; b < numOfStateUpdates; b++) {
            int p = rest.pos();
            long numberOfStructs = rest.readVarUint();
            if (!decoder.structCountPlausible(numberOfStructs)) {
                throw new DecodingException(p, "struct count within input", "Struct count too large: " + numberOfStructs);
            }
            int cp = rest.pos();
            long client = decoder.readClient();
            if (client < 0 || client > 0xFFFFFFFFL) {
                throw new DecodingException(cp, "uint32 client id", "Client id out of range: " + client);
            }
            long clock = rest.readVarUint();
            for (long s = 0; s < numberOfStructs; s++) {
                AbstractStruct struct = readStruct(decoder, client, clock);
                out.add(struct);
                clock += struct.length;
            }
        }
        return out;
    }

    private static AbstractStruct readStruct(UpdateDecoder decoder, long client, long clock) {
        Lib0Decoder rest = decoder.rest();
        int sp = rest.pos();
        int info = decoder.readInfo();
        ID id = new ID(client, clock);
        if (info == Skip.REF) {
            return new Skip(id, checkLen(sp, rest.readVarUint(), clock));
        }
        if ((info & 0x1F) == 0) {
            return new GC(id, checkLen(sp, decoder.readLen(), clock));
        }
        if ((info & 0x1F) == Skip.REF) {
            throw new DecodingException(sp, "content ref 1..9", "Skip with flags " + info);
        }
        boolean cantCopyParentInfo = (info & (0x40 | 0x80)) == 0;
        ID origin = (info & 0x80) != 0 ? decoder.readLeftID() : null;
        ID rightOrigin = (info & 0x40) != 0 ? decoder.readRightID() : null;
        String ykey = null;
        ID parentId = null;
        if (cantCopyParentInfo) {
            if (decoder.readParentInfo()) {
                ykey = decoder.readString().intern(); // root names repeat: share one copy
            } else {
                parentId = decoder.readLeftID();
            }
        }
        String parentSub = cantCopyParentInfo && (info & 0x20) != 0 ? decoder.readString() : null;
        Content content = Content.read(decoder, info, sp);
        if (content.getLength() < 1) {
            throw new DecodingException(sp, "content of length >= 1", "Empty item content");
        }
        checkLen(sp, content.getLength(), clock);
        Item item = new Item(id, null, origin, null, rightOrigin, null, parentSub, content);
        item.parentYKey = ykey;
        item.parentId = parentId;
        return item;
    }

    private static int checkLen(int pos, long len, long clock) {
        if (len < 1 || len > Integer.MAX_VALUE || clock + len > Lib0Decoder.MAX_SAFE_INTEGER) {
            throw new DecodingException(pos, "struct length 1..2^31-1 within 2^53 clocks", "Bad struct length " + len);
        }
        return (int) len;
    }

    /** yjs sliceStruct: the part of {@code left} from {@code diff} on, as a new struct ({@code left} is unchanged). */
    static AbstractStruct slice(AbstractStruct left, int diff) {
        ID id = new ID(left.id.client, left.id.clock + diff);
        if (left instanceof GC) {
            return new GC(id, left.length - diff);
        }
        if (left instanceof Skip) {
            return new Skip(id, left.len() - diff);
        }
        Item l = (Item) left;
        Item r = new Item(id, null, new ID(id.client, id.clock - 1), null, l.rightOrigin, null, l.parentSub,
                l.content.copy().splice(diff));
        r.parentYKey = l.parentYKey;
        r.parentId = l.parentId;
        return r;
    }

    /** yjs LazyStructWriter + writeStructToLazyStructWriter + finishLazyStructWriting. */
    static final class Writer {
        private static final class Block {
            final long client;
            final long clock;
            final List<AbstractStruct> structs = new ArrayList<>();
            final List<Integer> offsets = new ArrayList<>();

            Block(long client, long clock) {
                this.client = client;
                this.clock = clock;
            }
        }

        final UpdateEncoder encoder;
        private final List<Block> blocks = new ArrayList<>();
        private Block current;

        Writer(UpdateEncoder encoder) {
            this.encoder = encoder;
        }

        void write(AbstractStruct struct, int offset) {
            if (current == null || current.client != struct.id.client) {
                current = new Block(struct.id.client, struct.id.clock + offset);
                blocks.add(current);
            }
            current.structs.add(struct);
            current.offsets.add(offset);
        }

        /** Writes every block; the delete set may follow. */
        void finish() {
            encoder.rest().writeVarUint(blocks.size());
            for (Block b : blocks) {
                encoder.rest().writeVarUint(b.structs.size());
                encoder.writeClient(b.client);
                encoder.rest().writeVarUint(b.clock);
                for (int i = 0; i < b.structs.size(); i++) {
                    b.structs.get(i).write(encoder, b.offsets.get(i));
                }
            }
            blocks.clear();
            current = null;
        }
    }
}
