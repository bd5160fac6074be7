package nodenogg.persistence.sqlite.internal;

import nodenogg.persistence.sqlite.InvalidUpdateException;

/**
 * Walks a Yjs v1 update without building any CRDT state: checks that it is well formed and reports
 * the clock range each client's structs occupy. This is what lets the store keep a document's state
 * vector current on every append without the engine.
 *
 * <p>Layout (yjs {@code writeClientsStructs} / {@code readClientsStructRefs}, v1 coders):
 * {@code varuint groups; per group: varuint structCount, varuint client, varuint firstClock, structs};
 * then the delete set {@code varuint clients; per client: varuint client, varuint n, n x (clock, len)}.
 * A struct starts with an info byte whose low 5 bits are the content ref: 0 GC and 10 Skip carry a
 * varuint length; any other ref is an Item: origin id if bit 0x80, right origin id if bit 0x40; with
 * neither, a parent (varuint 1 + root name, or 0 + id) and, if bit 0x20, a parentSub string; then the
 * content: 1 Deleted (len), 2 JSON (n strings), 3 Binary, 4 String (JS length), 5 Embed, 6 Format
 * (key, value), 7 Type (ref; XmlElement 3 and XmlHook 5 add a name), 8 Any (n values), 9 Doc (guid, Any).
 */
public final class UpdateScanner {

  /** Receives each client's clock ranges as the scan finds them. */
  public interface RangeSink {
    void range(long client, long clock, long length);

    /** A range the update's delete set marks deleted. */
    default void deleted(long client, long clock, long length) {}
  }

  private static final int GC = 0;
  private static final int SKIP = 10;

  private UpdateScanner() {}

  /**
   * Scans {@code update}, reporting the struct ranges (GC and Item structs; Skip gaps excluded).
   *
   * @throws InvalidUpdateException if the bytes are not a complete, well-formed v1 update
   */
  public static void scan(byte[] update, RangeSink sink) {
    Lib0.Reader r = new Lib0.Reader(update);
    try {
      int groups = r.readLength();
      for (int g = 0; g < groups; g++) {
        int structs = r.readLength();
        long client = r.readVarUint();
        long clock = r.readVarUint();
        long rangeStart = clock;
        for (int s = 0; s < structs; s++) {
          int info = r.readUint8();
          int ref = info & 0x1f;
          long len;
          if (ref == GC || ref == SKIP) {
            len = r.readVarUint();
          } else {
            len = readItem(r, info, ref);
          }
          if (len <= 0) {
            throw new Lib0.Malformed("struct of length " + len, r.pos());
          }
          if (ref == SKIP) {
            report(sink, client, rangeStart, clock);
            rangeStart = clock + len;
          }
          clock += len;
        }
        report(sink, client, rangeStart, clock);
      }
      int dsClients = r.readLength();
      for (int c = 0; c < dsClients; c++) {
        long client = r.readVarUint();
        int n = r.readLength();
        for (int i = 0; i < n; i++) {
          long clock = r.readVarUint();
          sink.deleted(client, clock, r.readVarUint());
        }
      }
      if (r.hasMore()) {
        throw new Lib0.Malformed("trailing bytes after the delete set", r.pos());
      }
    } catch (Lib0.Malformed e) {
      throw new InvalidUpdateException("not a well-formed Yjs v1 update: " + e.getMessage(), e);
    }
  }

  private static void report(RangeSink sink, long client, long from, long to) {
    if (to > from) {
      sink.range(client, from, to - from);
    }
  }

  /** Reads an Item's header and content; returns its length in clock units. */
  private static long readItem(Lib0.Reader r, int info, int ref) throws Lib0.Malformed {
    if ((info & 0x80) != 0) {
      r.readVarUint();
      r.readVarUint();
    }
    if ((info & 0x40) != 0) {
      r.readVarUint();
      r.readVarUint();
    }
    if ((info & 0xc0) == 0) {
      if (r.readVarUint() == 1) {
        r.skipVarBytes();
      } else {
        r.readVarUint();
        r.readVarUint();
      }
      if ((info & 0x20) != 0) {
        r.skipVarBytes();
      }
    }
    switch (ref) {
      case 1:
        return r.readVarUint();
      case 2: {
        int n = r.readLength();
        for (int i = 0; i < n; i++) {
          r.skipVarBytes();
        }
        return n;
      }
      case 3: case 5:
        r.skipVarBytes();
        return 1;
      case 4:
        return r.skipVarStringUtf16Length();
      case 6:
        r.skipVarBytes();
        r.skipVarBytes();
        return 1;
      case 7: {
        long typeRef = r.readVarUint();
        if (typeRef == 3 || typeRef == 5) {
          r.skipVarBytes();
        }
        if (typeRef > 6) {
          throw new Lib0.Malformed("unknown type ref " + typeRef, r.pos());
        }
        return 1;
      }
      case 8: {
        int n = r.readLength();
        for (int i = 0; i < n; i++) {
          r.skipAny(0);
        }
        return n;
      }
      case 9:
        r.skipVarBytes();
        r.skipAny(0);
        return 1;
      default:
        throw new Lib0.Malformed("unknown content ref " + ref, r.pos());
    }
  }
}
