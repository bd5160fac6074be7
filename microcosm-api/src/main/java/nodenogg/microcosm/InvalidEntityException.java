package nodenogg.microcosm;

/**
 * A value does not follow the entity/identity schema. The message names the offending field and
 * what was expected. Thrown by constructors, codecs and edit methods before anything is written;
 * readers of a document never throw it at the caller (they skip the value and report an {@link
 * InvalidValue}).
 */
public class InvalidEntityException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidEntityException(String message) {
    super(message);
  }

  /** This error with {@code prefix + ": "} in front of its message (used to add a field path). */
  InvalidEntityException within(String prefix) {
    return new InvalidEntityException(prefix + ": " + getMessage());
  }
}
