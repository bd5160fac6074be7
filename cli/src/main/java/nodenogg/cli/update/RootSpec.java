package nodenogg.cli.update;

import java.util.LinkedHashMap;
import java.util.Map;
import nodenogg.cli.UsageException;

/**
 * The roots to print, NAME -> kind (map|array|text|xml), in the order given. Immutable once parsed.
 */
final class RootSpec {
  final Map<String, String> roots = new LinkedHashMap<>();

  static RootSpec defaults() {
    RootSpec r = new RootSpec();
    r.roots.put("map", "map");
    r.roots.put("array", "array");
    r.roots.put("text", "text");
    return r;
  }

  /** Adds NAME=KIND; throws {@link UsageException} for a bad form or kind. */
  void add(String nameEqKind) {
    int eq = nameEqKind.lastIndexOf('=');
    if (eq <= 0)
      throw new UsageException("--root expects NAME=map|array|text|xml, got '" + nameEqKind + "'");
    put(nameEqKind.substring(0, eq), nameEqKind.substring(eq + 1));
  }

  void put(String name, String kind) {
    switch (kind) {
      case "map":
      case "array":
      case "text":
      case "xml":
        roots.put(name, kind);
        return;
      default:
        throw new UsageException(
            "root '" + name + "': unknown kind '" + kind + "' (use map, array, text or xml)");
    }
  }
}
