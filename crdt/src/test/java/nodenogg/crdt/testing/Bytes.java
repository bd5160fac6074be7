package nodenogg.crdt.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A byte builder for crafting (bad) updates in tests: lib0 varUint, varString, raw bytes, hex. Not
 * thread-safe.
 */
public final class Bytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public static byte[] hex(String h) {
    String s = h.replaceAll("\\s", "");
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++)
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    return b;
  }

  public static String toHex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) sb.append(String.format("%02x", x & 0xff));
    return sb.toString();
  }

  public Bytes u(long v) {
    while (Long.compareUnsigned(v, 0x7f) > 0) {
      out.write((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
    return this;
  }

  public Bytes raw(int... bs) {
    for (int b : bs) out.write(b);
    return this;
  }

  public Bytes raw(byte[] bs) {
    out.write(bs, 0, bs.length);
    return this;
  }

  public Bytes str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    u(b.length);
    return raw(b);
  }

  public byte[] bytes() {
    return out.toByteArray();
  }
}
