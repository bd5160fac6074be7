package nodenogg.earthstar;

/**
 * A document that fails es.5 validation; {@link #reason()} says which rule, the message says how.
 */
public final class InvalidDocumentException extends Exception {
  private static final long serialVersionUID = 1L;
  private final Rejection reason;

  public InvalidDocumentException(Rejection reason, String message) {
    super(reason.code() + ": " + message);
    this.reason = reason;
  }

  public Rejection reason() {
    return reason;
  }
}
