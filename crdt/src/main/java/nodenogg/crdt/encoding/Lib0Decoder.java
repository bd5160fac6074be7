package nodenogg.crdt.encoding;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader for the lib0 {@code decoding.js} primitives over a byte array. Every read checks bounds
 * and throws {@link DecodingException} with the offset; counts read from the input never
 * pre-allocate more than the remaining input can hold. Thread-safety: not thread-safe; confine an
 * instance to one thread.
 */
public final class Lib0Decoder {
  /** Largest integer lib0 accepts in a varUint (Number.MAX_SAFE_INTEGER). */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  /** Nesting limit for Any values, so hostile input cannot overflow the stack. */
  public static final int MAX_ANY_DEPTH = 1000;

  private final byte[] arr;
  private int pos;
  private final int end;

  public Lib0Decoder(byte[] arr) {
    this(arr, 0, arr.length);
  }

  public Lib0Decoder(byte[] arr, int from, int to) {
    this.arr = arr;
    this.pos = from;
    this.end = to;
  }

  public int pos() {
    return pos;
  }

  public boolean hasContent() {
    return pos < end;
  }

  public int remaining() {
    return end - pos;
  }

  private DecodingException eof(String what) {
    return new DecodingException(pos, what, "Unexpected end of input");
  }

  public int readUint8() {
    if (pos >= end) {
      throw eof("uint8");
    }
    return arr[pos++] & 0xFF;
  }

  public byte[] readBytes(int len) {
    if (len < 0 || len > end - pos) {
      throw new DecodingException(
          pos, len + " bytes", "Length exceeds remaining input (" + (end - pos) + " bytes left)");
    }
    byte[] r = Arrays.copyOfRange(arr, pos, pos + len);
    pos += len;
    return r;
  }

  public long readVarUint() {
    int start = pos;
    long num = 0;
    int shift = 0;
    while (pos < end) {
      int r = arr[pos++] & 0xFF;
      if (shift < 56) {
        num += ((long) (r & 0x7F)) << shift;
      } else if ((r & 0x7F) != 0) {
        throw new DecodingException(start, "varUint <= 2^53-1", "Integer out of range");
      }
      shift += 7;
      if (r < 0x80) {
        if (num > MAX_SAFE_INTEGER + 1) {
          throw new DecodingException(start, "varUint <= 2^53-1", "Integer out of range");
        }
        return num;
      }
      if (num > MAX_SAFE_INTEGER) {
        throw new DecodingException(start, "varUint <= 2^53-1", "Integer out of range");
      }
    }
    throw eof("varUint");
  }

  /** A varUint used as a count or length that must fit in an int. */
  public int readVarUintAsInt(String what) {
    int start = pos;
    long v = readVarUint();
    if (v > Integer.MAX_VALUE) {
      throw new DecodingException(start, what, "Count too large: " + v);
    }
    return (int) v;
  }

  /** Sign-magnitude varInt; negative zero reads as 0 (use {@link #lastVarIntWasNegativeZero()}). */
  public long readVarInt() {
    int start = pos;
    int r = readUint8();
    long num = r & 0x3F;
    int shift = 6;
    boolean negative = (r & 0x40) != 0;
    if ((r & 0x80) == 0) {
      lastNegZero = negative && num == 0;
      return negative ? -num : num;
    }
    while (true) {
      if (pos >= end) {
        throw eof("varInt");
      }
      r = arr[pos++] & 0xFF;
      if (shift < 56) {
        num |= ((long) (r & 0x7F)) << shift;
      } else if ((r & 0x7F) != 0) {
        throw new DecodingException(start, "varInt within 2^53", "Integer out of range");
      }
      shift += 7;
      if (r < 0x80) {
        lastNegZero = negative && num == 0;
        return negative ? -num : num;
      }
      if (num > MAX_SAFE_INTEGER) {
        throw new DecodingException(start, "varInt within 2^53", "Integer out of range");
      }
    }
  }

  private boolean lastNegZero;

  /** True when the last {@link #readVarInt()} read a negative zero. */
  public boolean lastVarIntWasNegativeZero() {
    return lastNegZero;
  }

  public float readFloat32() {
    if (end - pos < 4) {
      throw eof("float32");
    }
    int bits = 0;
    for (int i = 0; i < 4; i++) {
      bits = (bits << 8) | (arr[pos++] & 0xFF);
    }
    return Float.intBitsToFloat(bits);
  }

  public double readFloat64() {
    return Double.longBitsToDouble(readLongBE("float64"));
  }

  public long readBigInt64() {
    return readLongBE("bigint64");
  }

  private long readLongBE(String what) {
    if (end - pos < 8) {
      throw eof(what);
    }
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (arr[pos++] & 0xFF);
    }
    return bits;
  }

  public byte[] readVarUint8Array() {
    int len = readVarUintAsInt("byte array length");
    return readBytes(len);
  }

  /**
   * varString decoded like {@code TextDecoder('utf-8', {fatal: true})}: invalid UTF-8 throws, a BOM
   * is kept.
   */
  public String readVarString() {
    int len = readVarUintAsInt("string length");
    if (len > end - pos) {
      throw new DecodingException(
          pos, len + " bytes of UTF-8", "String length exceeds remaining input");
    }
    int start = pos;
    boolean ascii = true;
    for (int i = start; i < start + len; i++) {
      if (arr[i] < 0) {
        ascii = false;
        break;
      }
    }
    pos += len;
    if (ascii) {
      return new String(arr, start, len, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder dec =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer cb = dec.decode(ByteBuffer.wrap(arr, start, len));
      return cb.toString();
    } catch (CharacterCodingException e) {
      throw new DecodingException(start, "valid UTF-8", "Invalid UTF-8 in string");
    }
  }

  /** lib0 {@code readAny}. */
  public Object readAny() {
    return readAny(0);
  }

  private Object readAny(int depth) {
    if (depth > MAX_ANY_DEPTH) {
      throw new DecodingException(
          pos, "Any nested at most " + MAX_ANY_DEPTH + " deep", "Any value nested too deeply");
    }
    int tagPos = pos;
    int tag = readUint8();
    switch (tag) {
      case 127:
        return Undefined.INSTANCE;
      case 126:
        return null;
      case 125:
        {
          long v = readVarInt();
          if (lastNegZero) {
            return -0.0d;
          }
          if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return (int) v;
          }
          return (double) v;
        }
      case 124:
        return (double) readFloat32();
      case 123:
        return readFloat64();
      case 122:
        return BigInteger.valueOf(readBigInt64());
      case 121:
        return Boolean.FALSE;
      case 120:
        return Boolean.TRUE;
      case 119:
        return readVarString();
      case 118:
        {
          int n = readVarUintAsInt("object size");
          Map<String, Object> m = new LinkedHashMap<>(Math.min(n, 16));
          for (int i = 0; i < n; i++) {
            String k = readVarString();
            m.put(k, readAny(depth + 1));
          }
          return m;
        }
      case 117:
        {
          int n = readVarUintAsInt("array length");
          List<Object> l = new ArrayList<>(Math.min(n, Math.min(remaining(), 1024)));
          for (int i = 0; i < n; i++) {
            l.add(readAny(depth + 1));
          }
          return l;
        }
      case 116:
        return readVarUint8Array();
      default:
        throw new DecodingException(tagPos, "Any tag 116..127", "Unknown Any tag " + tag);
    }
  }
}
