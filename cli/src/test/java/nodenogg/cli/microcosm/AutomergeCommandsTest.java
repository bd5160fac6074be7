package nodenogg.cli.microcosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nodenogg.automerge.store.AutomergeFormat;
import nodenogg.automerge.testing.AutomergeNode;
import nodenogg.cli.microcosm.AppExportCommandTest.Result;
import nodenogg.cli.store.StoreCommand;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import --backend automerge}, {@code export --backend automerge} and {@code store} with
 * Automerge documents.
 */
class AutomergeCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADA = "@aaaaaaaaaaaaaaa1";
  private static final String ENTITIES =
      "{\"eaaaaaaaaaaaaaaa1\":{\"id\":\"eaaaaaaaaaaaaaaa1\",\"identity_id\":\""
          + ADA
          + "\",\"version\":\"1\",\"created\":1,\"lastEdited\":2,\"data\":{\"type\":\"html\",\"x\":10,\"y\":-5.5,"
          + "\"width\":200,\"height\":200,\"content\":\"<p>Grüße</p>\",\"tags\":[\"idea\"]}},"
          + "\"ebbbbbbbbbbbbbbb2\":{\"id\":\"ebbbbbbbbbbbbbbb2\",\"identity_id\":\""
          + ADA
          + "\",\"version\":\"1\","
          + "\"created\":3,\"lastEdited\":4,\"data\":{\"type\":\"emoji\",\"content\":\"❤️\",\"x\":1,\"y\":2,"
          + "\"parentNodeId\":\"eaaaaaaaaaaaaaaa1\"}}}";

  @TempDir Path tmp;

  @Test
  void jsonInAutomergeDocumentOutAndBack() throws Exception {
    Result imported =
        AppExportCommandTest.run(
            new ImportCommand(),
            ENTITIES,
            "--backend",
            "automerge",
            "--identity",
            ADA,
            "--microcosm",
            "workshop");
    assertEquals(0, imported.code(), imported.err());
    Path b64 = tmp.resolve("doc.b64");
    Files.writeString(b64, imported.text());
    Path bin = tmp.resolve("doc.automerge");
    assertEquals(
        0,
        AppExportCommandTest.run(
                new ImportCommand(),
                ENTITIES,
                "--backend",
                "automerge",
                "--identity",
                ADA,
                "--microcosm",
                "workshop",
                "--out",
                bin.toString())
            .code());
    JsonNode want = JSON.readTree("{\"" + ADA + "\":" + ENTITIES + "}");
    for (Path p : new Path[] {b64, bin}) {
      Result exported =
          AppExportCommandTest.run(
              new ExportCommand(),
              "",
              "--backend",
              "automerge",
              "--update",
              p.toString(),
              "--microcosm",
              "workshop");
      assertEquals(0, exported.code(), exported.err());
      assertEquals(want, JSON.readTree(exported.text()), p.toString());
    }
    // the real automerge reads the saved document with the layout's JS reader
    JsonNode js =
        JSON.readTree(
            AutomergeNode.run(
                "layout-oracle.mjs",
                JSON.writeValueAsString(
                    Map.of("doc", Base64.getEncoder().encodeToString(Files.readAllBytes(bin)))),
                "read"));
    assertEquals("workshop", js.get("microcosmId").asText());
    assertEquals(2, js.get("entities").size());
    assertEquals(
        "<p>Grüße</p>",
        js.get("entities").get(ADA + "/eaaaaaaaaaaaaaaa1").get("data").get("content").asText());
    Result bad =
        AppExportCommandTest.run(
            new ExportCommand(),
            "",
            "--backend",
            "automerge",
            "--update",
            Files.writeString(tmp.resolve("bad"), "bm90IGF1dG9tZXJnZQ==").toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("InvalidUpdate"), bad.err());
  }

  @Test
  void storeCommandsListCheckCompactAndDumpAutomergeDocuments() throws Exception {
    Path data = tmp.resolve("data");
    byte[] saved =
        Files.readAllBytes(
            Files.write(
                tmp.resolve("x"),
                Base64.getDecoder()
                    .decode(
                        AppExportCommandTest.run(
                                new ImportCommand(),
                                ENTITIES,
                                "--backend",
                                "automerge",
                                "--identity",
                                ADA)
                            .text()
                            .trim())));
    try (SqliteUpdateStore s = SqliteUpdateStore.openDirectory(data)) {
      UpdateStore am = s.withFormat(AutomergeFormat.INSTANCE);
      am.append("2J2TjgN2SmPruPKkkdQx9UVVSSNK", saved).get(10, TimeUnit.SECONDS);
    }
    Result list =
        AppExportCommandTest.run(new StoreCommand(), "", "list", "--data", data.toString());
    assertEquals(0, list.code(), list.err());
    assertTrue(
        list.text().contains("2J2TjgN2SmPruPKkkdQx9UVVSSNK\t1 updates\t")
            && list.text().contains("\tautomerge\t1 heads"),
        list.text());
    Result check =
        AppExportCommandTest.run(new StoreCommand(), "", "check", "--data", data.toString());
    assertEquals(0, check.code(), check.text());
    assertTrue(check.text().contains("2J2TjgN2SmPruPKkkdQx9UVVSSNK\tok"), check.text());
    assertTrue(check.text().contains("1 documents checked, 0 damaged"), check.text());
    Result compact =
        AppExportCommandTest.run(new StoreCommand(), "", "compact", "--data", data.toString());
    assertEquals(0, compact.code(), compact.err());
    Result dump =
        AppExportCommandTest.run(
            new StoreCommand(),
            "",
            "dump",
            "--data",
            data.toString(),
            "--doc",
            "2J2TjgN2SmPruPKkkdQx9UVVSSNK");
    assertEquals(0, dump.code(), dump.err());
    Path dumped =
        Files.writeString(tmp.resolve("dumped.b64"), dump.text().lines().findFirst().orElseThrow());
    Result exported =
        AppExportCommandTest.run(
            new ExportCommand(), "", "--backend", "automerge", "--update", dumped.toString());
    assertEquals(
        JSON.readTree("{\"" + ADA + "\":" + ENTITIES + "}"), JSON.readTree(exported.text()));
  }
}
