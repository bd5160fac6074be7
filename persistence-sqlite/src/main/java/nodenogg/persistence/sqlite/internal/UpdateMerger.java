package nodenogg.persistence.sqlite.internal;

import java.util.List;

/**
 * Merges a document's stored updates into one update carrying the same content. Used by compaction
 * and {@code loadState}; must be safe to call from any thread.
 */
public interface UpdateMerger {

  /**
   * The merge of some updates.
   *
   * @param update the merged update (everything the engine could integrate)
   * @param keep   per input update, true if it holds data the merged update may lack (structs or
   *               deletions not yet integrable: "pending"); compaction keeps those rows
   */
  record Merged(byte[] update, boolean[] keep) {
    public boolean keepsAny() {
      for (boolean k : keep) {
        if (k) {
          return true;
        }
      }
      return false;
    }
  }

  /** @throws RuntimeException if one of the updates cannot be decoded */
  Merged merge(List<byte[]> updates);
}
