package nodenogg.crdt.encoding;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Growable byte writer with the lib0 {@code encoding.js} primitives (varUint, sign-magnitude
 * varInt, UTF-8 varString with JS {@code TextEncoder} semantics, big-endian floats, lib0 Any). The
 * byte, varUint, varString and byte-array writers return this encoder, so a message can be written
 * in one expression. Thread-safety: not thread-safe; confine an instance to one thread.
 */
public final class Lib0Encoder {
  private byte[] buf;
  private int pos;

  public Lib0Encoder() {
    this(64);
  }

  public Lib0Encoder(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    if (pos + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + extra));
    }
  }

  /** Number of bytes written so far. */
  public int length() {
    return pos;
  }

  /** A copy of the bytes written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  public Lib0Encoder writeUint8(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
    return this;
  }

  public Lib0Encoder writeBytes(byte[] bytes) {
    return writeBytes(bytes, 0, bytes.length);
  }

  public Lib0Encoder writeBytes(byte[] bytes, int off, int len) {
    ensure(len);
    System.arraycopy(bytes, off, buf, pos, len);
    pos += len;
    return this;
  }

  /** Unsigned LEB128-style varUint; values up to 2^53 (lib0 divides instead of shifting). */
  public Lib0Encoder writeVarUint(long num) {
    if (num < 0) {
      throw new IllegalArgumentException("varUint must not be negative: " + num);
    }
    ensure(10);
    while (num > 0x7F) {
      buf[pos++] = (byte) (0x80 | (num & 0x7F));
      num >>>= 7;
    }
    buf[pos++] = (byte) num;
    return this;
  }

  /** Sign-magnitude varInt. */
  public void writeVarInt(long num) {
    writeVarInt(Math.abs(num), num < 0);
  }

  /**
   * Sign-magnitude varInt with an explicit sign, so that negative zero ({@code 40}) can be written.
   */
  public void writeVarInt(long magnitude, boolean negative) {
    ensure(11);
    long num = magnitude;
    buf[pos++] = (byte) ((num > 0x3F ? 0x80 : 0) | (negative ? 0x40 : 0) | (num & 0x3F));
    num >>>= 6;
    while (num > 0) {
      buf[pos++] = (byte) ((num > 0x7F ? 0x80 : 0) | (num & 0x7F));
      num >>>= 7;
    }
  }

  public void writeFloat32(float f) {
    int bits = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) {
      bits = 0x7fc00000;
    }
    ensure(4);
    for (int i = 3; i >= 0; i--) {
      buf[pos++] = (byte) (bits >>> (i * 8));
    }
  }

  public void writeFloat64(double d) {
    long bits = Double.doubleToRawLongBits(d);
    if (Double.isNaN(d)) {
      bits = 0x7ff8000000000000L;
    }
    writeLongBE(bits);
  }

  public void writeBigInt64(long v) {
    writeLongBE(v);
  }

  private void writeLongBE(long bits) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buf[pos++] = (byte) (bits >>> (i * 8));
    }
  }

  public Lib0Encoder writeVarUint8Array(byte[] data) {
    writeVarUint(data.length);
    return writeBytes(data);
  }

  /**
   * varUint UTF-8 byte length then the bytes; lone surrogates become U+FFFD like JS TextEncoder.
   */
  public Lib0Encoder writeVarString(String s) {
    byte[] utf8 = utf8(s);
    writeVarUint(utf8.length);
    return writeBytes(utf8);
  }

  /** UTF-8 bytes of a JS string: lone surrogates are encoded as EF BF BD. */
  public static byte[] utf8(String s) {
    boolean clean = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          clean = false;
          break;
        }
      }
    }
    if (clean) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    return JsStrings.toWellFormed(s).getBytes(StandardCharsets.UTF_8);
  }

  /** lib0 {@code writeAny} with JS number rules; see docs/ENGINE-API.md for the value model. */
  public void writeAny(Object data) {
    if (data == null) {
      writeUint8(126);
    } else if (data instanceof String) {
      writeUint8(119);
      writeVarString((String) data);
    } else if (data instanceof Boolean) {
      writeUint8(((Boolean) data) ? 120 : 121);
    } else if (data instanceof BigInteger) {
      writeUint8(122);
      writeBigInt64(((BigInteger) data).longValue());
    } else if (data instanceof Number) {
      writeNumber((Number) data);
    } else if (data instanceof byte[]) {
      writeUint8(116);
      writeVarUint8Array((byte[]) data);
    } else if (data instanceof List) {
      List<?> list = (List<?>) data;
      writeUint8(117);
      writeVarUint(list.size());
      for (Object o : list) {
        writeAny(o);
      }
    } else if (data instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) data;
      writeUint8(118);
      List<String> keys = JsStrings.objectKeys(map);
      writeVarUint(keys.size());
      for (String k : keys) {
        writeVarString(k);
        writeAny(map.get(k));
      }
    } else {
      // undefined (and anything JS would treat as a function/symbol)
      writeUint8(127);
    }
  }

  private void writeNumber(Number n) {
    if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      writeUint8(125);
      writeVarInt(n.longValue());
      return;
    }
    if (n instanceof Long && Math.abs(n.longValue()) <= Integer.MAX_VALUE) {
      writeUint8(125);
      writeVarInt(n.longValue());
      return;
    }
    double d = n.doubleValue();
    if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) <= Integer.MAX_VALUE) {
      writeUint8(125);
      writeVarInt((long) Math.abs(d), d < 0 || (d == 0 && 1 / d < 0));
    } else if ((double) (float) d == d) {
      writeUint8(124);
      writeFloat32((float) d);
    } else {
      writeUint8(123);
      writeFloat64(d);
    }
  }
}
