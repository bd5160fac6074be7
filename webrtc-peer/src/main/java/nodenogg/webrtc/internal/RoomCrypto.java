package nodenogg.webrtc.internal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * The room password of y-webrtc 10.3.0 ({@code src/crypto.js}): an AES-GCM-256 key derived with
 * PBKDF2-HMAC-SHA-256, 100,000 iterations, the UTF-8 password as key material and the UTF-8 room
 * name as salt (both encoded as {@code TextEncoder} does: lone surrogates become U+FFFD). A sealed
 * message is {@code varString "AES-GCM", varUint8Array iv (12 random bytes), varUint8Array
 * ciphertext+tag} (lib0 encoding); JSON values are sealed as their lib0 {@code writeAny} encoding.
 *
 * <p>Immutable and thread-safe (a new {@link Cipher} per call).
 */
public final class RoomCrypto {
  /** PBKDF2 iterations y-webrtc uses. */
  public static final int ITERATIONS = 100_000;

  private static final String ALGORITHM = "AES-GCM";
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private RoomCrypto(byte[] rawKey) {
    this.key = new SecretKeySpec(rawKey, "AES");
  }

  /** Thrown when a sealed message cannot be opened: another password, or not a sealed message. */
  public static final class SealException extends Exception {
    private static final long serialVersionUID = 1L;

    SealException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Derives the key of {@code password} for {@code room} (takes ~0.1 s: 100,000 HMAC rounds). */
  public static RoomCrypto derive(String password, String room) {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(room, "room");
    return new RoomCrypto(
        pbkdf2Sha256(Lib0Encoder.utf8(password), Lib0Encoder.utf8(room), ITERATIONS, 32));
  }

  /** The raw 32-byte key (for tests comparing with WebCrypto's exported key). */
  public byte[] rawKey() {
    return key.getEncoded();
  }

  /** PBKDF2 (RFC 8018) with HMAC-SHA-256. */
  static byte[] pbkdf2Sha256(byte[] password, byte[] salt, int iterations, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      // HMAC keys may be empty in PBKDF2; SecretKeySpec refuses empty arrays, so hash-pad an empty
      // one
      // exactly as HMAC would (a zero-length key is the same as a block of zeros).
      mac.init(new SecretKeySpec(password.length == 0 ? new byte[64] : password, "HmacSHA256"));
      int hLen = mac.getMacLength();
      byte[] out = new byte[length];
      int blocks = (length + hLen - 1) / hLen;
      for (int i = 1; i <= blocks; i++) {
        mac.update(salt);
        mac.update(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
        byte[] u = mac.doFinal();
        byte[] t = u.clone();
        for (int n = 1; n < iterations; n++) {
          u = mac.doFinal(u);
          for (int k = 0; k < t.length; k++) {
            t[k] ^= u[k];
          }
        }
        System.arraycopy(t, 0, out, (i - 1) * hLen, Math.min(hLen, length - (i - 1) * hLen));
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** Seals {@code data} with a fresh random IV. */
  public byte[] seal(byte[] data) {
    byte[] iv = new byte[IV_BYTES];
    RANDOM.nextBytes(iv);
    byte[] cipherText;
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipherText = c.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
    Lib0Encoder e = new Lib0Encoder(cipherText.length + 32);
    e.writeVarString(ALGORITHM);
    e.writeVarUint8Array(iv);
    e.writeVarUint8Array(cipherText);
    return e.toByteArray();
  }

  /** Opens a sealed message. */
  public byte[] open(byte[] sealed) throws SealException {
    byte[] iv;
    byte[] cipherText;
    try {
      Lib0Decoder d = new Lib0Decoder(sealed);
      String algorithm = d.readVarString();
      if (!ALGORITHM.equals(algorithm)) {
        throw new SealException("unknown encryption algorithm '" + algorithm + "'", null);
      }
      iv = d.readVarUint8Array();
      cipherText = d.readVarUint8Array();
    } catch (RuntimeException e) {
      throw new SealException("not a sealed y-webrtc message: " + e.getMessage(), e);
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      return c.doFinal(cipherText);
    } catch (AEADBadTagException e) {
      throw new SealException("authentication failed (a different room password)", e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new SealException("cannot decrypt: " + e.getMessage(), e);
    }
  }

  /**
   * Seals a JSON value (maps, lists, strings, numbers, booleans, null) as lib0 {@code writeAny}.
   */
  public byte[] sealJson(Object value) {
    Lib0Encoder e = new Lib0Encoder();
    e.writeAny(value);
    return seal(e.toByteArray());
  }

  /** Opens a value sealed by {@link #sealJson} (or y-webrtc's {@code encryptJson}). */
  public Object openJson(byte[] sealed) throws SealException {
    byte[] plain = open(sealed);
    try {
      return new Lib0Decoder(plain).readAny();
    } catch (RuntimeException e) {
      throw new SealException("decrypted message is not a lib0 value: " + e.getMessage(), e);
    }
  }
}
