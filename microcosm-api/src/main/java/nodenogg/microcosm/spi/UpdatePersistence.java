package nodenogg.microcosm.spi;

import java.io.IOException;
import java.util.List;

/**
 * Where a microcosm keeps its document durably: an append-only log of Yjs v1 updates per document
 * name (the microcosm id). This is the whole contract a storage backend implements (an SQLite store,
 * files, memory). Updates are opaque bytes here, so a backend needs no CRDT dependency.
 *
 * <p>Implementations must be safe to call from any thread. {@link #append} must not return before the
 * update is durable (or throw). Compaction, if any, is the backend's business: {@link #load} may
 * return fewer, merged updates as long as applying them yields the same document.
 */
public interface UpdatePersistence extends AutoCloseable {

  /** Every stored update of {@code documentName}, oldest first; empty for an unknown document. */
  List<byte[]> load(String documentName) throws IOException;

  /** Appends one update to {@code documentName}'s log, durably. */
  void append(String documentName, byte[] update) throws IOException;

  /** Releases resources; the default does nothing. */
  @Override
  default void close() throws IOException {}
}
