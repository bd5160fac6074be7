package nodenogg.microcosm;

import java.util.Locale;
import nodenogg.microcosm.internal.RandomIds;

/**
 * Microcosm ids. The id is the single key of a microcosm: Yjs document name, room name, local store
 * name and the web app's route segment ({@code https://nodenogg.in/<id>}).
 *
 * <ul>
 *   <li>E5 (default): one or more ASCII letters or digits, {@code ^[0-9A-Za-z]+$}; a plain word
 *       such as {@code workshop} is a valid id.
 *   <li>E4: the same alphabet and at least 3 characters.
 * </ul>
 *
 * Stateless, thread-safe.
 */
public final class MicrocosmId {
  private MicrocosmId() {}

  /** A fresh random 16-character id (valid in both eras). */
  public static String create() {
    return RandomIds.body(16);
  }

  /**
   * The E5 {@code createMicrocosmID(input)} rule: a valid id is returned unchanged, {@code null} or
   * empty input gives a fresh random id, anything else is lowercased and stripped of characters
   * other than {@code a-z0-9}.
   *
   * @throws IllegalArgumentException when nothing usable is left (for example {@code "--"})
   */
  public static String create(String input) {
    if (input == null || input.isEmpty()) {
      return create();
    }
    if (isValid(input)) {
      return input;
    }
    String cleaned = input.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (cleaned.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot make a microcosm id from '"
              + input
              + "': it has no ASCII letters or digits; pass a name such as 'workshop' or null for a random id");
    }
    return cleaned;
  }

  /** Whether {@code value} is a valid E5 microcosm id. */
  public static boolean isValid(Object value) {
    return value instanceof String s && RandomIds.isAlphanumeric(s);
  }

  /** Whether {@code value} is a valid E4 microcosm id (alphanumeric, longer than 2). */
  public static boolean isValidE4(Object value) {
    return isValid(value) && ((String) value).length() > 2;
  }

  /**
   * Returns {@code value} when it is a valid E5 microcosm id.
   *
   * @throws IllegalArgumentException with the expected form otherwise
   */
  public static String require(String value) {
    if (!isValid(value)) {
      throw new IllegalArgumentException(
          "microcosm id must be one or more ASCII letters or digits, got "
              + Describe.value(value)
              + "; MicrocosmId.create(title) derives one from a title");
    }
    return value;
  }
}
