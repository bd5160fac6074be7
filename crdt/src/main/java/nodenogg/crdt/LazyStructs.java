package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;

/**
 * Structs of an update without a Doc (yjs updates.js LazyStructReader / LazyStructWriter). The
 * reader yields every struct in wire order (client blocks as they come, Skips included); items keep
 * their parent unresolved (a root name or a parent item id). The writer groups consecutive structs
 * of one client into blocks and writes, at {@link Writer#finish()}, the block count followed by
 * each block (struct count, client, start clock, structs) — the byte order Yjs produces. Not
 * thread-safe.
 */
final class LazyStructs {
  private LazyStructs() {}

  /** Reads the struct section of an update (the delete set follows in the decoder). */
  static List<AbstractStruct> readAll(UpdateDecoder decoder) {
    Lib0Decoder rest = decoder.rest();
    List<AbstractStruct> out = new ArrayList<>();
    long numOfStateUpdates = rest.readVarUint();
    for (long b = 0; b < numOfStateUpdates; b++) {
      long numberOfStructs = UpdateCodec.readStructCount(decoder);
      long client = UpdateCodec.readBlockClient(decoder);
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
      return new Skip(id, UpdateCodec.checkLen(sp, rest.readVarUint(), clock));
    }
    if ((info & 0x1F) == 0) {
      return new GC(id, UpdateCodec.checkLen(sp, decoder.readLen(), clock));
    }
    if ((info & 0x1F) == Skip.REF) {
      throw new DecodingException(sp, "content ref 1..9", "Skip with flags " + info);
    }
    Item item = UpdateCodec.readItem(decoder, id, info, sp);
    UpdateCodec.checkLen(sp, item.content.getLength(), clock);
    return item;
  }

  /**
   * yjs sliceStruct: the part of {@code left} from {@code diff} on, as a new struct ({@code left}
   * is unchanged).
   */
  static AbstractStruct slice(AbstractStruct left, int diff) {
    ID id = new ID(left.id.client, left.id.clock + diff);
    if (left instanceof GC) {
      return new GC(id, left.length - diff);
    }
    if (left instanceof Skip) {
      return new Skip(id, left.len() - diff);
    }
    Item l = (Item) left;
    Item r =
        new Item(
            id,
            null,
            new ID(id.client, id.clock - 1),
            null,
            l.rightOrigin,
            null,
            l.parentSub,
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
