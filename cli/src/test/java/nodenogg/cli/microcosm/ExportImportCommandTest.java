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
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.ymicrocosm.testing.NodeSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(Command c, String stdin, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        c.run(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static JsonNode normal(JsonNode n) {
    return MicrocosmJson.toNode(MicrocosmJson.toPlain(n));
  }

  @Test
  void exportsTheWebAppDocumentAndCountsSkippedValues() throws Exception {
    JsonNode app = JSON.readTree(NodeSupport.run("app-doc.mjs", "", "e5"));
    Path file = tmp.resolve("doc.b64");
    Files.writeString(file, app.get("update").asText() + "\n");
    Result r = run(new ExportCommand(), "", "--update", file.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(normal(app.get("expected")), normal(JSON.readTree(r.out())));
    assertTrue(
        r.err().startsWith("export: skipped " + app.get("invalid").size() + " invalid values"),
        r.err());
  }

  @Test
  void importWritesTheE5LayoutAndRoundTrips() throws Exception {
    String me = "@cliaaaaaaaaaaaa1";
    String input =
        "{\"ebt4nhr27z8198jp6\": {\"id\":\"ebt4nhr27z8198jp6\",\"identity_id\":\"@someoneelse00001\","
            + "\"lastEdited\":1748000000001,\"created\":1748000000000,\"version\":\"1\","
            + "\"data\":{\"type\":\"html\",\"x\":1,\"y\":2.5,\"width\":200,\"height\":200,\"content\":\"hi\"}},"
            + "\"ebt4nhr27z8198jp7\": {\"id\":\"ebt4nhr27z8198jp7\",\"version\":\"2\"}}";
    Result imp = run(new ImportCommand(), input, "--identity", me);
    assertEquals(0, imp.code(), imp.err());
    assertTrue(imp.err().startsWith("import: skipped 1 invalid value"), imp.err());
    // the web app's rules accept it, under the new owner
    JsonNode check = JSON.readTree(NodeSupport.run("check-doc.mjs", imp.out()));
    assertEquals(0, check.get("errors").size(), check.get("errors").toString());
    JsonNode e = check.get("collections").get(me).get("ebt4nhr27z8198jp6");
    assertEquals(me, e.get("identity_id").asText());
    assertEquals(2.5, e.get("data").get("y").asDouble());
    assertEquals(1748000000001L, e.get("lastEdited").asLong());
    // and export reads it back
    Path file = tmp.resolve("imp.b64");
    Files.writeString(file, imp.out());
    Result exp = run(new ExportCommand(), "", "--update", file.toString());
    assertEquals(0, exp.code(), exp.err());
    assertEquals(normal(check.get("collections")), normal(JSON.readTree(exp.out())));
  }

  @Test
  void badInputGivesExitTwoWithATypedError() throws Exception {
    Path file = tmp.resolve("bad.b64");
    Files.writeString(file, "not base64 !!!");
    Result r = run(new ExportCommand(), "", "--update", file.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("microcosm export: InvalidBase64"), r.err());
    Files.writeString(file, "AQ==");
    r = run(new ExportCommand(), "", "--update", file.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("microcosm export: InvalidUpdate"), r.err());
    r = run(new ExportCommand(), "", "--update", tmp.resolve("missing").toString());
    assertEquals(2, r.code());
    assertThrows(UsageException.class, () -> run(new ExportCommand(), ""));
    assertThrows(
        UsageException.class,
        () -> run(new ImportCommand(), "{}", "--identity", "@x", "--bogus", "1"));
    r = run(new ImportCommand(), "{}", "--identity", "nobody");
    assertEquals(2, r.code());
    r = run(new ImportCommand(), "[", "--identity", "@cliaaaaaaaaaaaa1");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("microcosm import: InvalidJson"), r.err());
  }
}
