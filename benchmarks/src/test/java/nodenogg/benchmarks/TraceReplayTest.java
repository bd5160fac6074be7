package nodenogg.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace runner stays correct: replays reproduce the traces' expected text. No timing
 * assertions.
 */
class TraceReplayTest {

  static Path tinyTrace() throws URISyntaxException {
    return Path.of(TraceReplayTest.class.getResource("/traces/tiny.json").toURI());
  }

  static Path sharedData(String file) {
    String dir = System.getProperty("nodenogg.shared.dir");
    Path p = dir == null ? null : Path.of(dir, "bench-data", file);
    Assumptions.assumeTrue(
        p != null && Files.isReadable(p),
        "skipped: "
            + file
            + " not found (set -Dnodenogg.shared.dir to the shared/ folder with bench-data/)");
    return p;
  }

  @Test
  void tinyTraceWithMultiPatchTransactionsReachesItsEndContent() throws Exception {
    Trace trace = Trace.load(tinyTrace(), -1);
    assertEquals(5, trace.txnCount());
    assertEquals(7, trace.patchCount());
    ReplayResult r = new TraceReplay(trace).run(1);
    assertEquals("Jel world!\nünïcödé ✓".length(), r.finalLength());
    assertEquals(5, r.txns());
    assertTrue(r.docSizeV1() > 0);
  }

  @Test
  void aTraceWhoseEndContentIsWrongFailsTheReplay(@TempDir Path dir) throws Exception {
    String wrong = Files.readString(tinyTrace()).replace("Jel world!", "Jello world!");
    Path f = dir.resolve("wrong.json");
    Files.writeString(f, wrong);
    TraceReplay replay = new TraceReplay(Trace.load(f, -1));
    assertThrows(TraceReplay.MismatchException.class, () -> replay.run(1));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        TraceCommandLine.run(
            new String[] {f.toString()}, new PrintStream(out), new PrintStream(err));
    assertEquals(1, code);
    assertTrue(
        err.toString(StandardCharsets.UTF_8).contains("differs from endContent"), err.toString());
  }

  @Test
  void commandLinePrintsOneJsonLinePerRunWithAllFields() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        TraceCommandLine.run(
            new String[] {tinyTrace().toString(), "--runs", "2"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    assertEquals(0, code);
    String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
    assertEquals(2, lines.length);
    for (String field :
        new String[] {
          "opsMs",
          "remoteApplyMs",
          "encodeMs",
          "parseMs",
          "docSizeV1",
          "docSizeV2",
          "heapBytes",
          "finalLength"
        }) {
      assertTrue(lines[1].contains("\"" + field + "\":"), field + " missing in " + lines[1]);
    }
    assertTrue(lines[0].contains("\"finalLength\":20"), lines[0]);
  }

  @Test
  void badCommandLinesAreUsageErrors() {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    assertThrows(
        TraceCommandLine.BadUsage.class, () -> TraceCommandLine.run(new String[0], sink, sink));
    assertThrows(
        TraceCommandLine.BadUsage.class,
        () -> TraceCommandLine.run(new String[] {"/nonexistent/trace.json"}, sink, sink));
    assertThrows(
        TraceCommandLine.BadUsage.class,
        () ->
            TraceCommandLine.run(new String[] {tinyTrace().toString(), "--runs", "0"}, sink, sink));
    assertThrows(
        TraceCommandLine.BadUsage.class,
        () ->
            TraceCommandLine.run(
                new String[] {tinyTrace().toString(), "--frobnicate"}, sink, sink));
  }

  @Test
  void concurrentTracesAreRejectedWithAClearMessage() {
    String json = "{\"kind\":\"concurrent\",\"startContent\":\"\",\"endContent\":\"\",\"txns\":[]}";
    InputStream in = new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Trace.parse("c", in, -1));
    assertTrue(e.getMessage().contains("sequential"), e.getMessage());
  }

  /** A prefix of a real trace; the expected text is the plain-string splice of the same patches. */
  @Test
  void prefixOfSephBlogTraceReplaysLikePlainStringSplicing() throws Exception {
    Trace trace = Trace.load(sharedData("seph-blog1.json.gz"), 4000);
    assertEquals(4000, trace.txnCount());
    ReplayResult r = new TraceReplay(trace).run(1);
    assertEquals(trace.spliceAll().length(), r.finalLength());
  }

  @Test
  void fullTraceEndContentMatchesPlainSplicing() throws Exception {
    // the oracle used for prefixes agrees with the file's own endContent on a whole trace
    Trace trace = Trace.load(sharedData("sveltecomponent.json.gz"), -1);
    assertEquals(trace.endContent(), trace.spliceAll());
  }
}
