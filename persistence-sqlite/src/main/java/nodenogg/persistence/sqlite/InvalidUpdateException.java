package nodenogg.persistence.sqlite;

/**
 * The bytes given to {@link SqliteUpdateStore#append} are not a well-formed Yjs update (v1 encoding).
 * Nothing was stored. The offending input should be dropped (and, if it came from a peer, that peer's
 * connection closed).
 */
public final class InvalidUpdateException extends StoreException {
  private static final long serialVersionUID = 1L;

  public InvalidUpdateException(String message, Throwable cause) {
    super(message, cause);
  }
}
