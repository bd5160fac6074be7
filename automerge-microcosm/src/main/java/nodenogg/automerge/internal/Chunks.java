package nodenogg.automerge.internal;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the envelope of Automerge's binary format (the "chunks" a saved document or a set of
 * encoded changes is made of), enough to know what a byte string holds without loading it: per
 * change chunk its hash and dependencies, per document chunk its heads. Decoding the contents
 * (columns, operations) is the library's job; callers check bytes with the library first and use
 * this only to describe what was accepted.
 *
 * <p>Chunk: magic {@code 85 6f 4a 83}, 4-byte checksum, type byte (0 document, 1 change, 2
 * compressed change), LEB128 length, body. A change's hash is SHA-256 over type, length and body of
 * its uncompressed form; the checksum is the hash's first 4 bytes. A change body starts with its
 * dependencies (LEB128 count, 32-byte hashes); a document body with its actors (LEB128 count, each
 * LEB128 length + bytes) and then its heads. Stateless, thread-safe.
 */
public final class Chunks {
  private Chunks() {}

  public static final int HASH_BYTES = 32;
  private static final byte[] MAGIC = {(byte) 0x85, 0x6f, 0x4a, (byte) 0x83};

  /**
   * Largest inflated change accepted when hashing a compressed change (the library's own limit is
   * memory).
   */
  private static final int MAX_INFLATED = 256 * 1024 * 1024;

  /** What one chunk is. */
  public enum Kind {
    DOCUMENT,
    CHANGE
  }

  /**
   * One chunk: for a change its hash and dependencies; for a document its heads (as {@code deps},
   * no hash).
   *
   * @param bytes the chunk as it appears in the input
   * @param body for a change the uncompressed body; for a document the body
   * @param checksumOk whether the header's checksum is the first 4 bytes of the chunk's hash
   *     (always true for a document, whose checksum the library checks when it loads it)
   */
  public record Chunk(
      Kind kind, byte[] hash, List<byte[]> deps, byte[] bytes, byte[] body, boolean checksumOk) {}

