package nodenogg.earthstar;

import java.util.Arrays;
import nodenogg.earthstar.internal.Ed25519;
import nodenogg.earthstar.internal.Sha256;
import nodenogg.earthstar.internal.Utf8;

/** Hashing, signing and verification as Earthstar uses them. Stateless and thread-safe. */
public final class Keys {
  private Keys() {}

  /** {@code "b"} + base32 of the SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256Base32(String text) {
    return Base32.encode(Sha256.of(Utf8.encode(text)));
  }

  /** {@code "b"} + base32 of the SHA-256 of {@code bytes}. */
  public static String sha256Base32(byte[] bytes) {
    return Base32.encode(Sha256.of(bytes));
  }

  /** Signs the UTF-8 bytes of {@code message} with a base32 secret. */
  public static String sign(String secret, String message) {
    byte[] seed = Base32.decode(secret);
    if (seed.length != 32) {
      throw new IllegalArgumentException("a secret is 32 bytes, got " + seed.length);
    }
    return Base32.encode(Ed25519.sign(seed, Utf8.encode(message)));
  }

  /**
   * Whether {@code signature} is a valid signature of {@code message} by the key in {@code address}
   * (author or share). False for any malformed input, never an exception.
   */
  public static boolean verify(String address, String signature, String message) {
    try {
      return Ed25519.verify(
          Addresses.publicKey(address), Base32.decode(signature), Utf8.encode(message));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static String checkSecret(String address, String secret) {
    byte[] seed;
    try {
      seed = Base32.decode(secret);
    } catch (IllegalArgumentException e) {
      return "secret: " + e.getMessage();
    }
    if (seed.length != 32) {
      return "secret must be 32 bytes, got " + seed.length;
    }
    if (!Arrays.equals(Ed25519.publicKeyOf(seed), Addresses.publicKey(address))) {
      return "the secret does not belong to " + address;
    }
    return null;
  }
}
