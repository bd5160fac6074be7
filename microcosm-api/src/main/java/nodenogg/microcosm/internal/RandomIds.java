package nodenogg.microcosm.internal;

import java.security.SecureRandom;

/**
 * Random id bodies in the shape the web app's cuid2 generator produces ({@code
 * [a-z][0-9a-z]{n-1}}): a letter first, then lowercase base-36 characters. Thread-safe.
 */
public final class RandomIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

  private RandomIds() {}

  /** A random id body of {@code length} characters, first a letter. */
  public static String body(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("id length must be at least 1, was " + length);
    }
    StringBuilder sb = new StringBuilder(length);
    sb.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
    for (int i = 1; i < length; i++) {
      sb.append(BASE36.charAt(RANDOM.nextInt(BASE36.length())));
    }
    return sb.toString();
  }

  /** True when {@code s} is non-empty and only ASCII letters and digits. */
  public static boolean isAlphanumeric(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
