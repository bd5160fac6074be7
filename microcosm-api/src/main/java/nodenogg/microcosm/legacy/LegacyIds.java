package nodenogg.microcosm.legacy;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Id rules of the older eras (E1–E3), for tools that import or recognise old documents. New data
 * always uses the E4/E5 ids ({@link nodenogg.microcosm.EntityId}, {@link
 * nodenogg.microcosm.IdentityId}, {@link nodenogg.microcosm.MicrocosmId}). Stateless, thread-safe.
 *
 * <ul>
 *   <li>E1 microcosm URI: {@code ^[a-z0-9]+(\.[a-z0-9]+)*$}; {@link #sanitiseE1Uri} maps a title to
 *       one.
 *   <li>E2 (the seed's era): MicrocosmID {@code title_random}, letters/digits on both sides, length
 *       16..60; IdentityID {@code identity_} + 36 nanoid characters (length 45, no charset check);
 *       NodeID {@code node_} + 36 (length 41).
 *   <li>E3: identity {@code @} + 35 letters/digits ({@code @} + 36 in builds before {@code
 *       45500b38}, 2024-06-01); entity {@code e} + 8 letters/digits; MicrocosmID as E2 but with an
 *       18-character random part. {@link E3Entities} reads E3 entities.
 * </ul>
 */
public final class LegacyIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String NANOID =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String ALNUM =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private LegacyIds() {}

  /** A parsed E2/E3 MicrocosmID. */
  public record MicrocosmTitleId(String title, String id) {}

  // ---- E1 -------------------------------------------------------------------------------------

  /** Whether {@code uri} is an E1 microcosm URI. */
  public static boolean isValidE1Uri(String uri) {
    return uri != null && uri.matches("[a-z0-9]+(\\.[a-z0-9]+)*");
  }

  /**
   * The E1 sanitiser: lowercase, runs of whitespace, {@code -} and {@code _} become {@code .},
   * other characters outside {@code [a-zA-Z0-9.]} are dropped, {@code ..} collapses, edge dots are
   * trimmed.
   */
  public static String sanitiseE1Uri(String input) {
    String s =
        input.toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", ".").replaceAll("[^a-z0-9.]", "");
    s = s.replaceAll("\\.{2,}", ".");
    return s.replaceAll("^\\.+|\\.+$", "");
  }

  // ---- E2 / E3 ----------------------------------------------------------------------------------

  /** Whether {@code id} is an E2/E3 MicrocosmID ({@code title_random}, length 16..60). */
  public static boolean isValidE2MicrocosmId(String id) {
    return id != null
        && id.length() >= 16
        && id.length() <= 60
        && id.matches("[A-Za-z0-9]+_[A-Za-z0-9]+");
  }

  /**
   * E2 {@code createMicrocosmID(title)}: sanitised title, {@code _}, 16 random a-z. The title is
   * cut so the id stays within 60 characters and keeps its random part (the original cut the whole
   * string to 60, which for long titles dropped the {@code _} and made an invalid id).
   */
  public static String createE2MicrocosmId(String title) {
    return (sanitiseE2Title(title) + "_" + random(LOWER, 16));
  }

  /**
   * E2 title sanitiser: lowercase, keep a-z0-9, empty becomes {@code untitled}; then cut so the id
   * fits 60.
   */
  static String sanitiseE2Title(String title) {
    String t = title == null ? "" : title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (t.isEmpty()) {
      t = "untitled";
    }
    return t.length() > 43 ? t.substring(0, 43) : t;
  }

  /**
   * E2 {@code parseMicrocosmID}: splits a valid id into title and random part.
   *
   * @throws IllegalArgumentException {@code Invalid MicrocosmID: <id>} otherwise
   */
  public static MicrocosmTitleId parseE2MicrocosmId(String id) {
    if (!isValidE2MicrocosmId(id)) {
      throw new IllegalArgumentException("Invalid MicrocosmID: " + id);
    }
    int u = id.indexOf('_');
    return new MicrocosmTitleId(id.substring(0, u), id.substring(u + 1));
  }

  /** E2 {@code createIdentityID()}: {@code identity_} + 36 nanoid characters. */
  public static String createE2IdentityId() {
    return "identity_" + random(NANOID, 36);
  }

  /** E2 {@code isValidIdentityID}: starts with {@code identity_} and has length 45. */
  public static boolean isValidE2IdentityId(String id) {
    return id != null && id.startsWith("identity_") && id.length() == 45;
  }

  /** E2 {@code createNodeID()}: {@code node_} + 36 nanoid characters. */
  public static String createE2NodeId() {
    return "node_" + random(NANOID, 36);
  }

  /** E2 {@code isValidNodeID}: starts with {@code node_} and has length 41. */
  public static boolean isValidE2NodeId(String id) {
    return id != null && id.startsWith("node_") && id.length() == 41;
  }

  /** E3 identity id: {@code @} + 35 letters or digits. */
  public static boolean isValidE3IdentityId(String id) {
    return id != null && id.matches("@[0-9A-Za-z]{35}");
  }

  /**
   * An identity id written by the first E3 builds ({@code 9d7c9211} .. {@code 45500b38}, May 2024):
   * {@code @} + 36 letters or digits. The later E3 guard rejects it, but such collections exist in
   * documents of that week, so an importer accepts both ({@link #isReadableE3IdentityId}).
   */
  public static boolean isValidEarlyE3IdentityId(String id) {
    return id != null && id.matches("@[0-9A-Za-z]{36}");
  }

  /**
   * Either E3 identity id form: {@code @} + 35 (current) or {@code @} + 36 (before {@code
   * 45500b38}).
   */
  public static boolean isReadableE3IdentityId(String id) {
    return isValidE3IdentityId(id) || isValidEarlyE3IdentityId(id);
  }

  /** A fresh E3 identity id. */
  public static String createE3IdentityId() {
    return "@" + random(ALNUM, 35);
  }

  /** E3 entity id: {@code e} + 8 letters or digits. */
  public static boolean isValidE3EntityId(String id) {
    return id != null && id.matches("e[0-9A-Za-z]{8}");
  }

  /** A fresh E3 entity id. */
  public static String createE3EntityId() {
    return "e" + random(ALNUM, 8);
  }

  /** An E2 room password of {@code length} nanoid characters. */
  public static String createE2Password(int length) {
    return random(NANOID, length);
  }

  private static String random(String alphabet, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
