package nodenogg.cli.microcosm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.MicrocosmAPI;
import nodenogg.microcosm.MicrocosmId;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;
import nodenogg.ymicrocosm.export.AppExport;

/**
 * {@code ./microcosm export [--format json|app-json|markdown|rtf] --update FILE [--microcosm ID]
 * [--identity ID] [--profile e5|e4] [--out PATH]}: reads a base64 Yjs v1 update of a microcosm
 * document ({@code -} = stdin) and writes it out.
 *
 * <ul>
 *   <li>{@code json} (default): {@code {identityId: {entityId: entity}}}, every collection.
 *   <li>{@code app-json}: the web app's "Export as JSON" of one identity's collection ({@code
 *       --identity}, default the first collection): {@code microcosm_id} ({@code --microcosm},
 *       default {@value #DEFAULT_MICROCOSM}), {@code generated_at}, {@code app_version}, {@code
 *       identity_id}, {@code entities}.
 *   <li>{@code markdown}, {@code rtf}: the web app's zip downloads ({@code YYYY-MM-DD-<slug>.md}
 *       files and a README; {@code .rtf} files, {@code all-nodes.rtf} and a README), to {@code
 *       --out} (a file, or a directory to get the app's file name) or stdout.
 * </ul>
 *
 * Values that fail validation are skipped; their count (and the first reasons) go to stderr.
 *
 * <p>{@code --backend automerge}: {@code FILE} is an Automerge document in the layout of {@code
 * docs/automerge-layout.md} — binary (a saved document, as automerge-repo stores it) or base64 —
 * read by {@code AutomergeMicrocosm}; every format above works on it.
 */
