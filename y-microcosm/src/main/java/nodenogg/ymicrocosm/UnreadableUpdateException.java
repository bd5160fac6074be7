package nodenogg.ymicrocosm;

/**
 * A byte array that cannot be read as a Yjs v1 update of a whole document: malformed, truncated, or
 * depending on changes it does not contain. Nothing was imported. Re-export the document as one
 * full update ({@code Y.encodeStateAsUpdate(doc)}) and try again.
 */
public class UnreadableUpdateException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnreadableUpdateException(String message, Throwable cause) {
    super(message, cause);
  }
}
