package nodenogg.sync.protocol;

import java.util.function.BiConsumer;

/**
 * What the sync protocols need from a document: its state vector, a diff against a remote state
 * vector, applying a remote update, and a feed of the updates it produces. Implemented over the
 * engine's {@code Doc} by {@code DocSync}; hosts (server, client provider) only see this interface,
 * so protocol code stays free of engine internals.
 *
 * <p>Thread-safety: implementations must be safe to call from any thread (the engine's Doc
 * serializes calls on its own lock).
 */
public interface SyncDocument {

  /** The document's state vector, v1 encoding ({@code Y.encodeStateVector}). */
  byte[] stateVector();

  /**
   * Everything the holder of {@code remoteStateVector} lacks, as a v1 update ({@code
   * Y.encodeStateAsUpdate(doc, sv)}).
   */
  byte[] diff(byte[] remoteStateVector);

  /**
   * Applies a v1 update with the given transaction origin.
   *
   * @return what the update did to the document; never null
   * @throws RuntimeException (the engine's typed decoding/update errors) when the update is
   *     malformed; the document is left unchanged
   */
  Applied apply(byte[] update, Object origin);

  /**
   * What {@link #apply} did. Immutable; {@code update} is shared with the update listeners, so
   * treat it as read-only.
   *
   * @param update the update the document emitted for the change (only what was new to it; what its
   *     {@link #onUpdate} listeners received), or null when it emitted none
   * @param pending the document holds data waiting for missing dependencies after the apply (this
   *     update's or earlier ones)
   */
  record Applied(byte[] update, boolean pending) {
    /** Nothing new and nothing pending. */
    public static final Applied NOTHING = new Applied(null, false);

    /** The document changed (it emitted an update). */
    public boolean changed() {
      return update != null;
    }

    /**
     * The document changed or holds pending data: a host that stores or forwards updates must keep
     * this one (an update whose dependencies are missing is still needed once they arrive).
     */
    public boolean changedOrPending() {
      return update != null || pending;
    }
  }

  /**
   * Whether applying {@code update} would add nothing (every struct and deletion is already in the
   * document), like Yjs {@code snapshotContainsUpdate(snapshot(doc), update)}. Never modifies the
   * document.
   */
  boolean containsUpdate(byte[] update);

  /**
   * Merges v1 updates into one ({@code Y.mergeUpdates}), so a host can coalesce broadcasts; null
   * when this document type cannot merge (the host then sends them one by one).
   */
  default byte[] merge(java.util.List<byte[]> updates) {
    return null;
  }

  /** Registers a listener for every update the document emits: (v1 update, origin). */
  Registration onUpdate(BiConsumer<byte[], Object> listener);

  /** Unsubscribes; closing twice is harmless. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
