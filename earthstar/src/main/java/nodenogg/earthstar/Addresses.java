package nodenogg.earthstar;

/**
 * Author ({@code @name.bkey}) and share ({@code +name.bkey}) addresses of Earthstar es.5: an author
 * name is 4 characters {@code [a-z0-9]}, a share name 1–15; the key is 53 base32 characters
 * starting with {@code b} (a 32-byte Ed25519 public key); neither part may start with a digit.
 * Stateless.
 */
public final class Addresses {
  static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  static final String DIGITS = "0123456789";
  static final String B32 = LOWER + "234567";
  static final String NAME_CHARS = LOWER + DIGITS;

  private Addresses() {}

  /** Null when {@code address} is a valid author address, else what is wrong. */
  public static String checkAuthor(String address) {
    return check(address, '@', 4, 4);
  }

  /** Null when {@code address} is a valid share address, else what is wrong. */
  public static String checkShare(String address) {
    return check(address, '+', 1, 15);
  }

  public static boolean isAuthor(String address) {
    return checkAuthor(address) == null;
  }

  public static boolean isShare(String address) {
    return checkShare(address) == null;
  }

  /** The 32-byte public key inside a valid author or share address. */
  public static byte[] publicKey(String address) {
    String problem =
        address != null && address.startsWith("+") ? checkShare(address) : checkAuthor(address);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return Base32.decode(address.substring(address.indexOf('.') + 1));
  }

  /** The name part of a valid address ({@code suzy} of {@code @suzy.b...}). */
  public static String name(String address) {
    return address.substring(1, address.indexOf('.'));
  }

  private static String check(String address, char sigil, int minName, int maxName) {
    String kind = sigil == '@' ? "author address" : "share address";
    if (address == null) {
      return kind + " is missing";
    }
    if (address.length() < 4) {
      return kind + " is too short";
    }
    if (address.charAt(0) != sigil) {
      return kind + " must start with '" + sigil + "'";
    }
    int dot = address.indexOf('.');
    if (dot < 0 || address.indexOf('.', dot + 1) >= 0) {
      return kind + " must have exactly one '.' between name and key";
    }
    String name = address.substring(1, dot);
    String key = address.substring(dot + 1);
    if (name.length() < minName || name.length() > maxName) {
      return kind
          + " name must be "
          + (minName == maxName ? minName : minName + " to " + maxName)
          + " characters, got "
          + name.length();
    }
    if (key.length() != 53) {
      return kind + " key must be 53 characters, got " + key.length();
    }
    if (!onlyChars(name, NAME_CHARS)) {
      return kind + " name may only use a-z and 0-9";
    }
    if (!onlyChars(key, B32)) {
      return kind + " key may only use base32 characters a-z and 2-7";
    }
    if (DIGITS.indexOf(name.charAt(0)) >= 0) {
      return kind + " name must not start with a digit";
    }
    if (key.charAt(0) != 'b') {
      return kind + " key must start with 'b'";
    }
    if (!Base32.isValid(key)) {
      return kind + " key is not valid base32";
    }
    return null;
  }

  static boolean onlyChars(String s, String allowed) {
    for (int i = 0; i < s.length(); i++) {
      if (allowed.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
