package nodenogg.crdt.testing;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Undefined;

/**
 * A minimal lib0 reader written for the tests (independent of the engine's decoder), used to read
 * fixture files such as the yrs conformance dataset. Not thread-safe.
 */
public final class TestLib0Reader {
  private final byte[] b;
  private int pos;

  public TestLib0Reader(byte[] b) {
    this.b = b;
  }

  public boolean hasMore() {
    return pos < b.length;
  }

  public int pos() {
    return pos;
  }

  public long varUint() {
    long v = 0;
    int shift = 0;
    while (true) {
      int x = b[pos++] & 0xff;
      v |= (long) (x & 0x7f) << shift;
      if (x < 0x80) return v;
      shift += 7;
      if (shift > 63) throw new IllegalStateException("varUint too long");
    }
  }

  public byte[] varBytes() {
    int n = (int) varUint();
    byte[] r = Arrays.copyOfRange(b, pos, pos + n);
    pos += n;
    return r;
  }

  public String varString() {
    return new String(varBytes(), StandardCharsets.UTF_8);
  }

  private long varInt() {
    int x = b[pos++] & 0xff;
    long v = x & 0x3f;
    boolean neg = (x & 0x40) != 0;
    int shift = 6;
    while ((x & 0x80) != 0) {
      x = b[pos++] & 0xff;
      v |= (long) (x & 0x7f) << shift;
      shift += 7;
    }
    return neg ? -v : v;
  }

  /** lib0 readAny: numbers as Integer (int tag) or Double, bigint as BigInteger. */
  public Object any() {
    int tag = b[pos++] & 0xff;
    switch (tag) {
      case 127:
        return Undefined.INSTANCE;
      case 126:
        return null;
      case 125:
        return (int) varInt();
      case 124:
        {
          float f = ByteBuffer.wrap(b, pos, 4).getFloat();
          pos += 4;
          return (double) f;
        }
      case 123:
        {
          double d = ByteBuffer.wrap(b, pos, 8).getDouble();
          pos += 8;
          return d;
        }
      case 122:
        {
          long l = ByteBuffer.wrap(b, pos, 8).getLong();
          pos += 8;
          return BigInteger.valueOf(l);
        }
      case 121:
        return Boolean.FALSE;
      case 120:
        return Boolean.TRUE;
      case 119:
        return varString();
      case 118:
        {
          int n = (int) varUint();
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            String k = varString();
            m.put(k, any());
          }
          return m;
        }
      case 117:
        {
          int n = (int) varUint();
          List<Object> l = new ArrayList<>();
          for (int i = 0; i < n; i++) l.add(any());
          return l;
        }
      case 116:
        return varBytes();
      default:
        throw new IllegalStateException("unknown Any tag " + tag + " at " + (pos - 1));
    }
  }
}
