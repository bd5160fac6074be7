package nodenogg.persistence.sqlite.internal;

import java.util.List;

/**
 * Merges a document's stored updates into one update carrying the same content (pending structs and
 * deletions included). Used by compaction and {@code loadState}; must be safe to call from any thread.
 */
public interface UpdateMerger {

  /** @throws RuntimeException if one of the updates cannot be decoded */
  byte[] merge(List<byte[]> updates);
}