  /**
   * The chunks of {@code bytes}, in order.
   *
   * @throws IllegalArgumentException if the envelope is malformed (bad magic, truncated, unknown
   *     type)
   */
  public static List<Chunk> read(byte[] bytes) {
    List<Chunk> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < bytes.length) {
      if (bytes.length - pos[0] < 9) {
        throw new IllegalArgumentException("truncated chunk header at byte " + pos[0]);
      }
      for (int i = 0; i < 4; i++) {
        if (bytes[pos[0] + i] != MAGIC[i]) {
          throw new IllegalArgumentException(
              "not an Automerge chunk at byte " + pos[0] + " (bad magic bytes)");
        }
      }
      pos[0] += 8;
      int type = bytes[pos[0]++] & 0xff;
      long len = uleb(bytes, pos);
      if (len > bytes.length - pos[0]) {
        throw new IllegalArgumentException(
            "chunk at byte "
                + pos[0]
                + " claims "
                + len
                + " bytes, "
                + (bytes.length - pos[0])
                + " left");
      }
      int chunkStart = pos[0] - 8 - 1 - lebBytes(len).length;
      int start = pos[0];
      int end = start + (int) len;
      pos[0] = end;
      byte[] raw = Arrays.copyOfRange(bytes, chunkStart, end);
      switch (type) {
        case 0 ->
            out.add(
                new Chunk(
                    Kind.DOCUMENT,
                    null,
                    documentHeads(bytes, start, end),
                    raw,
                    Arrays.copyOfRange(bytes, start, end),
                    true));
        case 1, 2 -> {
          byte[] body =
              type == 1 ? Arrays.copyOfRange(bytes, start, end) : inflate(bytes, start, end);
          byte[] hash = changeHash(body, 0, body.length);
          boolean ok = true;
          for (int i = 0; i < 4; i++) {
            ok &= raw[4 + i] == hash[i];
          }
          out.add(new Chunk(Kind.CHANGE, hash, deps(body, 0, body.length), raw, body, ok));
        }
        default -> throw new IllegalArgumentException("unknown chunk type " + type);
      }
    }
    return out;
  }

  private static byte[] changeHash(byte[] body, int start, int end) {
    MessageDigest sha = sha256();
    sha.update((byte) 1);
    sha.update(lebBytes(end - start));
    sha.update(body, start, end - start);
    return sha.digest();
  }

  private static List<byte[]> deps(byte[] b, int start, int end) {
    int[] pos = {start};
    long n = uleb(b, pos);
    if (n * HASH_BYTES > end - pos[0]) {
      throw new IllegalArgumentException("change claims " + n + " dependencies, too few bytes");
    }
    List<byte[]> deps = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      deps.add(Arrays.copyOfRange(b, pos[0], pos[0] + HASH_BYTES));
      pos[0] += HASH_BYTES;
    }
    return deps;
  }

  private static List<byte[]> documentHeads(byte[] b, int start, int end) {
    int[] pos = {start};
    long actors = uleb(b, pos);
    for (long i = 0; i < actors; i++) {
      long len = uleb(b, pos);
      if (len > end - pos[0]) {
        throw new IllegalArgumentException("document actor runs past its chunk");
      }
      pos[0] += (int) len;
    }
    long n = uleb(b, pos);
    if (n * HASH_BYTES > end - pos[0]) {
      throw new IllegalArgumentException("document claims " + n + " heads, too few bytes");
    }
    List<byte[]> heads = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      heads.add(Arrays.copyOfRange(b, pos[0], pos[0] + HASH_BYTES));
      pos[0] += HASH_BYTES;
    }
    return heads;
  }

  static byte[] inflate(byte[] b, int start, int end) {
    Inflater inf = new Inflater(true);
    try {
      inf.setInput(b, start, end - start);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, (end - start) * 4));
      byte[] buf = new byte[8192];
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          throw new IllegalArgumentException("truncated compressed change");
        }
        out.write(buf, 0, n);
        if (out.size() > MAX_INFLATED) {
          throw new IllegalArgumentException(
              "compressed change inflates past " + MAX_INFLATED + " bytes");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalArgumentException(
          "compressed change does not inflate: " + e.getMessage(), e);
    } finally {
      inf.end();
    }
  }

  /**
   * The change chunk with the same body but no dependencies (uncompressed, checksum recomputed), so
   * that the library can decode it on its own: {@code Document.load} refuses a change whose
   * dependencies it does not hold before it decodes the operations.
   */
  public static byte[] withoutDependencies(Chunk change) {
    byte[] body = change.body();
    int[] pos = {0};
    long n = uleb(body, pos);
    int rest = pos[0] + (int) n * HASH_BYTES;
    byte[] newBody = new byte[1 + body.length - rest];
    System.arraycopy(body, rest, newBody, 1, body.length - rest);
    byte[] len = lebBytes(newBody.length);
    byte[] out = new byte[9 + len.length + newBody.length];
    System.arraycopy(MAGIC, 0, out, 0, 4);
    out[8] = 1;
    System.arraycopy(len, 0, out, 9, len.length);
    System.arraycopy(newBody, 0, out, 9 + len.length, newBody.length);
    MessageDigest sha = sha256();
    sha.update(out, 8, out.length - 8);
    System.arraycopy(sha.digest(), 0, out, 4, 4);
    return out;
  }

  /** Reads an unsigned LEB128 of at most 64 bits at {@code pos[0]}, advancing it. */
  static long uleb(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= b.length) {
        throw new IllegalArgumentException("truncated LEB128 number");
      }
      int x = b[pos[0]++] & 0xff;
      v |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        if (v < 0) {
          throw new IllegalArgumentException("LEB128 number too large");
        }
        return v;
      }
    }
    throw new IllegalArgumentException("LEB128 number too long");
  }

  static byte[] lebBytes(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(10);
    do {
      int x = (int) (v & 0x7f);
      v >>>= 7;
      out.write(v != 0 ? x | 0x80 : x);
    } while (v != 0);
    return out.toByteArray();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }

  /** Lower-case hex of a hash (Automerge's and automerge-repo's string form of a change hash). */
  public static String hex(byte[] hash) {
    StringBuilder sb = new StringBuilder(hash.length * 2);
    for (byte x : hash) {
      sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return sb.toString();
  }

  /** Parses lower- or upper-case hex. @throws IllegalArgumentException for anything else */
  public static byte[] unhex(String s) {
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException("odd-length hex string");
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not a hex string");
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }
}
