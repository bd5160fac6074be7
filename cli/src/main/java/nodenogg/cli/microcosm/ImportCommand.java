package nodenogg.cli.microcosm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.InvalidEntityException;
import nodenogg.microcosm.MicrocosmId;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;
import nodenogg.ymicrocosm.export.AppExport;

/**
 * {@code ./microcosm import --format app-json [--identity ID] < export.json}: reads the web app's
 * "Export as JSON" file (or ours, {@code export --format app-json}) and prints a base64 Yjs v1
 * update that writes its entities, owned by {@code --identity} (default: the export's {@code
 * identity_id}).
 *
 * <p>{@code ./microcosm import --identity ID [--profile e5|e4] < json}: reads entities as JSON (a
 * SerializedMicrocosm {@code {identityId: {entityId: entity}}} or one collection {@code {entityId:
 * entity}}) and prints a base64 Yjs v1 update that writes them, owned by {@code ID}, in the web
 * app's layout. Invalid entities are skipped and counted on stderr.
 *
 * <p>{@code ./microcosm import --backend automerge --identity ID [--microcosm ID] [--out FILE] <
 * json}: the same entities written as an Automerge document in the layout of {@code
 * docs/automerge-layout.md} (its saved form: base64 on stdout, or the binary file {@code --out}, as
 * automerge-repo stores documents).
 *
 * <p>{@code ./microcosm import --from e3 [--identity ID] [--profile e5|e4] [--update FILE]} imports
 * a document of the E3 web app instead (see {@link E3ImportCommand}).
 */
public final class ImportCommand implements Command {
  static final String USAGE =
      "./microcosm import --identity ID [--profile e5|e4] < entities.json, or"
          + " ./microcosm import --backend automerge --identity ID [--microcosm ID] [--out FILE] < entities.json, or"
          + " ./microcosm import --format app-json [--identity ID] < export.json, or "
          + E3ImportCommand.USAGE;

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err)
      throws IOException {
    Args a =
        new Args(
            "import",
            args,
            Set.of(
                "identity", "profile", "from", "update", "format", "backend", "microcosm", "out"));
    String backend = a.get("backend") == null ? "yjs" : a.get("backend");
    if (!List.of("yjs", "automerge").contains(backend)) {
      throw new UsageException(
          "--backend must be yjs or automerge, got '" + backend + "'; usage: " + USAGE);
    }
    if (backend.equals("automerge") && (a.get("format") != null || a.get("from") != null)) {
      throw new UsageException(
          "--backend automerge reads JSON entities (not --format or --from); usage: " + USAGE);
    }
    if (!backend.equals("automerge") && (a.get("microcosm") != null || a.get("out") != null)) {
      throw new UsageException(
          "--microcosm and --out are for --backend automerge; usage: " + USAGE);
    }
    String format = a.get("format");
    if (format != null) {
      if (!format.equals("app-json")) {
        throw new UsageException(
            "--format must be app-json (the web app's JSON export), got '" + format + "'");
      }
      return importAppJson(a, in, out, err);
    }
    String from = a.get("from");
    if (from != null) {
      if (!from.equals("e3")) {
        throw new UsageException(
            "--from must be e3 (the only older era with an importer), got '" + from + "'");
      }
      return E3ImportCommand.run(a, in, out, err);
    }
    if (a.get("update") != null) {
      throw new UsageException(
          "--update is for --from e3; JSON entities are read from stdin; usage: " + USAGE);
    }
    String identity = a.require("identity", USAGE);
    if (!IdentityId.isValid(identity)) {
      err.println(
          "microcosm import: InvalidIdentity: '"
              + identity
              + "' is not an identity id ('@' + 16 letters or digits)");
      return 2;
    }
    SchemaProfile profile = a.profile();
    MicrocosmJson.Parsed parsed;
    try {
      parsed = MicrocosmJson.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), profile);
    } catch (InvalidEntityException e) {
      err.println("microcosm import: InvalidJson: " + e.getMessage());
      return 2;
    }
    Map<String, Entity> byId = new LinkedHashMap<>();
    for (Map<String, Entity> coll : parsed.collections().values()) {
      for (Entity e : coll.values()) {
        byId.put(e.id(), new Entity(e.id(), identity, e.created(), e.lastEdited(), e.data()));
      }
    }
    if (backend.equals("automerge")) {
      String microcosm =
          a.get("microcosm") == null ? ExportCommand.DEFAULT_MICROCOSM : a.get("microcosm");
      if (!MicrocosmId.isValid(microcosm)) {
        err.println(
            "microcosm import: InvalidMicrocosm: '"
                + microcosm
                + "' is not a microcosm id (letters and digits)");
        return 2;
      }
      byte[] saved = AutomergeBackend.save(microcosm, identity, new ArrayList<>(byId.values()));
      if (a.get("out") != null) {
        java.nio.file.Files.write(java.nio.file.Paths.get(a.get("out")), saved);
        err.println(
            "import: wrote an Automerge document of "
                + byId.size()
                + " entities to "
                + a.get("out"));
      } else {
        out.println(Base64.getEncoder().encodeToString(saved));
      }
      ExportCommand.report(err, "import", List.copyOf(parsed.skipped()));
      return 0;
    }
    try (YMicrocosm m = YMicrocosm.open("import", MicrocosmOptions.defaults().profile(profile))) {
      m.identify(identity);
      m.importEntities(new ArrayList<>(byId.values()));
      out.println(Base64.getEncoder().encodeToString(m.encodeStateAsUpdate()));
    }
    ExportCommand.report(err, "import", List.copyOf(parsed.skipped()));
    return 0;
  }

  private static int importAppJson(Args a, InputStream in, PrintStream out, PrintStream err)
      throws IOException {
    AppExport.JsonExport export;
    try {
      export = AppExport.readJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      err.println("microcosm import: InvalidExport: " + e.getMessage());
      return 2;
    }
    String identity = a.get("identity") == null ? export.identityId() : a.get("identity");
    if (!IdentityId.isValid(identity)) {
      err.println(
          "microcosm import: InvalidIdentity: '"
              + identity
              + "' is not an identity id ('@' + 16 letters or digits)");
      return 2;
    }
    List<Entity> mine = new ArrayList<>();
    for (Entity e : export.entities()) {
      mine.add(new Entity(e.id(), identity, e.created(), e.lastEdited(), e.data()));
    }
    try (YMicrocosm m = YMicrocosm.open("import", MicrocosmOptions.defaults())) {
      m.identify(identity);
      m.importEntities(mine);
      out.println(Base64.getEncoder().encodeToString(m.encodeStateAsUpdate()));
    }
    err.println(
        "import: "
            + mine.size()
            + " entities of microcosm "
            + export.microcosmId()
            + " for "
            + identity);
    if (!export.skipped().isEmpty()) {
      err.println(
          "import: skipped "
              + export.skipped().size()
              + " invalid value"
              + (export.skipped().size() == 1 ? "" : "s"));
      export.skipped().forEach((k, v) -> err.println("  " + k + ": " + v));
    }
    return 0;
  }
}
