package nodenogg.cli.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.crdt.CrdtException;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Json;
import nodenogg.crdt.Updates;
import nodenogg.crdt.encoding.DecodingException;

/**
 * {@code ./microcosm update apply|decode|sv|merge|diff|convert|obfuscate|log}: works on Yjs updates
 * given as base64, one per line on stdin.
 *
 * <ul>
 *   <li>{@code apply [--root NAME=map|array|text|xml]... [--no-gc]}: applies them in order to a
 *       fresh doc, each in its own transaction, and prints {@code {"roots": {...}, "stateVector":
 *       {...}, "update": "<base64 v1>"}}. The roots are asked for after the updates are applied, as
 *       {@code Y.applyUpdate} on a new {@code Y.Doc} followed by {@code doc.getText(name)} does:
 *       Yjs cleans up rich-text formatting after a remote update only in texts already declared, so
 *       declaring them first could give other bytes than Yjs gives.
 *   <li>{@code apply --jsonl}: one job per input line, {@code {"updates": [b64...], "format": "v1",
 *       "roots": {NAME: kind}}}, one output line each, or {@code {"error": "<type>: <message>"}};
 *       goes on with the next line.
 *   <li>{@code decode}: per update, its structs and delete set as JSON (like Yjs decodeUpdate).
 *   <li>{@code sv [--v2]}: the state vector after applying the updates, as {@code {"stateVector":
 *       {...}, "encoded": "<base64>"}}; {@code sv --from-update [--v2]}: the state vector of each
 *       update itself (Yjs encodeStateVectorFromUpdate) as base64, one line each; {@code --json}
 *       prints that JSON view instead.
 *   <li>{@code merge [--v2]}: one base64 update merging all input updates (Yjs mergeUpdates).
 *   <li>{@code diff --sv <b64> [--v2]}: per input update, the part a holder of that state vector
 *       lacks.
 *   <li>{@code convert --to v1|v2}: per input update, re-encoded in the other format.
 *   <li>{@code obfuscate [--v2] [--no-formatting] [--no-subdocs] [--no-yxml]}: per input update,
 *       the same update with its content replaced by placeholders (Yjs obfuscateUpdate), to share a
 *       failing document safely.
 *   <li>{@code log [--v2]}: per input update, a readable listing of its structs and delete set (Yjs
 *       logUpdate).
 * </ul>
 *
 * {@code --v2} means the input (and output) updates use update format v2. Exit codes: 0 ok, 2 bad
 * input or usage (one line on stderr naming the update, byte offset and what was expected), 1
 * anything else. An xml root prints as its XML string (Yjs XmlFragment.toJSON()). Stateless; one
 * instance per run.
 */
