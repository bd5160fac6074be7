package nodenogg.microcosm;

import nodenogg.microcosm.internal.RandomIds;

/**
 * Identity ids (E4/E5): {@code @} followed by 16 ASCII letters or digits, regex {@code
 * ^@[0-9A-Za-z]{16}$}, for example {@code @bt4nhr27z8198jp6}. An identity id is also the name of
 * that identity's collection (a root map) in the document. Stateless, thread-safe.
 */
public final class IdentityId {
  /** Total length of a valid identity id. */
  public static final int LENGTH = 17;

  private IdentityId() {}

  /** A fresh random identity id. */
  public static String create() {
    return "@" + RandomIds.body(16);
  }

  /** Whether {@code value} is a valid identity id ({@code null} is not). */
  public static boolean isValid(Object value) {
    return value instanceof String s
        && s.length() == LENGTH
        && s.charAt(0) == '@'
        && RandomIds.isAlphanumeric(s.substring(1));
  }

  /**
   * Returns {@code value} when it is a valid identity id.
   *
   * @throws InvalidEntityException naming {@code what} and the expected form otherwise
   */
  public static String require(Object value, String what) {
    if (!isValid(value)) {
      throw new InvalidEntityException(
          what
              + " must be an identity id ('@' + 16 letters or digits), got "
              + Describe.value(value));
    }
    return (String) value;
  }
}
