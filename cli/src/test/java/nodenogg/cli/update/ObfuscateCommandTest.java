package nodenogg.cli.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nodenogg.cli.UsageException;
import nodenogg.crdt.testing.NodeOracle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code update obfuscate} and {@code update log}, run in-process. The obfuscations are compared
 * with real Yjs's obfuscateUpdate / obfuscateUpdateV2 for the same flags, on the seeded documents
 * of js/obfuscate/cases.mjs.
 */
class ObfuscateCommandTest {
  static final String HELLO = UpdateCommandTest.HELLO; // client 1 inserts "ab😀" into root text "t"

  /** Yjs's cases (see js/obfuscate/cases.mjs), or a skip when node or the script is missing. */
  static JsonNode yjsCases() throws Exception {
    Path js = NodeOracle.jsDir();
    Path script = js.resolve("obfuscate").resolve("cases.mjs");
    Assumptions.assumeTrue(
        NodeOracle.nodeBinary() != null
            && Files.isDirectory(js.resolve("node_modules").resolve("yjs"))
            && Files.exists(script),
        "node, js/node_modules/yjs or js/obfuscate/cases.mjs missing: Yjs comparison skipped");
    ProcessBuilder pb =
        new ProcessBuilder(NodeOracle.nodeBinary(), script.toString()).directory(js.toFile());
    File err = File.createTempFile("obfuscate-cases", ".err");
    pb.redirectError(err);
    Process p = pb.start();
    try {
      p.getOutputStream().write("{\"seeds\":[31,32]}".getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node timed out");
      assertEquals(0, p.exitValue(), Files.readString(err.toPath()));
      return new ObjectMapper().readTree(out);
    } finally {
      p.destroyForcibly();
      err.delete();
    }
  }

  static String b64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  @Test
  void obfuscateMatchesYjsForEveryFlagCombination() throws Exception {
    JsonNode cases = yjsCases();
    Map<String, String[]> flags =
        Map.of(
            "default", new String[0],
            "noFormatting", new String[] {"--no-formatting"},
            "noSubdocs", new String[] {"--no-subdocs"},
            "noYxml", new String[] {"--no-yxml"},
            "none", new String[] {"--no-formatting", "--no-subdocs", "--no-yxml"});
    for (Map.Entry<String, String[]> f : flags.entrySet()) {
      for (String format : new String[] {"v1", "v2"}) {
        List<String> in = new ArrayList<>();
        List<String> want = new ArrayList<>();
        for (JsonNode c : cases) {
          in.add(b64(c.get(format).asText()));
          want.add(b64(c.get("obf").get(f.getKey()).get(format).asText()));
        }
        List<String> args = new ArrayList<>(List.of("obfuscate"));
        if (format.equals("v2")) args.add("--v2");
        args.addAll(List.of(f.getValue()));
        UpdateCommandTest.Run r =
            UpdateCommandTest.run(String.join("\n", in) + "\n", args.toArray(new String[0]));
        assertEquals(0, r.code, r.err);
        assertEquals(want, List.of(r.out.strip().split("\n")), f.getKey() + " " + format);
      }
    }
  }

  @Test
  void obfuscateAndLogOfASmallUpdate() throws Exception {
    UpdateCommandTest.Run r = UpdateCommandTest.run(HELLO + "\n", "obfuscate");
    assertEquals(0, r.code, r.err);
    UpdateCommandTest.Run log = UpdateCommandTest.run(r.out, "log");
    assertEquals(0, log.code, log.err);
    // "ab😀" is 4 UTF-16 units: the first item (i = 0) becomes "0000"
    assertEquals(
        "Update #0\nStructs (1):\n  Item (1,0) len=4 origin=- rightOrigin=- parent=root:\"t\" STRING \"0000\"\n"
            + "DeleteSet (0 clients, 0 ranges):\n",
        log.out);
    UpdateCommandTest.Run v2 =
        UpdateCommandTest.run(
            UpdateCommandTest.run(HELLO + "\n", "convert", "--to", "v2").out, "log", "--v2");
    assertEquals(0, v2.code, v2.err);
    assertTrue(v2.out.contains("STRING \"ab😀\""), v2.out);
  }

  @Test
  void badInputAndUsage() throws Exception {
    UpdateCommandTest.Run r =
        UpdateCommandTest.run(HELLO + "\nAQEBAAQBAXQGYWLwn5iA\n", "obfuscate");
    assertEquals(2, r.code);
    assertTrue(r.err.contains("DecodingException") && r.err.contains("update #1"), r.err);
    UpdateCommandTest.Run l = UpdateCommandTest.run("AQEBAAQBAXQGYWLwn5iA\n", "log", "--v2");
    assertEquals(2, l.code);
    assertTrue(l.err.contains("update #0"), l.err);
    assertThrows(UsageException.class, () -> UpdateCommandTest.run("", "obfuscate", "--no-colour"));
    assertThrows(UsageException.class, () -> UpdateCommandTest.run("", "log", "--v3"));
  }
}
