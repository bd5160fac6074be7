package nodenogg.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import nodenogg.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./microcosm bench trace}: JSON line per run, exit 1 on a wrong endContent, usage errors.
 */
class BenchCommandTest {
  private static final String TRACE =
      "{\"startContent\":\"\",\"endContent\":\"abXd\",\"txns\":["
          + "{\"patches\":[[0,0,\"abc\"]]},{\"patches\":[[2,1,\"\"],[2,0,\"Xd\"]]}]}";

  private static int run(String[] args, ByteArrayOutputStream out, ByteArrayOutputStream err)
      throws Exception {
    return new BenchCommand()
        .run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void gzippedTraceReplaysAndPrintsOneLinePerRun(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("t.json.gz");
    try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(f))) {
      gz.write(TRACE.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(
        0,
        run(new String[] {"trace", f.toString(), "--runs", "3"}, out, new ByteArrayOutputStream()));
    String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
    assertEquals(3, lines.length);
    assertTrue(lines[2].contains("\"finalLength\":4") && lines[2].contains("\"run\":3"), lines[2]);
    assertTrue(lines[0].contains("\"docSizeV2\":"), lines[0]);
  }

  @Test
  void wrongEndContentExitsOne(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("t.json");
    Files.writeString(f, TRACE.replace("abXd", "abcd"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(1, run(new String[] {"trace", f.toString()}, new ByteArrayOutputStream(), err));
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("endContent"),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badUsageIsAUsageException() {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    assertThrows(UsageException.class, () -> run(new String[0], sink, sink));
    assertThrows(UsageException.class, () -> run(new String[] {"replay", "x"}, sink, sink));
    assertThrows(UsageException.class, () -> run(new String[] {"trace"}, sink, sink));
    assertThrows(
        UsageException.class, () -> run(new String[] {"trace", "/no/such/file.json"}, sink, sink));
  }
}
