package nodenogg.cli.microcosm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.InvalidEntityException;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.microcosm.legacy.E3ToE5;
import nodenogg.ymicrocosm.E3Import;
import nodenogg.ymicrocosm.UnreadableUpdateException;

/**
 * {@code ./microcosm import --from e3 [--identity ID] [--profile e5|e4] [--update FILE]}: reads a
 * document of the E3 web app (2024-05 .. 2025-05) as a Yjs v1 update (raw bytes or base64) or as
 * the E3 export JSON {@code {identityId: {entityId: entity}}}, from FILE or stdin, and prints a
 * base64 Yjs v1 update holding its entities in the current layout. Without {@code --identity} every
 * E3 identity becomes a new identity; with it, everything is owned by ID. The summary (what was
 * read, imported, skipped and why, the id mapping) goes to stderr.
 */
final class E3ImportCommand {
  static final String USAGE =
      "./microcosm import --from e3 [--identity ID] [--profile e5|e4] [--update FILE] < e3-update|e3.json";
  private static final int MAX_LINES = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private E3ImportCommand() {}

  static int run(Args a, InputStream in, PrintStream out, PrintStream err) throws IOException {
    String owner = a.get("identity");
    if (owner != null && !IdentityId.isValid(owner)) {
      err.println(
          "microcosm import: InvalidIdentity: '"
              + owner
              + "' is not an identity id ('@' + 16 letters or digits)");
      return 2;
    }
    SchemaProfile profile = a.profile();
    String file = a.get("update");
    byte[] input;
    try {
      input =
          file == null || file.equals("-")
              ? in.readAllBytes()
              : Files.readAllBytes(Paths.get(file));
    } catch (NoSuchFileException e) {
      err.println("microcosm import: NoSuchFile: " + file);
      return 2;
    }
    E3Import.Snapshot doc;
    if (isJson(input)) {
      try {
        doc = E3Import.readSerialized(MicrocosmJson.toPlain(JSON.readTree(input)));
      } catch (IOException | InvalidEntityException e) {
        err.println("microcosm import: InvalidJson: " + e.getMessage());
        return 2;
      }
    } else {
      byte[] update;
      try {
        update = updateBytes(input);
      } catch (IllegalArgumentException e) {
        err.println("microcosm import: InvalidBase64: " + e.getMessage());
        return 2;
      }
      try {
        doc = E3Import.read(update);
      } catch (UnreadableUpdateException e) {
        err.println("microcosm import: InvalidUpdate: " + e.getMessage());
        return 2;
      }
    }
    E3ToE5.Result r = E3ToE5.map(doc.collections(), owner);
    out.println(Base64.getEncoder().encodeToString(E3Import.toUpdate(r, profile)));
    summary(err, doc, r);
    return 0;
  }

  /** Whether the input is JSON text (its first non-blank character is '{'), the E3 export shape. */
  static boolean isJson(byte[] input) {
    for (byte b : input) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b == '{';
      }
    }
    return false;
  }

  /**
   * The update in {@code input}: base64 text when every byte is a base64 character or whitespace (a
   * raw v1 update starts with a small client count, never one of those), raw bytes otherwise.
   */
  static byte[] updateBytes(byte[] input) {
    if (input.length == 0) {
      throw new IllegalArgumentException(
          "no input: expected a Yjs v1 update (raw bytes or base64)");
    }
    for (byte b : input) {
      boolean text =
          (b >= 'A' && b <= 'Z')
              || (b >= 'a' && b <= 'z')
              || (b >= '0' && b <= '9')
              || b == '+'
              || b == '/'
              || b == '='
              || b == '\n'
              || b == '\r'
              || b == ' '
              || b == '\t';
      if (!text) {
        return input;
      }
    }
    String s = new String(input, java.nio.charset.StandardCharsets.US_ASCII).replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the input looks like base64 text but does not decode (" + e.getMessage() + ")");
    }
  }

  private static void summary(PrintStream err, E3Import.Snapshot doc, E3ToE5.Result r) {
    err.println(
        "import: E3 document: "
            + doc.identities().size()
            + " identit"
            + (doc.identities().size() == 1 ? "y" : "ies")
            + ", "
            + doc.entityCount()
            + " entities, "
            + doc.invalid().size()
            + " invalid value"
            + (doc.invalid().size() == 1 ? "" : "s")
            + " skipped");
    List<String> lines = new ArrayList<>();
    for (InvalidValue v : doc.invalid()) {
      lines.add(v.collection() + "/" + v.key() + ": " + v.reason());
    }
    print(err, lines);
    err.println(
        "import: imported "
            + r.entities().size()
            + ", skipped "
            + r.skipped().size()
            + " with no E5 equivalent");
    lines.clear();
    for (E3ToE5.Skipped s : r.skipped()) {
      lines.add(s.location() + " (" + s.type() + "): " + s.reason());
    }
    print(err, lines);
    for (Map.Entry<String, String> id : r.identityIds().entrySet()) {
      err.println("import: identity " + id.getKey() + " -> " + id.getValue());
    }
    lines.clear();
    lines.addAll(r.notes());
    if (!lines.isEmpty()) {
      err.println("import: notes");
      print(err, lines);
    }
  }

  private static void print(PrintStream err, List<String> lines) {
    for (int i = 0; i < Math.min(MAX_LINES, lines.size()); i++) {
      err.println("  " + lines.get(i));
    }
    if (lines.size() > MAX_LINES) {
      err.println("  ... and " + (lines.size() - MAX_LINES) + " more");
    }
  }
}
