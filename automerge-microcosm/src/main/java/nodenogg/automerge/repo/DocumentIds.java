package nodenogg.automerge.repo;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * automerge-repo document ids and URLs: a document id is 16 random bytes in base58check (Bitcoin
 * alphabet, 4-byte double-SHA-256 checksum appended before encoding); a URL is {@code
 * automerge:<id>}. Change hashes in {@code remote-heads-changed} messages use the same base58check
 * encoding of their 32 bytes. Thread-safe.
 */
public final class DocumentIds {
  private DocumentIds() {}

  public static final String URL_PREFIX = "automerge:";
  private static final String ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger FIFTY_EIGHT = BigInteger.valueOf(58);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A new random document id: a version 4 UUID's 16 bytes (automerge-repo 1.x accepts only UUIDs).
   */
  public static String random() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return encode(asUuid(b, 4));
  }

  /**
   * {@code b} (16 bytes) with the UUID version nibble set to {@code version} and the RFC 9562
   * variant bits, as automerge-repo 1.x requires of document ids (2.x accepts any 16 bytes).
   * Returns {@code b}.
   */
  public static byte[] asUuid(byte[] b, int version) {
    b[6] = (byte) ((b[6] & 0x0f) | (version << 4));
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    return b;
  }

  /** base58check of {@code payload}. */
  public static String encode(byte[] payload) {
    byte[] withSum = Arrays.copyOf(payload, payload.length + 4);
    System.arraycopy(checksum(payload), 0, withSum, payload.length, 4);
    return base58(withSum);
  }

  /**
   * The payload of a base58check string, or empty if it is not one (bad character, bad checksum).
   */
  public static Optional<byte[]> decode(String s) {
    if (s == null || s.isEmpty() || s.length() > 200) {
      return Optional.empty();
    }
    BigInteger n = BigInteger.ZERO;
    int zeros = 0;
    boolean leading = true;
    for (int i = 0; i < s.length(); i++) {
      int d = ALPHABET.indexOf(s.charAt(i));
      if (d < 0) {
        return Optional.empty();
      }
      if (leading && d == 0) {
        zeros++;
      } else {
        leading = false;
      }
      n = n.multiply(FIFTY_EIGHT).add(BigInteger.valueOf(d));
    }
    byte[] mag = n.signum() == 0 ? new byte[0] : n.toByteArray();
    if (mag.length > 0 && mag[0] == 0) {
      mag = Arrays.copyOfRange(mag, 1, mag.length);
    }
    byte[] all = new byte[zeros + mag.length];
    System.arraycopy(mag, 0, all, zeros, mag.length);
    if (all.length < 4) {
      return Optional.empty();
    }
    byte[] payload = Arrays.copyOf(all, all.length - 4);
    byte[] sum = Arrays.copyOfRange(all, all.length - 4, all.length);
    return MessageDigest.isEqual(sum, checksum(payload)) ? Optional.of(payload) : Optional.empty();
  }

  /** Whether {@code id} is a document id (base58check of 16 bytes). */
  public static boolean isValid(String id) {
    return decode(id).map(b -> b.length == 16).orElse(false);
  }

  /**
   * The document id in an {@code automerge:} URL (heads after {@code #} ignored) or a bare id.
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static String parse(String urlOrId) {
    String s = urlOrId == null ? "" : urlOrId;
    if (s.startsWith(URL_PREFIX)) {
      s = s.substring(URL_PREFIX.length());
      int hash = s.indexOf('#');
      if (hash >= 0) {
        s = s.substring(0, hash);
      }
    }
    if (!isValid(s)) {
      throw new IllegalArgumentException(
          "not an automerge-repo document id or automerge: URL: '" + urlOrId + "'");
    }
    return s;
  }

  private static String base58(byte[] bytes) {
    BigInteger n = new BigInteger(1, bytes);
    StringBuilder sb = new StringBuilder();
    while (n.signum() > 0) {
      BigInteger[] qr = n.divideAndRemainder(FIFTY_EIGHT);
      sb.append(ALPHABET.charAt(qr[1].intValue()));
      n = qr[0];
    }
    for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
      sb.append('1');
    }
    return sb.reverse().toString();
  }

  private static byte[] checksum(byte[] payload) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] once = sha.digest(payload);
      return Arrays.copyOf(sha.digest(once), 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
