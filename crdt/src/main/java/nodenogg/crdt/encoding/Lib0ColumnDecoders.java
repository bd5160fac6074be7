package nodenogg.crdt.encoding;

/**
 * Readers for the columns written by {@link Lib0ColumnEncoders} (lib0 {@code decoding.js}
 * RleDecoder, UintOptRleDecoder, IntDiffOptRleDecoder, StringDecoder). Where lib0 silently reads
 * zeros or {@code undefined} past the end of a column, these throw {@link DecodingException}; the
 * one designed exception is kept: the last run of an {@link Rle} column repeats for ever. Error
 * offsets are relative to the column. Thread-safety: not thread-safe.
 */
public final class Lib0ColumnDecoders {
  private Lib0ColumnDecoders() {}

  /** lib0 RleDecoder over uint8 values. */
  public static final class Rle {
    private final Lib0Decoder in;
    private final String name;
    private int value = -1;
    private long count;

    public Rle(byte[] column, String name) {
      this.in = new Lib0Decoder(column);
      this.name = name;
    }

    public int read() {
      if (count == 0) {
        if (!in.hasContent()) {
          throw new DecodingException(
              in.pos(), name + " value", "Column '" + name + "' is exhausted");
        }
        value = in.readUint8();
        count = in.hasContent() ? in.readVarUint() + 1 : -1;
      }
      count--;
      return value;
    }
  }

  /** lib0 UintOptRleDecoder. */
  public static final class UintOptRle {
    private final Lib0Decoder in;
    private final String name;
    private long value;
    private long count;

    public UintOptRle(Lib0Decoder in, String name) {
      this.in = in;
      this.name = name;
    }

    public UintOptRle(byte[] column, String name) {
      this(new Lib0Decoder(column), name);
    }

    public long read() {
      if (count == 0) {
        if (!in.hasContent()) {
          throw new DecodingException(
              in.pos(), name + " value", "Column '" + name + "' is exhausted");
        }
        long v = in.readVarInt();
        count = 1;
        if (v < 0 || in.lastVarIntWasNegativeZero()) {
          v = -v;
          count = in.readVarUint() + 2;
        }
        value = v;
      }
      count--;
      return value;
    }
  }

  /** lib0 IntDiffOptRleDecoder. */
  public static final class IntDiffOptRle {
    private final Lib0Decoder in;
    private final String name;
    private long value;
    private long count;
    private long diff;

    public IntDiffOptRle(byte[] column, String name) {
      this.in = new Lib0Decoder(column);
      this.name = name;
    }

    public long read() {
      if (count == 0) {
        if (!in.hasContent()) {
          throw new DecodingException(
              in.pos(), name + " value", "Column '" + name + "' is exhausted");
        }
        long d = in.readVarInt();
        diff = d >> 1;
        count = 1;
        if ((d & 1) != 0) {
          count = in.readVarUint() + 2;
        }
      }
      value += diff;
      if (value < -Lib0Decoder.MAX_SAFE_INTEGER || value > Lib0Decoder.MAX_SAFE_INTEGER) {
        throw new DecodingException(
            in.pos(), name + " within 2^53", "Column '" + name + "' value out of range");
      }
      count--;
      return value;
    }
  }

  /** lib0 StringDecoder: one joined string sliced by a UintOptRle column of UTF-16 lengths. */
  public static final class Strings {
    private final String all;
    private final UintOptRle lengths;
    private int pos;

    public Strings(byte[] column) {
      Lib0Decoder in = new Lib0Decoder(column);
      this.all = in.readVarString();
      this.lengths = new UintOptRle(in, "string length");
    }

    public String read() {
      long len = lengths.read();
      if (len > all.length() - pos) {
        throw new DecodingException(
            pos,
            "string within the string column",
            "String length " + len + " exceeds the string column");
      }
      String s = all.substring(pos, pos + (int) len);
      pos += (int) len;
      return s;
    }
  }
}
