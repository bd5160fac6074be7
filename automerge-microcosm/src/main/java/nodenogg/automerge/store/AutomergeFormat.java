package nodenogg.automerge.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import nodenogg.automerge.AutomergeNative;
import nodenogg.automerge.internal.Chunks;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.UpdateFormat;
import org.automerge.ChangeHash;
import org.automerge.Document;

/**
 * Automerge documents in any {@link nodenogg.persistence.UpdateStore}: an update is what
 * {@code Document.applyEncodedChanges} accepts — one or more encoded changes (what {@code encodeChangesSince}
 * gives after a local change or a sync) or a whole saved document ({@code save()}).
 *
 * <ul>
 *   <li>{@link #check}: every chunk must be complete (no truncation, no trailing bytes: the library's incremental
 *       loader silently drops such a tail, we refuse it) and the library must decode it in full ({@code
 *       Document.load}: checksums, columns, operations), except that changes may depend on changes stored
 *       earlier. {@link nodenogg.automerge.AutomergeDocument#applyChanges} runs the same check first, so a store
 *       and a document accept exactly the same bytes. The coverage comes from the chunk headers
 *       ({@link AutomergeHeads}).</li>
 *   <li>{@link #merge}: loads the whole log into one document and saves it. A change whose dependencies were never
 *       stored stays in the saved bytes (Automerge keeps such changes queued and {@code save()} writes them), so
 *       nothing is flagged {@code keep}.</li>
 * </ul>
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
      throw new InvalidUpdateException("not Automerge changes or a saved Automerge document: " + e.getMessage(), e);
    }
    AutomergeNative.require();
    String refusal = refusal(update);
    if (refusal != null) {
      throw new InvalidUpdateException("not Automerge changes or a saved Automerge document: " + refusal);
    }
    return AutomergeHeads.ofUpdate(chunks);
  }

  /**
   * Why the library refuses {@code update}, or null if it takes it. {@code Document.load} decodes every chunk in
   * full (columns, operations, checksums) and is the strict test; it also refuses changes whose dependencies are
   * not in the bytes, which an incremental update legitimately has, so for that one reason the incremental loader
   * decides instead (it queues such changes).
   */
  private static String refusal(byte[] update) {
    try {
      Document.load(update).free();
      return null;
    } catch (RuntimeException loadError) {
      String m = String.valueOf(loadError.getMessage());
      if (!m.contains("deps should already be in the document")) {
        return m;
      }
    }
    Document d = new Document();
    try {
      d.applyEncodedChanges(update);
      return null;
    } catch (RuntimeException e) {
      return String.valueOf(e.getMessage());
    } finally {
      d.free();
    }
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

  /** The heads in a {@link nodenogg.persistence.UpdateStore#version} of this format, as lower-case hex. */
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
