package nodenogg.persistence;

/**
 * The bytes given to {@link UpdateStore#append} are not an update of the store's {@link
 * UpdateFormat}: exactly the bytes that format's document engine refuses too (for Yjs, the engine's
 * {@code applyUpdate}). Nothing was stored and the store is healthy. The offending input should be
 * dropped and, if it came from a peer, refused for that peer only.
 *
 * <p>Also used when an update is sent to a document that a store holds in another format.
 */
public final class InvalidUpdateException extends StoreException {
  private static final long serialVersionUID = 1L;

  public InvalidUpdateException(String message) {
    super(message);
  }

  public InvalidUpdateException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Always true: a refused input, not a storage failure. */
  @Override
  public boolean isRejection() {
    return true;
  }
}