public final class ExportCommand implements Command {
  static final String USAGE =
      "./microcosm export [--backend yjs|automerge] [--format json|app-json|markdown|rtf]"
          + " --update FILE [--microcosm ID] [--identity ID] [--profile e5|e4] [--out PATH]";
  static final String DEFAULT_MICROCOSM = "untitled";
  private static final int MAX_REASONS = 20;

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err)
      throws IOException {
    Args a =
        new Args(
            "export",
            args,
            Set.of("update", "profile", "format", "microcosm", "identity", "out", "backend"));
    String backend = a.get("backend") == null ? "yjs" : a.get("backend");
    if (!List.of("yjs", "automerge").contains(backend)) {
      throw new UsageException(
          "--backend must be yjs or automerge, got '" + backend + "'; usage: " + USAGE);
    }
    String format = a.get("format") == null ? "json" : a.get("format");
    if (!List.of("json", "app-json", "markdown", "rtf").contains(format)) {
      throw new UsageException(
          "--format must be json, app-json, markdown or rtf, got '"
              + format
              + "'; usage: "
              + USAGE);
    }
    String file = a.require("update", USAGE);
    SchemaProfile profile = a.profile();
    String microcosm = a.get("microcosm") == null ? DEFAULT_MICROCOSM : a.get("microcosm");
    if (!MicrocosmId.isValid(microcosm)) {
      err.println(
          "microcosm export: InvalidMicrocosm: '"
              + microcosm
              + "' is not a microcosm id (letters and digits)");
      return 2;
    }
    if (!format.equals("json") && profile != SchemaProfile.E5) {
      throw new UsageException(
          "--format " + format + " is the current web app's export; it reads --profile e5 only");
    }
    byte[] raw;
    try {
      raw = file.equals("-") ? in.readAllBytes() : Files.readAllBytes(Paths.get(file));
    } catch (NoSuchFileException e) {
      err.println("microcosm export: NoSuchFile: " + file);
      return 2;
    }
    String text = new String(raw, StandardCharsets.UTF_8);
    byte[] update;
    if (backend.equals("automerge") && AutomergeBackend.isBinary(raw)) {
      update = raw; // a saved Automerge document as automerge-repo stores it
    } else {
      try {
        update = Base64.getDecoder().decode(text.replaceAll("\\s+", ""));
      } catch (IllegalArgumentException e) {
        err.println(
            "microcosm export: InvalidBase64: "
                + file
                + " is not base64 ("
                + e.getMessage()
                + ")"
                + (backend.equals("automerge") ? " nor a binary Automerge document" : ""));
        return 2;
      }
    }
    if (backend.equals("automerge") && profile != SchemaProfile.E5) {
      throw new UsageException(
          "--backend automerge stores E5 entities; --profile e4 does not apply");
    }
    try (MicrocosmAPI m =
        backend.equals("automerge")
            ? AutomergeBackend.open(microcosm)
            : YMicrocosm.open(microcosm, MicrocosmOptions.defaults().profile(profile))) {
      try {
        if (m instanceof YMicrocosm y) {
          y.applyUpdate(update);
        } else {
          AutomergeBackend.apply(m, update);
        }
      } catch (RuntimeException e) {
        err.println(
            "microcosm export: InvalidUpdate: "
                + file
                + " is not "
                + (backend.equals("automerge") ? "an Automerge document: " : "a Yjs v1 update: ")
                + e.getMessage());
        return 2;
      }
      Instant now = Instant.now();
      switch (format) {
        case "json":
          out.println(
              MicrocosmJson.write(
                  m instanceof YMicrocosm y ? y.collections() : AutomergeBackend.collections(m),
                  profile));
          break;
        case "app-json":
          {
            String identity = a.get("identity");
            if (identity == null) {
              List<String> collections = AppExport.collections(m);
              if (collections.isEmpty()) {
                err.println(
                    "microcosm export: NoCollection: the document lists no identity; pass --identity ID");
                return 2;
              }
              identity = collections.get(0);
            } else if (!IdentityId.isValid(identity)) {
              err.println(
                  "microcosm export: InvalidIdentity: '"
                      + identity
                      + "' is not an identity id ('@' + 16 letters or digits)");
              return 2;
            }
            String json = AppExport.json(m, microcosm, identity, now);
            if (!write(
                a.get("out"),
                AppExport.jsonFileName(microcosm, now),
                json.getBytes(StandardCharsets.UTF_8),
                out,
                err)) {
              out.println(json);
            }
            break;
          }
        default:
          {
            AppExport.Archive zip =
                format.equals("markdown")
                    ? AppExport.markdown(m, microcosm, now)
                    : AppExport.rtf(m, microcosm, now);
            byte[] bytes = zip.zip();
            if (!write(a.get("out"), zip.name(), bytes, out, err)) {
              out.write(bytes);
              out.flush();
            }
            err.println(
                "export: "
                    + (zip.entries().size() - (format.equals("rtf") ? 2 : 1))
                    + " files in "
                    + (a.get("out") == null
                        ? "the zip on stdout (the app names it " + zip.name() + ")"
                        : "the zip"));
          }
      }
      List<InvalidValue> skipped =
          m instanceof YMicrocosm y ? y.invalidValues() : AutomergeBackend.invalidValues(m);
      report(err, "export", skipped);
    }
    return 0;
  }

  /**
   * Writes {@code bytes} to {@code out} when given: into it under {@code appName} when it is a
   * directory, else as that file. Returns false when no {@code --out} was given.
   */
  private static boolean write(
      String outPath, String appName, byte[] bytes, PrintStream out, PrintStream err)
      throws IOException {
    if (outPath == null) {
      return false;
    }
    Path target = Paths.get(outPath);
    if (Files.isDirectory(target)) {
      target = target.resolve(appName);
    }
    Files.write(target, bytes);
    err.println("export: wrote " + target);
    return true;
  }

  static void report(PrintStream err, String command, List<InvalidValue> skipped) {
    if (skipped.isEmpty()) {
      return;
    }
    err.println(
        command
            + ": skipped "
            + skipped.size()
            + " invalid value"
            + (skipped.size() == 1 ? "" : "s"));
    for (int i = 0; i < Math.min(MAX_REASONS, skipped.size()); i++) {
      InvalidValue v = skipped.get(i);
      err.println("  " + v.collection() + "/" + v.key() + ": " + v.reason());
    }
    if (skipped.size() > MAX_REASONS) {
      err.println("  ... and " + (skipped.size() - MAX_REASONS) + " more");
    }
  }
}
