package nodenogg.sync.server.websocket;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The origin allow-list. Empty allows every origin. Requests without an Origin header (non-browser
 * clients such as the JVM client, curl, Node) are allowed: the list protects against cross-site
 * WebSocket hijacking, which only browsers can be tricked into, and browsers always send Origin.
 *
 * <p>Fails closed: every entry must be an origin as a browser sends it ({@code scheme://host} or
 * {@code scheme://host:port}, a trailing '/' and letter case do not matter). An entry without a
 * scheme, with a path, a wildcard, or blank is refused with an {@link IllegalArgumentException}
 * saying what to write instead, because silently dropping it would leave the server open (or
 * closed) in a way the operator did not ask for. Immutable; thread-safe.
 */
public final class OriginPolicy {

  private final Set<String> allowed;

  /**
   * @param origins the allowed origins; empty allows every origin
   * @throws IllegalArgumentException when an entry is not an origin (the message says what to
   *     write)
   */
  public OriginPolicy(Collection<String> origins) {
    Set<String> set = new LinkedHashSet<>();
    for (String origin : origins) {
      set.add(normalize(check(origin)));
    }
    this.allowed = Set.copyOf(set);
  }

  /**
   * Parses a comma-separated list of origins (as given on a command line), failing closed: a blank
   * list or any entry that is not an origin is refused.
   *
   * @param what how the list was given, for the message (e.g. {@code --allowed-origins})
   * @throws IllegalArgumentException saying what to write instead
   */
  public static List<String> parseList(String list, String what) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      for (String part : list.split(",", -1)) {
        String t = part.trim();
        if (!t.isEmpty()) {
          try {
            out.add(check(t));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
          }
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          what
              + " is empty (an unset variable?): list the browser origins"
              + " allowed to connect, e.g. https://nodenogg.in,https://app.nodenogg.in, or leave it out to allow"
              + " every origin");
    }
    return out;
  }

  /** Returns {@code origin} trimmed when it is an origin; else throws saying what to write. */
  static String check(String origin) {
    if (origin == null || origin.isBlank()) {
      throw new IllegalArgumentException(
          "an allowed origin is blank: write each origin as"
              + " scheme://host[:port], e.g. https://nodenogg.in");
    }
    String s = origin.trim();
    if (s.contains("*")) {
      throw new IllegalArgumentException(
          "wildcards are not supported ('"
              + s
              + "'): list every origin"
              + " explicitly, e.g. https://nodenogg.in,https://app.nodenogg.in (leave the list out to allow"
              + " every origin)");
    }
    int sep = s.indexOf("://");
    if (sep <= 0 || !validScheme(s.substring(0, sep))) {
      throw new IllegalArgumentException(
          "'"
              + s
              + "' is not an origin: it needs a scheme, e.g. https://"
              + (sep >= 0 ? s.substring(sep + 3) : s));
    }
    String rest = s.substring(sep + 3);
    while (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    String scheme = s.substring(0, sep);
    if (rest.isEmpty() || rest.contains("/") || rest.contains("?") || rest.contains("#")) {
      int cut = rest.indexOf('/');
      String host = cut < 0 ? rest.replaceAll("[?#].*", "") : rest.substring(0, cut);
      throw new IllegalArgumentException(
          "'"
              + s
              + "' is not an origin: an origin is scheme://host[:port]"
              + " with no path, query or fragment"
              + (host.isEmpty() ? "" : "; write " + scheme + "://" + host));
    }
    if (rest.contains("@")) {
      throw new IllegalArgumentException(
          "'"
              + s
              + "' is not an origin: it must not contain user"
              + " information; write "
              + scheme
              + "://"
              + rest.substring(rest.lastIndexOf('@') + 1));
    }
    int colon = rest.lastIndexOf(':');
    if (colon >= 0 && !rest.endsWith("]")) {
      String port = rest.substring(colon + 1);
      if (port.isEmpty()
          || !port.chars().allMatch(c -> c >= '0' && c <= '9')
          || port.length() > 5
          || Integer.parseInt(port) > 65535) {
        throw new IllegalArgumentException(
            "'"
                + s
                + "' is not an origin: the port must be a number"
                + " 0-65535, e.g. "
                + scheme
                + "://"
                + rest.substring(0, colon)
                + ":8080");
      }
      if (colon == 0) {
        throw new IllegalArgumentException("'" + s + "' is not an origin: the host is missing");
      }
    }
    return s;
  }

  private static boolean validScheme(String scheme) {
    if (scheme.isEmpty() || !Character.isLetter(scheme.charAt(0))) {
      return false;
    }
    for (int i = 0; i < scheme.length(); i++) {
      char c = scheme.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.') || c > 127) {
        return false;
      }
    }
    return true;
  }

  boolean allows(String origin) {
    if (allowed.isEmpty() || origin == null) {
      return true;
    }
    return allowed.contains(normalize(origin));
  }

  static String normalize(String origin) {
    String s = origin.trim();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }
}
