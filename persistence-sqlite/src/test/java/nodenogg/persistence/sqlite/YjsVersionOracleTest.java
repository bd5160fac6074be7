package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nodenogg.crdt.Updates;
import nodenogg.persistence.yjs.YjsFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store keeps state vectors without a Doc ({@link YjsFormat} coverage from the engine's
 * decoder, persisted per document), so it must agree with Yjs on real updates of every content type
 * (strings with surrogate pairs, formats, embeds, Any values incl. bigint and binary, binary,
 * sub-documents, XML elements/text/hooks, deletions, Skip gaps in merged updates, GC). The expected
 * values come from yjs 13.6 run by Node ({@code js/persistence/scanner-cases.mjs}): {@code
 * encodeStateVectorFromUpdate} per update, and {@code encodeStateVector} of the doc after a whole
 * editing session, compared with the store's.
 */
class YjsVersionOracleTest {

  @TempDir Path dir;

  private static final Pattern FIELD =
      Pattern.compile("\"(name|update|sv|session|finalSv)\":\"([^\"]*)\"");
  private static final Pattern UPDATES = Pattern.compile("\"updates\":\\[([^\\]]*)\\]");

  private static List<String> runNode(long seed) throws Exception {
    Path js = Path.of(System.getProperty("nodenogg.js.dir", "../js"));
    Path node = Path.of("/usr/bin/node");
    Assumptions.assumeTrue(
        Files.isExecutable(node), "node is not installed at /usr/bin/node: oracle test skipped");
    Assumptions.assumeTrue(
        Files.isDirectory(js.resolve("node_modules/yjs")),
        "js/node_modules/yjs missing (run js/install.sh): oracle test skipped");
    Process p =
        new ProcessBuilder(node.toString(), "persistence/scanner-cases.mjs", Long.toString(seed))
            .directory(js.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node finished");
    assertEquals(0, p.exitValue(), "node exit code (seed " + seed + ")");
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private static byte[] b64(String s) {
    return Base64.getDecoder().decode(s);
  }

  @Test
  void storedVersionAgreesWithYjsOnEveryContentType() throws Exception {
    int cases = 0;
    int sessions = 0;
    try (SqliteUpdateStore store =
        SqliteUpdateStore.openDirectory(dir, StoreOptions.defaults().withoutAutoCompaction())) {
      for (long seed = 1; seed <= 4; seed++) {
        for (String line : runNode(seed)) {
          String name = null;
          String update = null;
          String sv = null;
          String session = null;
          String finalSv = null;
          Matcher m = FIELD.matcher(line);
          while (m.find()) {
            switch (m.group(1)) {
              case "name":
                name = m.group(2);
                break;
              case "update":
                update = m.group(2);
                break;
              case "sv":
                sv = m.group(2);
                break;
              case "session":
                session = m.group(2);
                break;
              default:
                finalSv = m.group(2);
                break;
            }
          }
          if (name != null) {
            byte[] version = YjsFormat.INSTANCE.check(b64(update)).version();
            assertEquals(
                Updates.decodeStateVector(b64(sv)),
                Updates.decodeStateVector(version),
                "seed " + seed + " case " + name);
            cases++;
          } else {
            Matcher um = UPDATES.matcher(line);
            assertTrue(um.find(), line);
            List<String> ups = new ArrayList<>();
            for (String q : um.group(1).split(",")) {
              ups.add(q.replace("\"", ""));
            }
            String doc = "seed" + seed + "-" + session;
            for (String u : ups) {
              store.append(doc, b64(u));
            }
            store.flush().join();
            assertArrayEquals(
                b64(finalSv), store.version(doc), "seed " + seed + " session " + session);
            sessions++;
          }
        }
      }
    }
    assertTrue(cases > 100 && sessions >= 24, cases + " cases, " + sessions + " sessions");
  }
}
