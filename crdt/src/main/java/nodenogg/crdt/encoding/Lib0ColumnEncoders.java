package nodenogg.crdt.encoding;

import java.util.ArrayList;
import java.util.List;

/**
 * The stateful column encoders of lib0 {@code encoding.js} that update format v2 is built from.
 * Each keeps the pending run in fields and writes it when the value changes or when the column is
 * finished with {@code toByteArray()} (call it once). Wire rules (docs/PROTOCOL.md §1):
 *
 * <ul>
 *   <li>{@link Rle}: value byte, then "run length − 1" as varUint when the next different value
 *       comes; the last run's length is never written.
 *   <li>{@link UintOptRle}: a run of one is varInt(v); a longer run is varInt(−v) (−0 for zero) and
 *       varUint(n − 2).
 *   <li>{@link IntDiffOptRle}: runs of equal differences d: varInt(2d + (n &gt; 1 ? 1 : 0)), then
 *       varUint(n − 2).
 *   <li>{@link Strings}: every string joined first, written as one varString, then a UintOptRle
 *       column of UTF-16 lengths.
 * </ul>
 *
 * Thread-safety: not thread-safe.
 */
public final class Lib0ColumnEncoders {
  private Lib0ColumnEncoders() {}

  /** Run-length encoding of uint8 values (lib0 RleEncoder with writeUint8). */
  public static final class Rle {
    private final Lib0Encoder out = new Lib0Encoder();
    private int last = -1;
    private long count;

    public void write(int v) {
      if (count > 0 && last == v) {
        count++;
        return;
      }
      if (count > 0) {
        out.writeVarUint(count - 1);
      }
      count = 1;
      out.writeUint8(v);
      last = v;
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** Runs of equal unsigned values (lib0 UintOptRleEncoder). */
  public static final class UintOptRle {
    private final Lib0Encoder out = new Lib0Encoder();
    private long value;
    private long count;

    public void write(long v) {
      if (value == v) {
        count++;
        return;
      }
      flush();
      count = 1;
      value = v;
    }

    private void flush() {
      if (count > 0) {
        out.writeVarInt(value, count > 1);
        if (count > 1) {
          out.writeVarUint(count - 2);
        }
      }
    }

    public byte[] toByteArray() {
      flush();
      count = 0;
      return out.toByteArray();
    }
  }

  /**
   * Runs of equal differences between consecutive values, starting from 0 (lib0
   * IntDiffOptRleEncoder).
   */
  public static final class IntDiffOptRle {
    private final Lib0Encoder out = new Lib0Encoder();
    private long last;
    private long count;
    private long diff;

    public void write(long v) {
      if (count > 0 && diff == v - last) {
        last = v;
        count++;
        return;
      }
      flush();
      count = 1;
      diff = v - last;
      last = v;
    }

    private void flush() {
      if (count > 0) {
        out.writeVarInt(diff * 2 + (count == 1 ? 0 : 1));
        if (count > 1) {
          out.writeVarUint(count - 2);
        }
      }
    }

    public byte[] toByteArray() {
      flush();
      count = 0;
      return out.toByteArray();
    }
  }

  /** Strings joined into one varString plus a column of UTF-16 lengths (lib0 StringEncoder). */
  public static final class Strings {
    private final List<String> parts = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private final UintOptRle lengths = new UintOptRle();

    public void write(String s) {
      current.append(s);
      if (current.length() > 19) {
        parts.add(current.toString());
        current.setLength(0);
      }
      lengths.write(s.length());
    }

    public byte[] toByteArray() {
      StringBuilder all = new StringBuilder();
      for (String p : parts) {
        all.append(p);
      }
      all.append(current);
      Lib0Encoder e = new Lib0Encoder();
      // joined before UTF-8 encoding: surrogate halves split across strings meet again
      e.writeVarString(all.toString());
      e.writeBytes(lengths.toByteArray());
      return e.toByteArray();
    }
  }
}
