package nodenogg.persistence.sqlite.internal;

import java.io.ByteArrayOutputStream;

/**
 * The few lib0 binary primitives the store needs (unsigned varints, length-prefixed strings and
 * byte arrays, and skipping over an {@code Any} value), over a byte array with a cursor. Every read
 * checks bounds and throws {@link Malformed} with the offset instead of running past the end.
 */
final class Lib0 {

  /** Thrown for bytes that do not follow the format; carries the offset. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message, int offset) {
      super(message + " at byte " + offset);
    }
  }

  /** Reading cursor. */
  static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    int pos() {
      return pos;
    }

    boolean hasMore() {
      return pos < buf.length;
    }

    int readUint8() throws Malformed {
      if (pos >= buf.length) {
        throw new Malformed("unexpected end of data", pos);
      }
      return buf[pos++] & 0xff;
    }

    /** An unsigned varint of at most 53 bits (the range JS numbers hold exactly). */
    long readVarUint() throws Malformed {
      int start = pos;
      long value = 0;
      int shift = 0;
      while (true) {
        int b = readUint8();
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
        shift += 7;
        if (shift > 49) {
          throw new Malformed("varint longer than 53 bits", start);
        }
      }
    }

    /** A count or length, bounded by the bytes left (every element takes at least one byte). */
    int readLength() throws Malformed {
      int start = pos;
      long n = readVarUint();
      if (n > buf.length - pos) {
        throw new Malformed("length " + n + " exceeds the " + (buf.length - pos) + " bytes left", start);
      }
      return (int) n;
    }

    void skipVarInt() throws Malformed {
      int start = pos;
      while ((readUint8() & 0x80) != 0) {
        if (pos - start > 10) {
          throw new Malformed("varint too long", start);
        }
      }
    }

    void skip(int n) throws Malformed {
      if (n < 0 || n > buf.length - pos) {
        throw new Malformed("field of " + n + " bytes exceeds the data", pos);
      }
      pos += n;
    }

    /** Skips a length-prefixed byte array (also the encoding of a string). */
    void skipVarBytes() throws Malformed {
      skip(readLength());
    }

    /** Skips a length-prefixed UTF-8 string and returns its length in UTF-16 code units (JS length). */
    long skipVarStringUtf16Length() throws Malformed {
      int n = readLength();
      long units = 0;
      for (int i = pos; i < pos + n; i++) {
        int b = buf[i] & 0xff;
        if ((b & 0xc0) != 0x80) {
          units += b >= 0xf0 ? 2 : 1;
        }
      }
      pos += n;
      return units;
    }

    /** Skips one lib0 {@code Any} value (tags 116..127). */
    void skipAny(int depth) throws Malformed {
      if (depth > 512) {
        throw new Malformed("Any value nested deeper than 512", pos);
      }
      int tagPos = pos;
      int tag = readUint8();
      switch (tag) {
        case 127: case 126: case 121: case 120:
          return; // undefined, null, false, true
        case 125:
          skipVarInt();
          return;
        case 124:
          skip(4);
          return;
        case 123: case 122:
          skip(8);
          return;
        case 119: case 116:
          skipVarBytes();
          return;
        case 118: {
          int n = readLength();
          for (int i = 0; i < n; i++) {
            skipVarBytes();
            skipAny(depth + 1);
          }
          return;
        }
        case 117: {
          int n = readLength();
          for (int i = 0; i < n; i++) {
            skipAny(depth + 1);
          }
          return;
        }
        default:
          throw new Malformed("unknown Any tag " + tag, tagPos);
      }
    }
  }

  /** Growing output buffer with varint writing. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer writeVarUint(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  private Lib0() {}
}
