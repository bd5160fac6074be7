package nodenogg.crdt;

/** An update was well-formed bytes but could not be applied; the document is unchanged. */
public class UpdateException extends CrdtException {
  private static final long serialVersionUID = 1L;

  public UpdateException(String message) {
    super(message);
  }

  public UpdateException(String message, Throwable cause) {
    super(message, cause);
  }
}
