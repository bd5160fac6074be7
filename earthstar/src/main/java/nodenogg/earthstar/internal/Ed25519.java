package nodenogg.earthstar.internal;

import java.security.SecureRandom;

/**
 * Ed25519 on raw 32-byte keys (RFC 8032 encodings), on Bouncy Castle's pure-Java implementation
 * (the JDK's own takes about 2 ms per signature check, which would dominate every sync).
 * Thread-safe.
 */
public final class Ed25519 {
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    org.bouncycastle.math.ec.rfc8032.Ed25519.precompute();
  }

  private Ed25519() {}

  /** A new random key pair: {@code [publicKey, secretSeed]}, 32 bytes each. */
  public static byte[][] generate() {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    return new byte[][] {publicKeyOf(seed), seed};
  }

  /** The public key of a 32-byte secret seed. */
  public static byte[] publicKeyOf(byte[] seed) {
    byte[] pk = new byte[32];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, pk, 0);
    return pk;
  }

  public static byte[] sign(byte[] seed, byte[] message) {
    byte[] sig = new byte[64];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(seed, 0, message, 0, message.length, sig, 0);
    return sig;
  }

  /** False for a bad signature, a malformed key or signature, never an exception. */
  public static boolean verify(byte[] publicKey, byte[] signature, byte[] message) {
    if (publicKey.length != 32 || signature.length != 64) {
      return false;
    }
    try {
      return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
          signature, 0, publicKey, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
