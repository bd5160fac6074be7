package nodenogg.earthstar.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;

/**
 * Ed25519 on raw 32-byte keys (RFC 8032 encodings), on the JDK's own implementation. Thread-safe.
 */
public final class Ed25519 {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ed25519() {}

  /** A new random key pair: {@code [publicKey, secretSeed]}, 32 bytes each. */
  public static byte[][] generate() {
    byte[] seed = new byte[32];
    RANDOM.nextBytes(seed);
    return new byte[][] {publicKeyOf(seed), seed};
  }

  /** The public key of a 32-byte secret seed. */
  public static byte[] publicKeyOf(byte[] seed) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
      g.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
      KeyPair kp = g.generateKeyPair();
      byte[] raw = ((EdECPrivateKey) kp.getPrivate()).getBytes().orElseThrow();
      if (!java.util.Arrays.equals(raw, seed)) {
        throw new IllegalStateException("the JDK's Ed25519 key generator did not take the given seed");
      }
      return encodePoint(((EdECPublicKey) kp.getPublic()).getPoint());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JDK", e);
    }
  }

  public static byte[] sign(byte[] seed, byte[] message) {
    try {
      PrivateKey key = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 signing failed", e);
    }
  }

  /** False for a bad signature, a malformed key or signature, never an exception. */
  public static boolean verify(byte[] publicKey, byte[] signature, byte[] message) {
    if (publicKey.length != 32 || signature.length != 64) {
      return false;
    }
    try {
      PublicKey key = KeyFactory.getInstance("Ed25519")
          .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, decodePoint(publicKey)));
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static EdECPoint decodePoint(byte[] raw) {
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = raw[31 - i];
    }
    boolean xOdd = (be[0] & 0x80) != 0;
    be[0] &= 0x7f;
    return new EdECPoint(xOdd, new BigInteger(1, be));
  }

  private static byte[] encodePoint(EdECPoint p) {
    byte[] be = p.getY().toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    if (p.isXOdd()) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  /** Hands the key generator exactly the given seed. */
  private static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;

    FixedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
    }
  }
}
