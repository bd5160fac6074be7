package nodenogg.automerge;

/**
 * How an {@link AutomergeMicrocosm} reaches peers: something that keeps an {@link
 * AutomergeDocument} in sync under an automerge-repo document id and carries ephemeral messages for
 * it — {@code nodenogg.automerge.repo.RepoClient} (automerge-repo over WebSocket), or a test
 * double. Implementations are thread-safe.
 */
public interface MicrocosmTransport {

  /**
   * Starts syncing {@code document} as {@code documentId} (the peer may hold it already, or not).
   *
   * @return the live share; closing it stops syncing this document
   */
  Share share(String documentId, AutomergeDocument document, Listener listener);

  /**
   * What a transport tells the microcosm. Calls may come from any thread; implementations must not
   * block.
   */
  interface Listener {
    /** A live connection to a peer holding the document came up ({@code true}) or went away. */
    void connectionChanged(boolean connected);

    /**
     * An ephemeral message for the document from {@code senderId}, already CBOR-decoded (plain
     * values).
     */
    void ephemeral(String senderId, Object message);
  }

  /** One document shared through a transport. */
  interface Share extends AutoCloseable {
    /**
     * Sends an ephemeral message (plain values, CBOR-encoded by the transport) to every peer of the
     * document.
     */
    void broadcast(Object message);

    @Override
    void close();
  }
}
