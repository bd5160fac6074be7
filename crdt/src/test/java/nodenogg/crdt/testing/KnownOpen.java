package nodenogg.crdt.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads crashers/KNOWN-OPEN.txt: violation substrings of reported, still-open engine bugs, with
 * their reference.
 */
public final class KnownOpen {
  private KnownOpen() {}

  public static Map<String, String> load() {
    Map<String, String> m = new LinkedHashMap<>();
    try (InputStream in = KnownOpen.class.getResourceAsStream("/crashers/KNOWN-OPEN.txt")) {
      if (in == null) return m;
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String l;
      while ((l = r.readLine()) != null) {
        if (l.isBlank() || l.startsWith("#")) continue;
        String[] p = l.split("\t", 2);
        m.put(p[0], p.length > 1 ? p[1] : "");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return m;
  }

  /** The bug reference if the message matches an open bug, else null. */
  public static String match(String message) {
    for (Map.Entry<String, String> e : load().entrySet())
      if (message.contains(e.getKey())) return e.getValue();
    return null;
  }
}