public final class UpdateCommand implements Command {
  private static final String USAGE =
      "usage: update apply [--v2] [--jsonl] [--root NAME=map|array|text|xml]... [--no-gc]"
          + " | update decode [--v2] | update sv [--from-update] [--json] [--v2] | update merge [--v2] | update diff --sv B64 [--v2]"
          + " | update convert --to v1|v2 | update obfuscate [--v2] [--no-formatting] [--no-subdocs] [--no-yxml]"
          + " | update log [--v2]";

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err)
      throws IOException {
    if (args.length == 0) throw new UsageException(USAGE);
    try {
      switch (args[0]) {
        case "apply":
          return apply(args, in, out);
        case "decode":
          return decode(args, in, out);
        case "sv":
          return sv(args, in, out);
        case "merge":
          return UpdateFunctions.merge(args, in, out);
        case "diff":
          return UpdateFunctions.diff(args, in, out);
        case "convert":
          return UpdateFunctions.convert(args, in, out);
        case "obfuscate":
          return UpdateFunctions.obfuscate(args, in, out);
        case "log":
          return UpdateFunctions.log(args, in, out);
        default:
          throw new UsageException("unknown subcommand '" + args[0] + "'; " + USAGE);
      }
    } catch (BadInputException e) {
      err.println("microcosm update: bad input: " + typeOf(e) + ": " + e.getMessage());
      return 2;
    }
  }

  private int apply(String[] args, InputStream in, PrintStream out)
      throws IOException, BadInputException {
    RootSpec roots = null;
    boolean gc = true;
    boolean jsonl = false;
    boolean v2 = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--v2")) v2 = true;
      else if (a.equals("--no-gc")) gc = false;
      else if (a.equals("--jsonl")) jsonl = true;
      else if (a.equals("--root") && i + 1 < args.length) {
        if (roots == null) roots = new RootSpec();
        roots.add(args[++i]);
      } else if (a.startsWith("--root=")) {
        if (roots == null) roots = new RootSpec();
        roots.add(a.substring("--root=".length()));
      } else throw new UsageException("unknown option '" + a + "'; " + USAGE);
    }
    if (roots == null) roots = RootSpec.defaults();
    if (jsonl) return applyJsonl(in, out, roots, gc, v2);
    List<byte[]> updates = readUpdates(in);
    Doc doc = fresh(gc);
    for (int i = 0; i < updates.size(); i++) applyOne(doc, updates.get(i), i, v2);
    out.println(DocJson.render(doc, roots));
    return 0;
  }

  private int applyJsonl(
      InputStream in, PrintStream out, RootSpec defaults, boolean gc, boolean v2Default)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) continue;
      try {
        JsonNode job = mapper.readTree(line);
        if (job == null || !job.isObject() || !job.path("updates").isArray()) {
          throw new BadInputException(
              "line "
                  + lineNo
                  + ": expected {\"updates\": [base64...], \"format\": \"v1\", \"roots\": {...}}");
        }
        String format = job.path("format").asText(v2Default ? "v2" : "v1");
        if (!format.equals("v1") && !format.equals("v2")) {
          throw new BadInputException(
              "line " + lineNo + ": format must be \"v1\" or \"v2\", got '" + format + "'");
        }
        RootSpec roots = defaults;
        if (job.path("roots").isObject()) {
          roots = new RootSpec();
          Iterator<Map.Entry<String, JsonNode>> it = job.path("roots").fields();
          while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            roots.put(e.getKey(), e.getValue().asText());
          }
        }
        Doc doc = fresh(gc);
        int i = 0;
        for (JsonNode u : job.path("updates")) {
          applyOne(doc, base64(u.asText(), "update #" + i), i, format.equals("v2"));
          i++;
        }
        out.println(DocJson.render(doc, roots));
      } catch (BadInputException e) {
        out.println(
            "{\"error\":"
                + Json.stringify(typeOf(e) + ": line " + lineNo + ": " + e.getMessage())
                + "}");
      } catch (UsageException e) {
        out.println(
            "{\"error\":"
                + Json.stringify("UsageException: line " + lineNo + ": " + e.getMessage())
                + "}");
      } catch (IOException | RuntimeException e) {
        // bad JSON, or an engine failure: report it for this line and go on with the next
        String msg = String.valueOf(e.getMessage()).split("\n")[0];
        out.println(
            "{\"error\":"
                + Json.stringify(e.getClass().getSimpleName() + ": line " + lineNo + ": " + msg)
                + "}");
      }
      out.flush();
    }
    return 0;
  }

  private int decode(String[] args, InputStream in, PrintStream out)
      throws IOException, BadInputException {
    boolean v2 = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--v2")) v2 = true;
      else throw new UsageException("unknown option '" + args[i] + "'; " + USAGE);
    }
    List<byte[]> updates = readUpdates(in);
    for (int i = 0; i < updates.size(); i++) {
      try {
        byte[] u = v2 ? Updates.convertUpdateFormatV2ToV1(updates.get(i)) : updates.get(i);
        out.println(DocJson.value(UpdateDump.decode(u)));
      } catch (DecodingException e) {
        throw new BadInputException("update #" + i + ": " + describe(e), e);
      } catch (CrdtException e) {
        throw new BadInputException("update #" + i + ": " + describe(e), e);
      }
    }
    return 0;
  }

  private int sv(String[] args, InputStream in, PrintStream out)
      throws IOException, BadInputException {
    boolean v2 = false;
    boolean fromUpdate = false;
    boolean json = false;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--v2")) v2 = true;
      else if (args[i].equals("--from-update")) fromUpdate = true;
      else if (args[i].equals("--json")) json = true;
      else throw new UsageException("unknown option '" + args[i] + "'; " + USAGE);
    }
    List<byte[]> updates = readUpdates(in);
    if (fromUpdate) {
      for (int i = 0; i < updates.size(); i++) {
        byte[] sv;
        try {
          sv =
              v2
                  ? Updates.encodeStateVectorFromUpdateV2(updates.get(i))
                  : Updates.encodeStateVectorFromUpdate(updates.get(i));
        } catch (CrdtException e) {
          throw new BadInputException("update #" + i + ": " + describe(e), e);
        }
        if (json) printSv(out, sv);
        else out.println(Base64.getEncoder().encodeToString(sv));
      }
      return 0;
    }
    Doc doc = new Doc(new Doc.Options().clientId(0).gc(true));
    for (int i = 0; i < updates.size(); i++) applyOne(doc, updates.get(i), i, v2);
    printSv(out, Updates.encodeStateVector(doc));
    return 0;
  }

  private static void printSv(PrintStream out, byte[] sv) {
    out.println(
        "{\"stateVector\":"
            + DocJson.stateVector(sv)
            + ",\"encoded\":\""
            + Base64.getEncoder().encodeToString(sv)
            + "\"}");
  }

  /**
   * A doc with no root declared yet: {@link DocJson#render} asks for the roots once the updates are
   * in.
   */
  private static Doc fresh(boolean gc) {
    // client id 0: never used for writing, so the output does not depend on a random id
    return new Doc(new Doc.Options().clientId(0).gc(gc));
  }

  private static void applyOne(Doc doc, byte[] update, int index, boolean v2)
      throws BadInputException {
    try {
      if (v2) Updates.applyUpdateV2(doc, update);
      else Updates.applyUpdate(doc, update);
    } catch (DecodingException e) {
      throw new BadInputException("update #" + index + ": " + describe(e), e);
    } catch (CrdtException e) {
      throw new BadInputException("update #" + index + ": " + describe(e), e);
    }
  }

  /** The engine's message already names the byte offset and what was expected there. */
  static String describe(RuntimeException e) {
    return e.getMessage();
  }

  /** The type shown for a bad input: the underlying exception's class (DecodingException, ...). */
  static String typeOf(BadInputException e) {
    return e.getCause() instanceof RuntimeException
        ? e.getCause().getClass().getSimpleName()
        : "BadInput";
  }

  static List<byte[]> readUpdates(InputStream in) throws IOException, BadInputException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    List<byte[]> out = new ArrayList<>();
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      String t = line.trim();
      if (t.isEmpty()) continue;
      out.add(base64(t, "update #" + out.size() + " (line " + lineNo + ")"));
    }
    return out;
  }

  private static byte[] base64(String s, String what) throws BadInputException {
    try {
      return Base64.getDecoder().decode(s.trim());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(what + ": not base64: " + e.getMessage());
    }
  }
}
