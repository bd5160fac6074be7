package nodenogg.ymicrocosm.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityData;
import nodenogg.microcosm.HtmlData;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;
import nodenogg.ymicrocosm.testing.NodeSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The three downloads of the web app, made by {@link AppExport} and by the app's rules run in Node
 * ({@code js/appexport/export.mjs}: the real yjs, valibot, versioned-schema and JSZip of v0.3.40)
 * on the same document, compared exactly: the JSON text, and each zip's entry names, order and
 * bytes.
 */
class AppExportInteropTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant AT = Instant.ofEpochMilli(1_750_000_000_123L);

  static List<AppExport.File> unzip(byte[] zip) throws IOException {
    List<AppExport.File> out = new ArrayList<>();
    try (ZipInputStream z =
        new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
      ZipEntry e;
      while ((e = z.getNextEntry()) != null) {
        out.add(
            new AppExport.File(e.getName(), new String(z.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  /** Runs both sides on {@code update} and compares everything; returns the Node output. */
  static JsonNode compare(byte[] update, String microcosmId, String identity) throws Exception {
    return compare(update, microcosmId, identity, json -> json);
  }

  /**
   * As {@link #compare(byte[], String, String)}, with a known difference taken out of the app's
   * JSON first.
   */
  static JsonNode compare(
      byte[] update,
      String microcosmId,
      String identity,
      java.util.function.UnaryOperator<String> knownJsonDifference)
      throws Exception {
    Path js = NodeSupport.jsDir();
    Assumptions.assumeTrue(
        Files.isDirectory(js.resolve("appexport/node_modules/valibot")),
        "skipped: js/appexport/node_modules missing (run bash js/install.sh)");
    Path input = Files.createTempFile("appexport", ".json");
    try {
      Files.writeString(
          input,
          JSON.writeValueAsString(
                  java.util.Map.of(
                      "update",
                      Base64.getEncoder().encodeToString(update),
                      "microcosmId",
                      microcosmId,
                      "generatedAt",
                      AT.toEpochMilli()))
              .replace(
                  "}",
                  identity == null
                      ? ",\"identityId\":null}"
                      : ",\"identityId\":\"" + identity + "\"}"));
      JsonNode app =
          JSON.readTree(NodeSupport.run("../appexport/export.mjs", "", input.toString()));
      try (YMicrocosm m = YMicrocosm.open(microcosmId, MicrocosmOptions.defaults())) {
        m.applyUpdate(update);
        List<String> collections = new ArrayList<>();
        app.get("collections").forEach(c -> collections.add(c.asText()));
        assertEquals(collections, AppExport.collections(m), "collections in the app's order");
        String who =
            identity != null ? identity : collections.isEmpty() ? null : collections.get(0);
        if (who != null) {
          assertEquals(
              knownJsonDifference.apply(app.get("json").asText()),
              AppExport.json(m, microcosmId, who, AT),
              "JSON export of " + who);
        }
        AppExport.Archive md = AppExport.markdown(m, microcosmId, AT);
        assertEquals(app.at("/markdown/name").asText(), md.name());
        assertEquals(
            unzip(Base64.getDecoder().decode(app.at("/markdown/zip").asText())),
            md.entries(),
            "Markdown zip");
        assertEquals(md.entries(), unzip(md.zip()), "our zip holds the entries");
        AppExport.Archive rtf = AppExport.rtf(m, microcosmId, AT);
        assertEquals(app.at("/rtf/name").asText(), rtf.name());
        assertEquals(
            unzip(Base64.getDecoder().decode(app.at("/rtf/zip").asText())),
            rtf.entries(),
            "RTF zip");
      }
      return app;
    } finally {
      Files.deleteIfExists(input);
    }
  }

  @Test
  void edgeCasesWrittenByTheRealYjs() throws Exception {
    byte[] update =
        Base64.getDecoder().decode(NodeSupport.run("../appexport/edge-doc.mjs", "").trim());
    JsonNode app = compare(update, "edgecases", null);
    // the document holds what the comparison is meant to exercise
    List<AppExport.File> md = unzip(Base64.getDecoder().decode(app.at("/markdown/zip").asText()));
    String names = md.toString();
    assertTrue(names.contains("2025-05-23-psame-first-linep.md"), names);
    assertTrue(names.contains("10000-01-01") || names.contains("+010000-01-01"), names);
    assertTrue(
        md.stream().noneMatch(f -> f.content().contains("beyond a JS Date")),
        "the app skips an entity it cannot date");
    assertTrue(
        md.stream().noneMatch(f -> f.content().contains("too long tag")),
        "valibot rejects a 31-character tag");
    compare(update, "edgecases", "@annaaaaaaaaaaaa1");
  }

  /**
   * The one known difference: our entity model keeps timestamps as whole milliseconds, so a
   * fractional {@code created}/{@code lastEdited} (which the app's schema accepts but the app never
   * writes: it stamps {@code Date.now()}) is exported truncated. Dates in file names and front
   * matter agree (JS truncates too).
   */
  @Test
  void fractionalTimestampsAreTheOneKnownDifference() throws Exception {
    byte[] update =
        Base64.getDecoder()
            .decode(NodeSupport.run("../appexport/edge-doc.mjs", "", "fractions").trim());
    compare(
        update,
        "edgecases",
        "@annaaaaaaaaaaaa1",
        json -> {
          assertTrue(
              json.contains("\"lastEdited\": 1748000000001.5")
                  && json.contains("\"created\": 1748000000000.75"),
              json);
          return json.replace("1748000000001.5", "1748000000001")
              .replace("1748000000000.75", "1748000000000");
        });
  }

  @Test
  void theAppsOwnDocument() throws Exception {
    JsonNode out = JSON.readTree(NodeSupport.run("app-doc.mjs", "", "e5"));
    compare(Base64.getDecoder().decode(out.get("update").asText()), "workshop", null);
  }

  private static final String[] PIECES = {
    "<p>",
    "</p>",
    "<h1>",
    "</h1>",
    "<h2 class=\"t\">",
    "</h2>",
    "<h6>",
    "</h6>",
    "<strong>",
    "</strong>",
    "<b>",
    "</b>",
    "<B>",
    "<em>",
    "</em>",
    "<i>",
    "</i>",
    "<br>",
    "<br/>",
    "<BR >",
    "<code>",
    "</code>",
    "<pre>",
    "</pre>",
    "<a href=\"https://a.example/x?y=1\">",
    "<a href='b'>",
    "</a>",
    "<ul>",
    "</ul>",
    "<ol>",
    "</ol>",
    "<li>",
    "</li>",
    "<ul data-type=\"taskList\">",
    "<li data-type=\"taskItem\" data-checked=\"true\">",
    "<li data-type=\"taskItem\" data-checked=\"false\">",
    "<li data-type=\"taskItem\">",
    "<blockquote>",
    "</blockquote>",
    "<img src=\"s.png\" alt=\"alt\">",
    "<img alt='a' src='t.png'/>",
    "<img src=\"u.png\">",
    "<hr>",
    "<hr/>",
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
    "</td>",
    "<th>",
    "</th>",
    "<span style=\"x\">",
    "</span>",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&#39;",
    "&nbsp;",
    "&amp;lt;",
    "{",
    "}",
    "\\",
    "$1",
    "$&",
    "$$",
    "é",
    "ß",
    "❤️",
    "😀",
    "\u2028",
    "\u00a0",
    "\u3000",
    "\ufeff",
    "\r\n",
    "\n",
    "\n\n\n",
    "\t",
    " ",
    "  ",
    "word",
    "Hello World",
    "_x_",
    "-",
    "--",
    "中文",
    "<",
    ">",
    "\"",
    "'",
    "<p",
    "x>"
  };

  static String randomHtml(Random r) {
    StringBuilder b = new StringBuilder();
    int n = r.nextInt(25);
    for (int i = 0; i < n; i++) {
      b.append(PIECES[r.nextInt(PIECES.length)]);
    }
    return b.toString();
  }

  static long randomTime(Random r) {
    switch (r.nextInt(8)) {
      case 0:
        return -r.nextInt(1_000_000_000);
      case 1:
        return 253_402_300_800_000L + r.nextInt(1000); // year 10000
      default:
        return 1_700_000_000_000L + r.nextInt(100) * 86_400_000L + r.nextInt(86_400_000);
    }
  }

  @Test
  void seededRandomDocumentsWrittenByJava() throws Exception {
    for (long seed = 1; seed <= 6; seed++) {
      Random r = new Random(seed);
      List<String> owners = List.of("@javaaaaaaaaaaaa1", "@javabbbbbbbbbbb2", "@javacccccccccc3x");
      try (YMicrocosm w = YMicrocosm.open("seed" + seed, MicrocosmOptions.defaults())) {
        List<String> notes = new ArrayList<>();
        for (String owner : owners.subList(0, 1 + r.nextInt(3))) {
          w.identify(owner);
          List<Entity> batch = new ArrayList<>();
          int count = 3 + r.nextInt(12);
          for (int i = 0; i < count; i++) {
            String id =
                "e"
                    + String.format("%016d", seed * 1000 + owner.hashCode() % 97 * 100 + i)
                        .replace('-', '9');
            EntityData data;
            int kind = r.nextInt(10);
            if (kind < 6 || notes.isEmpty()) {
              String first = r.nextInt(4) == 0 ? "Same title" : "";
              data =
                  new HtmlData(
                      r.nextInt(2000) - 1000,
                      r.nextDouble() * 500,
                      200,
                      120,
                      first + randomHtml(r),
                      r.nextBoolean() ? null : List.of("", "red", "blue").get(r.nextInt(3)),
                      r.nextBoolean()
                          ? null
                          : List.of("Ideas", " todo ", "x").subList(0, r.nextInt(4)));
              notes.add(id);
            } else if (kind < 8) {
              data =
                  new EmojiData(
                      List.of("❤️", "👍", "", "{}", "é").get(r.nextInt(5)),
                      r.nextInt(100),
                      -50,
                      r.nextInt(4) == 0 ? null : notes.get(r.nextInt(notes.size())));
            } else {
              data =
                  new ConnectionData(
                      r.nextBoolean() ? notes.get(r.nextInt(notes.size())) : null,
                      r.nextBoolean() ? notes.get(r.nextInt(notes.size())) : null);
            }
            long created = randomTime(r);
            batch.add(new Entity(id, owner, created, created + r.nextInt(10_000), data));
          }
          w.importEntities(batch);
        }
        compare(w.encodeStateAsUpdate(), "seed" + seed, null);
      }
    }
  }
}
