package nodenogg.earthstar;

/**
 * Hears a replica's committed changes, in commit order. Called on the store's thread (the writer
 * thread for SQLite, the writing thread for memory): return quickly and never block.
 */
public interface ReplicaListener {

  /** A document was stored (it is durable). {@code source} is what was given to ingest. */
  default void onDocument(EsDocument doc, Object source) {}

  /** The attachment of {@code doc} was stored (it is durable). */
  default void onAttachment(EsDocument doc, Object source) {}

  /** An ephemeral document expired and was removed. */
  default void onExpired(EsDocument doc) {}
}
