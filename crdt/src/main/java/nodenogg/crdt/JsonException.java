package nodenogg.crdt;

/**
 * Text that is not JSON, JSON nested deeper than {@link Json#MAX_DEPTH}, or a Java value that has
 * no JSON form. It is an {@link IllegalArgumentException}, so callers that caught that keep
 * working. {@link #position()} is the character offset in the parsed text, or -1 when stringifying
 * failed.
 */
public final class JsonException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int position;

  JsonException(String message, int position) {
    super(message);
    this.position = position;
  }

  /** Character offset in the parsed text where the problem is, or -1 for a stringify error. */
  public int position() {
    return position;
  }
}
