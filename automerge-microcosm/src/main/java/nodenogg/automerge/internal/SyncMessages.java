package nodenogg.automerge.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the structure of an Automerge sync message (what automerge-repo carries in {@code sync} and
 * {@code request} messages) to take out the changes it holds, so they can be checked before the
 * library applies them. Format (automerge 0.5 {@code sync::Message}): version byte {@code 0x42}
 * (v1) or {@code 0x43} (v2), heads and need (LEB128 count, 32-byte hashes), have (count; per entry
 * last-sync hashes and a length-prefixed bloom filter), changes (count; per change LEB128 length
 * and bytes), and in v2 optional capabilities. Stateless.
 */
public final class SyncMessages {
  private SyncMessages() {}

  /**
   * Largest number of entries any list of a sync message may claim (each takes at least one byte).
   */
  private static final long MAX_ITEMS = 10_000_000;

  /**
   * The changes in {@code message}.
   *
   * @throws IllegalArgumentException if the bytes are not a sync message
   */
  public static List<byte[]> changes(byte[] message) {
    if (message.length == 0 || (message[0] != 0x42 && message[0] != 0x43)) {
      throw new IllegalArgumentException(
          "not an Automerge sync message (first byte "
              + (message.length == 0 ? "missing" : String.format("0x%02x", message[0]))
              + ")");
    }
    int[] pos = {1};
    hashes(message, pos);
    hashes(message, pos);
    long have = count(message, pos);
    for (long i = 0; i < have; i++) {
      hashes(message, pos);
      bytes(message, pos);
    }
    long n = count(message, pos);
    List<byte[]> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      out.add(bytes(message, pos));
    }
    return out;
  }

  /**
   * The heads in {@code message} (what the sender holds), 32 bytes each.
   *
   * @throws IllegalArgumentException if the bytes are not a sync message
   */
  public static List<byte[]> heads(byte[] message) {
    changes(message); // validates the whole structure
    int[] pos = {1};
    long n = count(message, pos);
    List<byte[]> out = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      out.add(Arrays.copyOfRange(message, pos[0], pos[0] + Chunks.HASH_BYTES));
      pos[0] += Chunks.HASH_BYTES;
    }
    return out;
  }

  private static long count(byte[] b, int[] pos) {
    long n = Chunks.uleb(b, pos);
    if (n > MAX_ITEMS || n > b.length - pos[0]) {
      throw new IllegalArgumentException("a sync message list claims " + n + " entries");
    }
    return n;
  }

  private static void hashes(byte[] b, int[] pos) {
    long n = count(b, pos);
    if (n * Chunks.HASH_BYTES > b.length - pos[0]) {
      throw new IllegalArgumentException("truncated hashes in a sync message");
    }
    pos[0] += (int) n * Chunks.HASH_BYTES;
  }

  private static byte[] bytes(byte[] b, int[] pos) {
    long n = Chunks.uleb(b, pos);
    if (n > b.length - pos[0]) {
      throw new IllegalArgumentException("truncated bytes in a sync message");
    }
    byte[] out = Arrays.copyOfRange(b, pos[0], pos[0] + (int) n);
    pos[0] += (int) n;
    return out;
  }
}
