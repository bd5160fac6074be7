package nodenogg.cli.microcosm;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import nodenogg.cli.UsageException;
import nodenogg.microcosm.SchemaProfile;

/** {@code --name value} options of the microcosm commands. */
final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();

  Args(String command, String[] args, Set<String> allowed) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !allowed.contains(a.substring(2))) {
        throw new UsageException(
            "unknown option '"
                + a
                + "'; "
                + command
                + " takes "
                + allowed.stream()
                    .map(s -> "--" + s)
                    .sorted()
                    .reduce((x, y) -> x + ", " + y)
                    .orElse("no options"));
      }
      if (i + 1 >= args.length) {
        throw new UsageException("option " + a + " needs a value");
      }
      values.put(a.substring(2), args[++i]);
    }
  }

  String get(String name) {
    return values.get(name);
  }

  String require(String name, String usage) {
    String v = values.get(name);
    if (v == null) {
      throw new UsageException("missing --" + name + "; usage: " + usage);
    }
    return v;
  }

  SchemaProfile profile() {
    String p = values.getOrDefault("profile", "e5");
    try {
      return SchemaProfile.valueOf(p.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--profile must be e5 or e4, got '" + p + "'");
    }
  }
}
