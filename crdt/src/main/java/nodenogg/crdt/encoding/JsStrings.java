package nodenogg.crdt.encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JS string and object-key helpers shared by the encoders and {@code Json}. Stateless, thread-safe.
 */
public final class JsStrings {
  private JsStrings() {}

  /** Replace every lone surrogate with U+FFFD (what {@code TextEncoder} does). */
  public static String toWellFormed(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(i + 1));
        i++;
      } else if (Character.isSurrogate(c)) {
        sb.append('\uFFFD');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** True when {@code k} is a JS array index ("0".."4294967294" in canonical form). */
  public static boolean isArrayIndex(String k) {
    int n = k.length();
    if (n == 0 || n > 10) {
      return false;
    }
    if (n > 1 && k.charAt(0) == '0') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = k.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return Long.parseLong(k) < 4294967295L;
  }

  /**
   * Keys of a map in JS {@code Object.keys} order: array-index keys ascending, then insertion
   * order.
   */
  public static List<String> objectKeys(Map<?, ?> map) {
    List<String> idx = null;
    List<String> rest = new ArrayList<>(map.size());
    for (Object o : map.keySet()) {
      String k = String.valueOf(o);
      if (isArrayIndex(k)) {
        if (idx == null) {
          idx = new ArrayList<>();
        }
        idx.add(k);
      } else {
        rest.add(k);
      }
    }
    if (idx == null) {
      return rest;
    }
    idx.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    idx.addAll(rest);
    return idx;
  }
}
