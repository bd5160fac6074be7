package nodenogg.cli.microcosm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import nodenogg.cli.Command;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;

/**
 * {@code ./microcosm export --update FILE [--profile e5|e4]}: reads a base64 Yjs v1 update of a
 * microcosm document ({@code -} = stdin) and prints {@code {identityId: {entityId: entity}}} as JSON.
 * Values that fail validation are skipped; their count (and the first reasons) go to stderr.
 */
public final class ExportCommand implements Command {
  static final String USAGE = "./microcosm export --update FILE [--profile e5|e4]";
  private static final int MAX_REASONS = 20;

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws IOException {
    Args a = new Args("export", args, Set.of("update", "profile"));
    String file = a.require("update", USAGE);
    SchemaProfile profile = a.profile();
    String text;
    try {
      text = file.equals("-") ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Paths.get(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      err.println("microcosm export: NoSuchFile: " + file);
      return 2;
    }
    byte[] update;
    try {
      update = Base64.getDecoder().decode(text.replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      err.println("microcosm export: InvalidBase64: " + file + " is not base64 (" + e.getMessage() + ")");
      return 2;
    }
    try (YMicrocosm m = YMicrocosm.open("export", MicrocosmOptions.defaults().profile(profile))) {
      try {
        m.applyUpdate(update);
      } catch (RuntimeException e) {
        err.println("microcosm export: InvalidUpdate: " + file + " is not a Yjs v1 update: " + e.getMessage());
        return 2;
      }
      out.println(MicrocosmJson.write(m.collections(), profile));
      List<InvalidValue> skipped = m.invalidValues();
      report(err, "export", skipped);
    }
    return 0;
  }

  static void report(PrintStream err, String command, List<InvalidValue> skipped) {
    if (skipped.isEmpty()) {
      return;
    }
    err.println(command + ": skipped " + skipped.size() + " invalid value" + (skipped.size() == 1 ? "" : "s"));
    for (int i = 0; i < Math.min(MAX_REASONS, skipped.size()); i++) {
      InvalidValue v = skipped.get(i);
      err.println("  " + v.collection() + "/" + v.key() + ": " + v.reason());
    }
    if (skipped.size() > MAX_REASONS) {
      err.println("  ... and " + (skipped.size() - MAX_REASONS) + " more");
    }
  }
}
