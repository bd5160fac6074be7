package nodenogg.sync.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the lib0 primitives the sync protocols use into a growing buffer.
 * Not thread-safe: one writer per message.
 */
public final class WireWriter {
  private byte[] buf;
  private int len;

  public WireWriter() {
    this(64);
  }

  public WireWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  public WireWriter writeUint8(int b) {
    ensure(1);
    buf[len++] = (byte) b;
    return this;
  }

  /** lib0 varUint; {@code n} must be in 0..2^53-1. */
  public WireWriter writeVarUint(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("varUint must not be negative: " + n);
    }
    while (n > 0x7f) {
      writeUint8((int) (0x80 | (n & 0x7f)));
      n >>>= 7;
    }
    return writeUint8((int) n);
  }

  public WireWriter writeBytes(byte[] b) {
    return writeBytes(b, 0, b.length);
  }

  public WireWriter writeBytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  public WireWriter writeVarUint8Array(byte[] b) {
    writeVarUint(b.length);
    return writeBytes(b);
  }

  /** A varString: UTF-8 byte length then bytes; lone surrogates become U+FFFD as in TextEncoder. */
  public WireWriter writeVarString(String s) {
    byte[] utf8 = utf8(s);
    writeVarUint(utf8.length);
    return writeBytes(utf8);
  }

  /** UTF-8 bytes of {@code s} with lone surrogates replaced by U+FFFD (what JS TextEncoder does). */
  public static byte[] utf8(String s) {
    boolean lone = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        lone = true;
        break;
      }
    }
    if (!lone) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append('\uFFFD');
      } else {
        sb.append(c);
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  public int length() {
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }
}
