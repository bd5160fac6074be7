package nodenogg.persistence.sqlite;

/**
 * Root of every error the update store reports (unchecked). The message says what failed and, where
 * there is one, what to do about it. Subclasses narrow the cause: {@link CorruptDocumentException}
 * (stored data is damaged), {@link InvalidUpdateException} (the caller passed bytes that are not a
 * Yjs v1 update). A plain {@code StoreException} is an I/O or SQLite failure (disk full, I/O error,
 * database locked by another process) or use of a closed store.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
