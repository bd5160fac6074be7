package nodenogg.microcosm;

import nodenogg.microcosm.internal.RandomIds;

/**
 * Entity ids (E4/E5): {@code e} followed by 16 ASCII letters or digits, regex {@code
 * ^e[0-9A-Za-z]{16}$}, for example {@code ebt4nhr27z8198jp6}. Stateless, thread-safe.
 */
public final class EntityId {
  /** Total length of a valid entity id. */
  public static final int LENGTH = 17;

  private EntityId() {}

  /** A fresh random entity id. */
  public static String create() {
    return "e" + RandomIds.body(16);
  }

  /** Whether {@code value} is a valid entity id ({@code null} is not). */
  public static boolean isValid(Object value) {
    return value instanceof String s
        && s.length() == LENGTH
        && s.charAt(0) == 'e'
        && RandomIds.isAlphanumeric(s);
  }

  /**
   * Returns {@code value} when it is a valid entity id.
   *
   * @throws InvalidEntityException naming {@code what} and the expected form otherwise
   */
  public static String require(Object value, String what) {
    if (!isValid(value)) {
      throw new InvalidEntityException(
          what
              + " must be an entity id ('e' + 16 letters or digits), got "
              + Describe.value(value));
    }
    return (String) value;
  }
}
