package nodenogg.earthstar;

import java.util.Arrays;

/**
 * Earthstar's base32: RFC 4648 lowercase alphabet ({@code a-z2-7}), no padding, with a leading
 * {@code b} (the multibase prefix). Decoding is strict: the prefix is required, and padding, other
 * characters (uppercase included), a length that cannot come from whole bytes and non-zero trailing
 * bits are all rejected, so every byte string has exactly one encoding. Stateless and thread-safe.
 */
public final class Base32 {
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final int[] CODES = new int[128];

  static {
    Arrays.fill(CODES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      CODES[ALPHABET[i]] = i;
    }
  }

  private Base32() {}

  /** {@code "b"} followed by the unpadded lowercase base32 of {@code bytes}. */
  public static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder(1 + (bytes.length * 8 + 4) / 5);
    out.append('b');
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        out.append(ALPHABET[(buffer >>> bits) & 31]);
      }
    }
    if (bits > 0) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }

  /**
   * Decodes a {@code b}-prefixed base32 string.
   *
   * @throws IllegalArgumentException naming what is wrong, when the string is not a canonical
   *     encoding
   */
  public static byte[] decode(String text) {
    if (text == null || !text.startsWith("b")) {
      throw new IllegalArgumentException("base32 must start with 'b'");
    }
    int n = text.length() - 1;
    byte[] out = new byte[n * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int written = 0;
    for (int i = 1; i < text.length(); i++) {
      char c = text.charAt(i);
      int v = c < 128 ? CODES[c] : -1;
      if (v < 0) {
        throw new IllegalArgumentException("invalid base32 character '" + c + "' at " + i);
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[written++] = (byte) (buffer >>> bits);
      }
    }
    if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException(
          "base32 has a length or trailing bits no byte string encodes to");
    }
    return out;
  }

  /** Whether {@code text} decodes (see {@link #decode}). */
  public static boolean isValid(String text) {
    try {
      decode(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
