package nodenogg.automerge.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import nodenogg.automerge.AutomergeNative;
import nodenogg.automerge.internal.ChunkValidator;
import nodenogg.automerge.internal.Chunks;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.UpdateFormat;
import org.automerge.ChangeHash;
import org.automerge.Document;

/**
 * Automerge documents in any {@link nodenogg.persistence.UpdateStore}: an update is what {@code
 * Document.applyEncodedChanges} accepts — one or more encoded changes (what {@code
 * encodeChangesSince} gives after a local change or a sync) or a whole saved document ({@code
 * save()}).
 *
 * <ul>
 *   <li>{@link #check}: every chunk must be complete (no truncation, no trailing bytes: the
 *       library's incremental loader silently drops such a tail, we refuse it), its checksum right,
 *       and the library must decode it in full ({@code Document.load}: columns, operations) — a
 *       change on its own, without the changes it depends on, which may be stored earlier or arrive
 *       later. {@link nodenogg.automerge.AutomergeDocument#applyChanges} runs the same check first,
 *       so a store and a document accept exactly the same bytes. The coverage comes from the chunk
 *       headers ({@link AutomergeHeads}).
 *   <li>{@link #merge}: loads the whole log into one document and saves it. A change whose
 *       dependencies were never stored stays in the saved bytes (Automerge keeps such changes
 *       queued and {@code save()} writes them), so nothing is flagged {@code keep}.
 * </ul>
 *
 * Needs the native library ({@link AutomergeNative}); stateless and thread-safe.
 */
public final class AutomergeFormat implements UpdateFormat {

  /** {@value}, stored with every Automerge document. */
  public static final String NAME = "automerge";

  /** The one instance. */
  public static final AutomergeFormat INSTANCE = new AutomergeFormat();

  private AutomergeFormat() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @throws InvalidUpdateException exactly when the library refuses {@code update}
   * @throws nodenogg.automerge.AutomergeUnavailableException if the native library cannot load here
   */
  @Override
  public Coverage check(byte[] update) {
    Objects.requireNonNull(update, "update");
    List<Chunks.Chunk> chunks;
    try {
      chunks = Chunks.read(update);
    } catch (IllegalArgumentException e) {
      throw new InvalidUpdateException(
          "not Automerge changes or a saved Automerge document: " + e.getMessage(), e);
    }
    AutomergeNative.require();
    String refusal = refusal(chunks);
    if (refusal != null) {
      throw new InvalidUpdateException(
          "not Automerge changes or a saved Automerge document: " + refusal);
    }
    return AutomergeHeads.ofUpdate(chunks);
  }

  /**
   * Why the library refuses {@code chunks}, or null if it decodes every one in full. A document is
   * loaded as it is. A change is loaded without its dependencies (uncompressed, checksum recomputed
   * after ours was verified): {@code Document.load} refuses a change whose dependencies it does not
   * hold before decoding its operations, and the incremental loader queues such a change undecoded
   * (and silently drops a broken one), so this is the only way to have the library decode a change
   * that depends on earlier ones.
   */
  private static String refusal(List<Chunks.Chunk> chunks) {
    for (Chunks.Chunk c : chunks) {
      if (c.kind() == Chunks.Kind.CHANGE && !c.checksumOk()) {
        return "bad checksum";
      }
      try {
        ChunkValidator.validate(
            c); // before the library sees it: it panics (aborting the JVM) on bad actor indices
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }
    for (Chunks.Chunk c : chunks) {
      byte[] whole;
      if (c.kind() == Chunks.Kind.DOCUMENT) {
        whole = c.bytes();
      } else {
        if (!c.checksumOk()) {
          return "bad checksum";
        }
        whole = c.deps().isEmpty() && c.bytes()[8] == 1 ? c.bytes() : Chunks.withoutDependencies(c);
      }
      try {
        Document.load(whole).free();
      } catch (RuntimeException e) {
        return String.valueOf(e.getMessage());
      }
    }
    return null;
  }

  @Override
  public Coverage emptyCoverage() {
    return new AutomergeHeads();
  }

  @Override
  public Coverage decodeCoverage(byte[] encoded) {
    return AutomergeHeads.decode(encoded);
  }

  @Override
  public Merged merge(List<byte[]> log) {
    AutomergeNative.require();
    Document d = new Document();
    try {
      for (byte[] u : log) {
        d.applyEncodedChanges(u);
      }
      return new Merged(d.save(), new boolean[log.size()]);
    } finally {
      d.free();
    }
  }

  /**
   * The heads in a {@link nodenogg.persistence.UpdateStore#version} of this format, as lower-case
   * hex.
   */
  public static List<String> headsOf(byte[] version) {
    List<String> out = new ArrayList<>();
    for (byte[] h : AutomergeHeads.decode(version).heads()) {
      out.add(Chunks.hex(h));
    }
    return out;
  }

  /** Lower-case hex of the library's change hashes (sorted as given). */
  public static List<String> hex(ChangeHash[] heads) {
    List<String> out = new ArrayList<>(heads.length);
    for (ChangeHash h : heads) {
      out.add(Chunks.hex(h.getBytes()));
    }
    return out;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
