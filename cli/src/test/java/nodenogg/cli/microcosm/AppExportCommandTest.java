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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.ymicrocosm.testing.NodeSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./microcosm export --format json|app-json|markdown|rtf} and {@code import --format
 * app-json} on the document the web app writes (js/microcosm/app-doc.mjs); the formats themselves
 * are compared with the app's rules in y-microcosm's AppExportInteropTest.
 */
class AppExportCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ALICE = "@kx3aaaaaaaaaaaa1";
  static final String BOB = "@kx3bbbbbbbbbbbb2";
  @TempDir Path tmp;
  Path doc;

  record Result(int code, byte[] out, String err) {
    String text() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  static Result run(Command c, String stdin, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        c.run(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  static List<String> entries(byte[] zip) throws Exception {
    List<String> names = new ArrayList<>();
    try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = z.getNextEntry()) != null) {
        names.add(e.getName());
      }
    }
    return names;
  }

  @BeforeEach
  void document() throws Exception {
    JsonNode app = JSON.readTree(NodeSupport.run("app-doc.mjs", "", "e5"));
    doc = tmp.resolve("doc.b64");
    Files.writeString(doc, app.get("update").asText());
  }

  @Test
  void appJsonDefaultsAndFlags() throws Exception {
    Result r = run(new ExportCommand(), "", "--format", "app-json", "--update", doc.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode j = JSON.readTree(r.text());
    assertEquals(
        List.of("microcosm_id", "generated_at", "app_version", "identity_id", "entities"),
        fields(j));
    assertEquals("untitled", j.get("microcosm_id").asText());
    assertEquals("0.0.1", j.get("app_version").asText());
    assertEquals(ALICE, j.get("identity_id").asText(), "the first collection");
    assertTrue(
        r.text().startsWith("{\n  \"microcosm_id\": \"untitled\",\n"),
        "indented as JSON.stringify(x, null, 2)");
    j.get("entities").forEach(e -> assertEquals(ALICE, e.get("identity_id").asText()));

    Result bob =
        run(
            new ExportCommand(),
            "",
            "--format",
            "app-json",
            "--update",
            doc.toString(),
            "--microcosm",
            "workshop1",
            "--identity",
            BOB);
    JsonNode b = JSON.readTree(bob.text());
    assertEquals("workshop1", b.get("microcosm_id").asText());
    assertEquals(BOB, b.get("identity_id").asText());
    assertTrue(b.get("entities").size() > 0);

    // json stays the default format
    assertEquals(
        JSON.readTree(run(new ExportCommand(), "", "--update", doc.toString()).text()),
        JSON.readTree(
            run(new ExportCommand(), "", "--format", "json", "--update", doc.toString()).text()));
    assertThrows(
        UsageException.class,
        () -> run(new ExportCommand(), "", "--format", "pdf", "--update", doc.toString()));
    assertEquals(
        2,
        run(
                new ExportCommand(),
                "",
                "--format",
                "app-json",
                "--update",
                doc.toString(),
                "--microcosm",
                "no spaces")
            .code());
  }

  private static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void appJsonRoundTripsThroughImport() throws Exception {
    Result first =
        run(
            new ExportCommand(),
            "",
            "--format",
            "app-json",
            "--update",
            doc.toString(),
            "--identity",
            BOB);
    Result imported = run(new ImportCommand(), first.text(), "--format", "app-json");
    assertEquals(0, imported.code(), imported.err());
    Path again = tmp.resolve("again.b64");
    Files.writeString(again, imported.text().trim());
    Result second =
        run(new ExportCommand(), "", "--format", "app-json", "--update", again.toString());
    JsonNode a = JSON.readTree(first.text());
    JsonNode b = JSON.readTree(second.text());
    assertEquals(a.get("identity_id"), b.get("identity_id"), "the export's identity by default");
    assertEquals(a.get("entities"), b.get("entities"), "every entity back, unchanged");
    // to another identity
    Result moved =
        run(
            new ImportCommand(),
            first.text(),
            "--format",
            "app-json",
            "--identity",
            "@newownernewowner");
    Files.writeString(again, moved.text().trim());
    JsonNode c =
        JSON.readTree(
            run(new ExportCommand(), "", "--format", "app-json", "--update", again.toString())
                .text());
    assertEquals("@newownernewowner", c.get("identity_id").asText());
    assertEquals(a.get("entities").size(), c.get("entities").size());
    assertEquals(2, run(new ImportCommand(), "{\"nope\":1}", "--format", "app-json").code());
  }

  @Test
  void markdownAndRtfZips() throws Exception {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    Result md =
        run(
            new ExportCommand(),
            "",
            "--format",
            "markdown",
            "--update",
            doc.toString(),
            "--out",
            tmp.toString());
    assertEquals(0, md.code(), md.err());
    Path zip = tmp.resolve("microcosm-untitled-markdown-" + today + ".zip");
    assertTrue(Files.exists(zip), md.err());
    List<String> names = entries(Files.readAllBytes(zip));
    assertEquals("README.md", names.get(0));
    assertTrue(
        names.size() > 2
            && names.subList(1, names.size()).stream()
                .allMatch(n -> n.matches("\\d{4}-\\d{2}-\\d{2}-.+\\.md")),
        names.toString());
    Result toStdout =
        run(new ExportCommand(), "", "--format", "markdown", "--update", doc.toString());
    assertEquals(names, entries(toStdout.out()), "the same zip on stdout");

    Path rtfFile = tmp.resolve("notes.zip");
    Result rtf =
        run(
            new ExportCommand(),
            "",
            "--format",
            "rtf",
            "--update",
            doc.toString(),
            "--out",
            rtfFile.toString());
    assertEquals(0, rtf.code(), rtf.err());
    List<String> rtfNames = entries(Files.readAllBytes(rtfFile));
    assertEquals(List.of("README.txt", "all-nodes.rtf"), rtfNames.subList(0, 2));
    assertTrue(
        rtfNames.subList(2, rtfNames.size()).stream().allMatch(n -> n.endsWith(".rtf")),
        rtfNames.toString());
  }
}
