package nodenogg.automerge.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CBOR (RFC 8949), the subset automerge-repo's messages use (cbor-x with {@code useRecords: false,
 * tagUint8Array: false}): integers, byte strings, text strings, arrays, maps with string keys,
 * floats, booleans, null and undefined (read as null); tags are read through (their content is
 * kept). Decoding is defensive: definite lengths only, nesting at most 32 deep, every claimed
 * length checked against the bytes left (so a 5-byte message cannot make us allocate a gigabyte),
 * UTF-8 must be valid. Values: {@code Map<String,Object>} (insertion order), {@code List}, {@code
 * String}, {@code byte[]}, {@code Long}, {@code Double}, {@code Boolean}, null. Stateless,
 * thread-safe.
 */
public final class Cbor {
  private Cbor() {}

  private static final int MAX_DEPTH = 32;

  /** Malformed CBOR (or CBOR this subset does not read). */
  public static final class CborException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    CborException(String message) {
      super(message);
    }
  }

  // ---- encoding
  // ------------------------------------------------------------------------------------------------

  public static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    write(out, value);
    return out.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static void write(ByteArrayOutputStream out, Object v) {
    if (v == null) {
      out.write(0xf6);
    } else if (v instanceof Boolean b) {
      out.write(b ? 0xf5 : 0xf4);
    } else if (v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte) {
      long n = ((Number) v).longValue();
      if (n >= 0) {
        head(out, 0, n);
      } else {
        head(out, 1, -1 - n);
      }
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15 && !(d == 0 && 1 / d < 0)) {
        write(out, (long) d); // as JS numbers are encoded by cbor-x: integral values as integers
        return;
      }
      out.write(0xfb);
      long bits = Double.doubleToLongBits(d);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (bits >>> (8 * i)) & 0xff);
      }
    } else if (v instanceof byte[] b) {
      head(out, 2, b.length);
      out.write(b, 0, b.length);
    } else if (v instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      head(out, 3, b.length);
      out.write(b, 0, b.length);
    } else if (v instanceof List<?> l) {
      head(out, 4, l.size());
      for (Object x : l) {
        write(out, x);
      }
    } else if (v instanceof Map<?, ?> m) {
      head(out, 5, m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        write(out, String.valueOf(e.getKey()));
        write(out, e.getValue());
      }
    } else {
      throw new IllegalArgumentException("no CBOR form for " + v.getClass().getName());
    }
  }

  private static void head(ByteArrayOutputStream out, int major, long n) {
    int m = major << 5;
    if (n < 24) {
      out.write(m | (int) n);
    } else if (n < 0x100) {
      out.write(m | 24);
      out.write((int) n);
    } else if (n < 0x10000) {
      out.write(m | 25);
      out.write((int) (n >> 8));
      out.write((int) n & 0xff);
    } else if (n < 0x100000000L) {
      out.write(m | 26);
      for (int i = 3; i >= 0; i--) {
        out.write((int) (n >>> (8 * i)) & 0xff);
      }
    } else {
      out.write(m | 27);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (n >>> (8 * i)) & 0xff);
      }
    }
  }

  // ---- decoding
  // ------------------------------------------------------------------------------------------------

  /**
   * Decodes exactly one value filling all of {@code bytes}.
   *
   * @throws CborException if the bytes are not that
   */
  public static Object decode(byte[] bytes) {
    int[] pos = {0};
    Object v = read(bytes, pos, 0);
    if (pos[0] != bytes.length) {
      throw new CborException((bytes.length - pos[0]) + " bytes after the CBOR value");
    }
    return v;
  }

  private static Object read(byte[] b, int[] pos, int depth) {
    if (depth > MAX_DEPTH) {
      throw new CborException("CBOR nested deeper than " + MAX_DEPTH);
    }
    if (pos[0] >= b.length) {
      throw new CborException("truncated CBOR");
    }
    int ib = b[pos[0]++] & 0xff;
    int major = ib >>> 5;
    int info = ib & 0x1f;
    if (major == 7) {
      return simple(b, pos, info);
    }
    if (info == 31) {
      throw new CborException("indefinite-length CBOR items are not accepted");
    }
    long n = argument(b, pos, info);
    switch (major) {
      case 0:
        if (n < 0) {
          throw new CborException("CBOR integer beyond 64-bit range");
        }
        return n;
      case 1:
        if (n < 0) {
          throw new CborException("CBOR integer beyond 64-bit range");
        }
        return -1 - n;
      case 2:
        return take(b, pos, n);
      case 3:
        {
          byte[] s = take(b, pos, n);
          try {
            return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(s))
                .toString();
          } catch (CharacterCodingException e) {
            throw new CborException("a CBOR text string is not UTF-8");
          }
        }
      case 4:
        {
          checkCount(b, pos, n);
          List<Object> l = new ArrayList<>((int) n);
          for (long i = 0; i < n; i++) {
            l.add(read(b, pos, depth + 1));
          }
          return l;
        }
      case 5:
        {
          checkCount(b, pos, n * 2);
          Map<String, Object> m = new LinkedHashMap<>();
          for (long i = 0; i < n; i++) {
            Object k = read(b, pos, depth + 1);
            if (!(k instanceof String key)) {
              throw new CborException("a CBOR map key is not a string");
            }
            m.put(key, read(b, pos, depth + 1));
          }
          return m;
        }
      default: // 6: a tag; its content is the value
        return read(b, pos, depth + 1);
    }
  }

  private static Object simple(byte[] b, int[] pos, int info) {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
      case 23:
        return null;
      case 25:
        {
          int h = (int) argument(b, pos, 25);
          return halfToDouble(h);
        }
      case 26:
        return (double) Float.intBitsToFloat((int) argument(b, pos, 26));
      case 27:
        return Double.longBitsToDouble(argument(b, pos, 27));
      default:
        throw new CborException("unsupported CBOR simple value " + info);
    }
  }

  private static double halfToDouble(int h) {
    int exp = (h >> 10) & 0x1f;
    int mant = h & 0x3ff;
    double v;
    if (exp == 0) {
      v = mant * Math.pow(2, -24);
    } else if (exp != 31) {
      v = (mant + 1024) * Math.pow(2, exp - 25);
    } else {
      v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    }
    return (h & 0x8000) != 0 ? -v : v;
  }

  private static long argument(byte[] b, int[] pos, int info) {
    if (info < 24) {
      return info;
    }
    int len = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : -1;
    if (len < 0) {
      throw new CborException("reserved CBOR additional information " + info);
    }
    if (b.length - pos[0] < len) {
      throw new CborException("truncated CBOR");
    }
    long v = 0;
    for (int i = 0; i < len; i++) {
      v = (v << 8) | (b[pos[0]++] & 0xff);
    }
    return v;
  }

  private static void checkCount(byte[] b, int[] pos, long items) {
    if (items < 0 || items > b.length - pos[0]) {
      throw new CborException(
          "a CBOR container claims " + items + " items, " + (b.length - pos[0]) + " bytes left");
    }
  }

  private static byte[] take(byte[] b, int[] pos, long n) {
    if (n < 0 || n > b.length - pos[0]) {
      throw new CborException(
          "a CBOR string claims " + n + " bytes, " + (b.length - pos[0]) + " left");
    }
    byte[] out = java.util.Arrays.copyOfRange(b, pos[0], pos[0] + (int) n);
    pos[0] += (int) n;
    return out;
  }
}
