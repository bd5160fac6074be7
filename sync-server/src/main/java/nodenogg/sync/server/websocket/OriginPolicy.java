package nodenogg.sync.server.websocket;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The origin allow-list. Empty allows every origin. Requests without an Origin header (non-browser
 * clients such as the JVM client, curl, Node) are allowed: the list protects against cross-site
 * WebSocket hijacking, which only browsers can be tricked into, and browsers always send Origin.
 * Immutable.
 */
final class OriginPolicy {

  private final Set<String> allowed;

  OriginPolicy(Collection<String> origins) {
    Set<String> set = new LinkedHashSet<>();
    for (String origin : origins) {
      String n = normalize(origin);
      if (!n.isEmpty()) {
        set.add(n);
      }
    }
    this.allowed = Set.copyOf(set);
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
