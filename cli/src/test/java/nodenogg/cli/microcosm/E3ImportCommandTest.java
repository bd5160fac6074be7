package nodenogg.cli.microcosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import nodenogg.cli.UsageException;
import nodenogg.ymicrocosm.testing.NodeSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import --from e3}: an E3 document from the real yjs (js/microcosm/e3-doc.mjs) becomes an
 * E5 update the web app's rules accept.
 */
class E3ImportCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(byte[] stdin, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new ImportCommand()
            .run(
                args,
                new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Set<String> names(JsonNode n) {
    Set<String> s = new TreeSet<>();
    n.fieldNames().forEachRemaining(s::add);
    return s;
  }

  @Test
  void rawE3UpdateOnStdinBecomesAnE5DocumentWithASummary() throws Exception {
    JsonNode app = JSON.readTree(NodeSupport.run("e3-doc.mjs", ""));
    byte[] raw = Base64.getDecoder().decode(app.get("update").asText());
    Result r = run(raw, "--from", "e3");
    assertEquals(0, r.code(), r.err());
    JsonNode check = JSON.readTree(NodeSupport.run("check-doc.mjs", r.out()));
    assertEquals(0, check.get("errors").size(), check.get("errors").toString());
    assertEquals(2, check.get("collections").size());
    int total = 0;
    for (JsonNode c : check.get("collections")) {
      total += c.size();
    }
    int entities = 0;
    for (JsonNode c : app.get("expected")) {
      entities += c.size();
    }
    assertEquals(app.get("mapping").size(), total);
    assertTrue(
        r.err()
            .startsWith(
                "import: E3 document: 2 identities, "
                    + entities
                    + " entities, "
                    + app.get("invalid").size()
                    + " invalid values skipped\n"),
        r.err());
    assertTrue(
        r.err()
            .contains(
                "import: imported "
                    + total
                    + ", skipped "
                    + app.get("skipped").size()
                    + " with no E5 equivalent\n"),
        r.err());
    for (JsonNode s : app.get("skipped")) {
      assertTrue(r.err().contains("  " + s.asText() + " ("), s.asText() + " in\n" + r.err());
    }
    for (String identity : names(app.get("expected"))) {
      assertTrue(
          r.err()
              .lines()
              .anyMatch(
                  l ->
                      l.startsWith("import: identity " + identity + " -> ")
                          && check.get("collections").has(l.substring(l.lastIndexOf(' ') + 1))),
          identity + " in\n" + r.err());
    }
    // the note text survives the trip
    assertTrue(check.toString().contains("<p>hello <b>world</b> ❤️</p>"));
  }

  @Test
  void base64FileWithOneOwnerAndTheE4Profile() throws Exception {
    JsonNode app = JSON.readTree(NodeSupport.run("e3-doc.mjs", ""));
    Path file = tmp.resolve("e3.b64");
    Files.writeString(file, app.get("update").asText() + "\n");
    String me = "@cliaaaaaaaaaaaa1";
    Result r = run(new byte[0], "--from", "e3", "--identity", me, "--update", file.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode check = JSON.readTree(NodeSupport.run("check-doc.mjs", r.out()));
    assertEquals(0, check.get("errors").size(), check.get("errors").toString());
    assertEquals(Set.of(me), names(check.get("collections")));
    assertEquals(app.get("mapping").size(), check.get("collections").get(me).size());
    Result e4 =
        run(
            app.get("update").asText().getBytes(StandardCharsets.US_ASCII),
            "--from",
            "e3",
            "--identity",
            me,
            "--profile",
            "e4");
    assertEquals(0, e4.code(), e4.err());
    JsonNode check4 = JSON.readTree(NodeSupport.run("check-doc.mjs", e4.out(), "e4"));
    assertEquals(0, check4.get("errors").size(), check4.get("errors").toString());
    assertEquals(app.get("mapping").size(), check4.get("collections").get(me).size());
  }

  @Test
  void e3ExportJsonOnStdin() throws Exception {
    JsonNode app = JSON.readTree(NodeSupport.run("e3-doc.mjs", ""));
    Result r =
        run(
            ("  " + app.get("expected").toString()).getBytes(StandardCharsets.UTF_8),
            "--from",
            "e3");
    assertEquals(0, r.code(), r.err());
    JsonNode check = JSON.readTree(NodeSupport.run("check-doc.mjs", r.out()));
    assertEquals(0, check.get("errors").size(), check.get("errors").toString());
    int total = 0;
    for (JsonNode c : check.get("collections")) {
      total += c.size();
    }
    assertEquals(app.get("mapping").size(), total);
    assertTrue(r.err().contains(" 0 invalid values skipped\n"), r.err());
    r = run("{\"@x\": [".getBytes(StandardCharsets.UTF_8), "--from", "e3");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("microcosm import: InvalidJson"), r.err());
  }

  @Test
  void badInputGivesExitTwoAndUsageErrors() throws Exception {
    Result r = run(new byte[] {1, 2, 3, (byte) 0xff}, "--from", "e3");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("microcosm import: InvalidUpdate: not a Yjs v1 update"), r.err());
    r = run("a\n".getBytes(StandardCharsets.US_ASCII), "--from", "e3");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("microcosm import: InvalidBase64"), r.err());
    r = run(new byte[0], "--from", "e3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no input"), r.err());
    r = run(new byte[] {0, 0}, "--from", "e3", "--identity", "@x");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("microcosm import: InvalidIdentity"), r.err());
    r = run(new byte[0], "--from", "e3", "--update", tmp.resolve("missing").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("microcosm import: NoSuchFile"), r.err());
    // an empty document imports to an empty one
    r = run(new byte[] {0, 0}, "--from", "e3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().startsWith("import: E3 document: 0 identities, 0 entities"), r.err());
    assertThrows(UsageException.class, () -> run(new byte[0], "--from", "e2"));
    assertThrows(
        UsageException.class,
        () -> run(new byte[0], "--identity", "@cliaaaaaaaaaaaa1", "--update", "f"));
  }
}
