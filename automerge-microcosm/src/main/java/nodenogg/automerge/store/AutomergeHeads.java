package nodenogg.automerge.store;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import nodenogg.automerge.internal.Chunks;
import nodenogg.persistence.UpdateFormat;

/**
 * The {@link UpdateFormat.Coverage} of Automerge documents: the heads of a stored log as its
 * changes declare them — the change hashes no stored change depends on; a saved document
 * contributes its heads. Added up append by append without the library: adding an update's coverage
 * removes the hashes its changes depend on and adds its own heads.
 *
 * <p>Exact for logs written in causal order (what a microcosm, the sync server and the CLI write).
 * When a change is stored before one of its dependencies, or a saved document after changes it
 * already contains, an ancestor may stay listed beside its descendants: the version then
 * over-states the heads, never omits one. Version and persisted form: the sorted heads, 32 bytes
 * each. Not thread-safe.
 */
final class AutomergeHeads implements UpdateFormat.Coverage {
  private final TreeSet<ByteBuffer> heads = new TreeSet<>();

  /** For the coverage of one update: what its changes depend on outside the update itself. */
  private final TreeSet<ByteBuffer> replaces = new TreeSet<>();

  /** The coverage of one update made of {@code chunks}. */
  static AutomergeHeads ofUpdate(List<Chunks.Chunk> chunks) {
    AutomergeHeads h = new AutomergeHeads();
    TreeSet<ByteBuffer> hashes = new TreeSet<>();
    TreeSet<ByteBuffer> deps = new TreeSet<>();
    for (Chunks.Chunk c : chunks) {
      if (c.kind() == Chunks.Kind.CHANGE) {
        hashes.add(ByteBuffer.wrap(c.hash()));
        for (byte[] d : c.deps()) {
          deps.add(ByteBuffer.wrap(d));
        }
      } else {
        for (byte[] d : c.deps()) {
          h.heads.add(ByteBuffer.wrap(d));
        }
      }
    }
    for (ByteBuffer x : hashes) {
      if (!deps.contains(x)) {
        h.heads.add(x);
      }
    }
    for (ByteBuffer d : deps) {
      if (!hashes.contains(d)) {
        h.replaces.add(d);
      }
    }
    h.heads.removeAll(deps);
    return h;
  }

  /** The heads, sorted. */
  List<byte[]> heads() {
    List<byte[]> out = new ArrayList<>(heads.size());
    for (ByteBuffer b : heads) {
      out.add(b.array());
    }
    return out;
  }

  @Override
  public void add(UpdateFormat.Coverage other) {
    if (!(other instanceof AutomergeHeads o)) {
      throw new IllegalArgumentException("not an Automerge coverage: " + other);
    }
    heads.removeAll(o.replaces);
    heads.addAll(o.heads);
  }

  @Override
  public byte[] encode() {
    return version();
  }

  @Override
  public byte[] version() {
    byte[] out = new byte[heads.size() * Chunks.HASH_BYTES];
    int i = 0;
    for (ByteBuffer b : heads) {
      System.arraycopy(b.array(), 0, out, i, Chunks.HASH_BYTES);
      i += Chunks.HASH_BYTES;
    }
    return out;
  }

  static AutomergeHeads decode(byte[] encoded) {
    if (encoded.length % Chunks.HASH_BYTES != 0) {
      throw new IllegalArgumentException(
          "an Automerge coverage is a multiple of 32 bytes, got " + encoded.length);
    }
    AutomergeHeads h = new AutomergeHeads();
    for (int i = 0; i < encoded.length; i += Chunks.HASH_BYTES) {
      h.heads.add(ByteBuffer.wrap(Arrays.copyOfRange(encoded, i, i + Chunks.HASH_BYTES)));
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("AutomergeHeads[");
    for (ByteBuffer b : heads) {
      sb.append(Chunks.hex(b.array()), 0, 8).append(' ');
    }
    return sb.append(']').toString();
  }
}
