package nodenogg.persistence;

/**
 * Root of every error an {@link UpdateStore} reports (unchecked). The message says what failed and,
 * where there is one, what to do about it. Two subclasses narrow the cause:
 *
 * <ul>
 *   <li>{@link InvalidUpdateException}: the caller's bytes were refused — not an update of the
 *       store's format. Nothing was stored and the store is healthy; this is never a storage
 *       failure.
 *   <li>{@link CorruptDocumentException}: data already stored for one document is damaged.
 * </ul>
 *
 * Any other {@code StoreException} is a failure of the store itself: an I/O or database error (disk
 * full, I/O error, a lock held too long by another process) or use of a closed store. Test with
 * {@link #isRejection()} to tell the sender's problem from the store's.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * True for {@link InvalidUpdateException}: the input was refused and the store is fine. False for
   * failures of the store (I/O, damage, closed), after which the update is not stored.
   */
  public boolean isRejection() {
    return false;
  }
}
