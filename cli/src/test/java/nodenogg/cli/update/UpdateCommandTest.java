package nodenogg.cli.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nodenogg.cli.UsageException;
import nodenogg.crdt.Updates;
import nodenogg.crdt.testing.NodeOracle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code update apply|decode|sv}, run in-process; outputs compared with the real Yjs (js/oracle).
 */
class UpdateCommandTest {
  static final ObjectMapper M = new ObjectMapper();
  static final String HELLO =
      "AQEBAAQBAXQGYWLwn5iAAA=="; // client 1 inserts "ab😀" into root text "t" (wire reference §2)
  private static NodeOracle oracle;

  @BeforeAll
  static void start() {
    if (NodeOracle.available()) oracle = NodeOracle.startOrSkip();
  }

  @AfterAll
  static void stop() {
    if (oracle != null) oracle.close();
  }

  static final class Run {
    int code;
    String out;
    String err;
  }

  static Run run(String stdin, String... args) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    Run r = new Run();
    r.code =
        new UpdateCommand()
            .run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
    r.out = o.toString(StandardCharsets.UTF_8);
    r.err = e.toString(StandardCharsets.UTF_8);
    return r;
  }

  @Test
  void applyPrintsRootsStateVectorAndUpdate() throws Exception {
    Run r = run(HELLO + "\n", "apply", "--root", "t=text");
    assertEquals(0, r.code, r.err);
    assertEquals(
        "{\"roots\":{\"t\":\"ab😀\"},\"stateVector\":{\"1\":4},\"update\":\"" + HELLO + "\"}\n",
        r.out);
  }

  @Test
  void badUpdateIsOneTypedLineAndExit2() throws Exception {
    Run r = run(HELLO + "\nAQEBAAQBAXQGYWLwn5iA\n", "apply");
    assertEquals(2, r.code);
    assertEquals("", r.out);
    assertEquals(1, r.err.strip().split("\n").length, r.err);
    assertTrue(
        r.err.contains("DecodingException")
            && r.err.contains("update #1")
            && r.err.contains("byte 15"),
        r.err);
    Run b = run("not base64!\n", "apply");
    assertEquals(2, b.code);
    assertTrue(b.err.contains("update #0 (line 1): not base64"), b.err);
  }

  @Test
  void usageErrorsAndNotYetSupportedAnswerClearly() throws Exception {
    assertThrows(UsageException.class, () -> run("", "apply", "--root", "x=tree"));
    assertThrows(UsageException.class, () -> run("", "frobnicate"));
    assertThrows(UsageException.class, () -> run("", "diff"));
    assertThrows(UsageException.class, () -> run("", "diff", "--sv", "!!"));
    assertThrows(UsageException.class, () -> run("", "convert", "--to", "v3"));
    Run r = run("", "merge");
    assertEquals(2, r.code);
    assertTrue(r.err.contains("no updates"), r.err);
  }

  @Test
  void jsonlGoesOnAfterABadLine() throws Exception {
    String in =
        "{\"updates\":[\""
            + HELLO
            + "\"],\"format\":\"v1\",\"roots\":{\"t\":\"text\"}}\n"
            + "{\"updates\":[\"AQEBAAQBAXQGYWLwn5iA\"]}\n"
            + "not json\n"
            + "{\"updates\":[],\"format\":\"v2\"}\n"
            + "{\"updates\":[]}\n";
    Run r = run(in, "apply", "--jsonl");
    assertEquals(0, r.code, r.err);
    String[] lines = r.out.strip().split("\n");
    assertEquals(5, lines.length, r.out);
    assertEquals(
        "{\"roots\":{\"t\":\"ab😀\"},\"stateVector\":{\"1\":4},\"update\":\"" + HELLO + "\"}",
        lines[0]);
    assertTrue(
        M.readTree(lines[1])
            .get("error")
            .asText()
            .startsWith("DecodingException: line 2: update #0"),
        lines[1]);
    assertTrue(M.readTree(lines[2]).has("error"), lines[2]);
    assertEquals(
        "{\"roots\":{\"map\":{},\"array\":[],\"text\":\"\"},\"stateVector\":{},\"update\":\"AAA=\"}",
        lines[3]);
    assertEquals(
        "{\"roots\":{\"map\":{},\"array\":[],\"text\":\"\"},\"stateVector\":{},\"update\":\"AAA=\"}",
        lines[4]);
  }

  @Test
  void svPrintsTheStateVector() throws Exception {
    Run r = run(HELLO + "\n", "sv");
    assertEquals(0, r.code, r.err);
    assertEquals("{\"stateVector\":{\"1\":4},\"encoded\":\"AQEE\"}\n", r.out);
  }

  @Test
  void svFromUpdatePrintsBase64PerUpdateAndJsonOnRequest() throws Exception {
    // one line per input update: HELLO (client 1 up to clock 4), then the empty update
    Run r = run(HELLO + "\nAAA=\n", "sv", "--from-update");
    assertEquals(0, r.code, r.err);
    assertEquals("AQEE\nAA==\n", r.out);
    Run j = run(HELLO + "\n", "sv", "--from-update", "--json");
    assertEquals(0, j.code, j.err);
    assertEquals("{\"stateVector\":{\"1\":4},\"encoded\":\"AQEE\"}\n", j.out);
    Run v2 = run(run(HELLO + "\n", "convert", "--to", "v2").out, "sv", "--from-update", "--v2");
    assertEquals("AQEE\n", v2.out);
    assertTrue(
        assertThrows(UsageException.class, () -> run("", "sv", "--base64"))
            .getMessage()
            .contains("--json"));
  }

  @SuppressWarnings("unchecked")
  static List<String> sessionUpdates(long seed, boolean gc) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("seed", seed);
    o.put("clients", 3);
    o.put("steps", 40);
    o.put("gc", gc);
    Map<String, Object> s = oracle.session(o);
    return (List<String>) ((Map<String, Object>) s.get("result")).get("local");
  }

  @Test
  @SuppressWarnings("unchecked")
  void applyMatchesYjsOnSeededSessions() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        oracle != null, "Node oracle unavailable (node or js/node_modules missing)");
    for (long seed = 1; seed <= 8; seed++) {
      boolean gc = seed % 2 == 0;
      List<String> ups = sessionUpdates(seed, gc);
      Run r =
          gc
              ? run(String.join("\n", ups), "apply")
              : run(String.join("\n", ups), "apply", "--no-gc");
      assertEquals(0, r.code, r.err);
      JsonNode mine = M.readTree(r.out);
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("updates", ups);
      a.put("gc", gc);
      a.put("declare", "after");
      Map<String, Object> y = oracle.callMap("apply", a);
      assertEquals(y.get("update"), mine.get("update").asText(), "seed " + seed + " update");
      Map<String, Object> json = (Map<String, Object>) y.get("json");
      for (String root : List.of("map", "array", "text")) {
        if (json.get(root) == null) continue; // a bigint: JSON.stringify refuses it
        assertEquals(
            M.readTree((String) json.get(root)),
            mine.get("roots").get(root),
            "seed " + seed + " root " + root);
      }
      Map<String, Object> sv = new TreeMap<>();
      Updates.decodeStateVector(NodeOracle.unb64(y.get("sv")))
          .forEach((k, v) -> sv.put(String.valueOf(k), v));
      assertEquals(M.readTree(M.writeValueAsString(sv)), mine.get("stateVector"), "seed " + seed);
      if (!gc)
        assertEquals(
            y.get("update"), mine.get("update").asText(), "seed " + seed + " encodeStateAsUpdate");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void decodeMatchesYjsDecodeUpdate() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        oracle != null, "Node oracle unavailable (node or js/node_modules missing)");
    for (long seed = 11; seed <= 14; seed++) {
      List<String> ups = sessionUpdates(seed, false);
      Run r = run(String.join("\n", ups), "decode");
      assertEquals(0, r.code, r.err);
      String[] lines = r.out.strip().split("\n");
      assertEquals(ups.size(), lines.length);
      for (int i = 0; i < ups.size(); i++) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("update", ups.get(i));
        JsonNode y = M.readTree(nodenogg.crdt.testing.MiniJson.write(oracle.callMap("decode", a)));
        JsonNode mine = M.readTree(lines[i]);
        assertEquals(y.get("ds"), mine.get("ds"), "seed " + seed + " update " + i + " delete set");
        assertEquals(y.get("structs").size(), mine.get("structs").size(), "struct count");
        for (int k = 0; k < y.get("structs").size(); k++) {
          JsonNode ys = y.get("structs").get(k);
          JsonNode ms = mine.get("structs").get(k);
          for (String f :
              new String[] {
                "type",
                "client",
                "clock",
                "length",
                "origin",
                "rightOrigin",
                "parent",
                "parentSub",
                "content"
              }) {
            assertEquals(
                ys.get(f),
                ms.get(f),
                "seed "
                    + seed
                    + " update "
                    + i
                    + " struct "
                    + k
                    + " field "
                    + f
                    + "\n"
                    + ys
                    + "\n"
                    + ms);
          }
        }
      }
    }
  }

  static String call(String cmd, Map<String, Object> args) {
    return (String) oracle.call(cmd, args);
  }

  static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void updateFunctionsMatchYjs() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        oracle != null, "Node oracle unavailable (node or js/node_modules missing)");
    for (long seed = 21; seed <= 26; seed++) {
      List<String> ups = sessionUpdates(seed, seed % 2 == 0);
      String in = String.join("\n", ups);
      // merge, v1 and v2
      Run m = run(in, "merge");
      assertEquals(0, m.code, m.err);
      String merged = m.out.strip();
      assertEquals(call("merge", args("updates", ups)), merged, "seed " + seed + " merge");
      List<String> v2 = new ArrayList<>();
      for (String u : ups) v2.add(call("convert", args("update", u, "to", "v2")));
      Run c = run(in, "convert", "--to", "v2");
      assertEquals(v2, lines(c.out), "seed " + seed + " convert --to v2");
      Run back = run(String.join("\n", v2), "convert", "--to", "v1");
      List<String> v1 = new ArrayList<>();
      for (String u : v2) v1.add(call("convert", args("update", u, "to", "v1")));
      assertEquals(v1, lines(back.out), "seed " + seed + " convert --to v1");
      Run m2 = run(String.join("\n", v2), "merge", "--v2");
      assertEquals(
          call("merge", args("updates", v2, "v2", true)),
          m2.out.strip(),
          "seed " + seed + " merge --v2");
      // state vector of an update, and diff against the state after half the updates
      Run s = run(merged, "sv", "--from-update");
      assertEquals(
          call("svFromUpdate", args("update", merged)) + "\n",
          s.out,
          "seed " + seed + " sv --from-update");
      String sv =
          M.readTree(run(merged, "sv", "--from-update", "--json").out).get("encoded").asText();
      assertEquals(
          call("svFromUpdate", args("update", merged)),
          sv,
          "seed " + seed + " sv --from-update --json");
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("updates", ups.subList(0, ups.size() / 2));
      String halfSv = (String) oracle.callMap("apply", a).get("sv");
      Run d = run(merged, "diff", "--sv", halfSv);
      assertEquals(
          call("diff", args("update", merged, "sv", halfSv)),
          d.out.strip(),
          "seed " + seed + " diff");
      // apply --v2 gives what apply gives for the v1 updates
      Run a1 = run(in, "apply", "--no-gc");
      Run a2 = run(String.join("\n", v2), "apply", "--no-gc", "--v2");
      assertEquals(0, a2.code, a2.err);
      assertEquals(a1.out, a2.out, "seed " + seed + " apply --v2");
      // decode --v2 lists the same structs as decode of the v1 update
      assertEquals(
          run(ups.get(0), "decode").out,
          run(v2.get(0), "decode", "--v2").out,
          "seed " + seed + " decode --v2");
    }
  }

  /**
   * Issue 13's cases (../shared/regressions/ytext-format-cleanup.jsonl, one {"updates", "format",
   * "gc", "expect"} object a line, which is also an {@code apply --jsonl} job): the printed update,
   * state vector and root text are what Yjs gives when it applies the updates to a new Y.Doc.
   * Declaring the roots before the updates (as apply did until then) made Yjs's formatting cleanup
   * run on root "text" and gave other bytes.
   */
  @Test
  @SuppressWarnings("unchecked")
  void applyJsonlGivesYjsBytesForTheFormattingCleanupCases() throws Exception {
    String dir = System.getProperty("nodenogg.shared.dir");
    if (dir == null || dir.isBlank() || dir.contains("${")) dir = "../shared";
    java.nio.file.Path p =
        java.nio.file.Paths.get(dir, "regressions", "ytext-format-cleanup.jsonl");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isReadable(p),
        "regression cases missing at "
            + p.toAbsolutePath()
            + " (set -Dnodenogg.shared.dir to the shared folder)");
    List<String> jobs = java.nio.file.Files.readAllLines(p);
    Run r = run(String.join("\n", jobs) + "\n", "apply", "--jsonl");
    assertEquals(0, r.code, r.err);
    List<String> out = lines(r.out);
    assertEquals(jobs.size(), out.size());
    for (int i = 0; i < jobs.size(); i++) {
      JsonNode job = M.readTree(jobs.get(i));
      JsonNode mine = M.readTree(out.get(i));
      String name = job.get("case").asText();
      assertTrue(job.get("gc").asBoolean(), name + ": apply --jsonl runs with gc on");
      assertEquals(
          job.get("expect").get("update").asText(), mine.get("update").asText(), name + " update");
      Map<String, Object> sv = new TreeMap<>();
      Updates.decodeStateVector(
              java.util.Base64.getDecoder().decode(job.get("expect").get("stateVector").asText()))
          .forEach((k, v) -> sv.put(String.valueOf(k), v));
      assertEquals(
          M.readTree(M.writeValueAsString(sv)), mine.get("stateVector"), name + " state vector");
      StringBuilder text = new StringBuilder();
      for (JsonNode op : job.get("expect").get("textDelta"))
        if (op.get("insert").isTextual()) text.append(op.get("insert").asText());
      assertEquals(text.toString(), mine.get("roots").get("text").asText(), name + " text");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void xmlRootRendersLikeYjs() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        oracle != null, "Node oracle unavailable (node or js/node_modules missing)");
    nodenogg.crdt.Doc d = new nodenogg.crdt.Doc(new nodenogg.crdt.Doc.Options().clientId(7));
    nodenogg.crdt.YXmlElement p = new nodenogg.crdt.YXmlElement("p");
    d.getXmlFragment("x").insert(0, List.of(p));
    p.setAttribute("class", "note");
    p.insert(0, List.of(new nodenogg.crdt.YXmlText("hello <world>")));
    String u = java.util.Base64.getEncoder().encodeToString(Updates.encodeStateAsUpdate(d));
    Run r = run(u, "apply", "--root", "x=xml");
    assertEquals(0, r.code, r.err);
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("updates", List.of(u));
    a.put("roots", List.of(List.of("x", "xml")));
    Map<String, Object> y = oracle.callMap("apply", a);
    assertEquals(
        M.readTree((String) ((Map<String, Object>) y.get("json")).get("x")),
        M.readTree(r.out).get("roots").get("x"));
  }

  static List<String> lines(String s) {
    List<String> l = new ArrayList<>();
    for (String x : s.split("\n")) if (!x.isBlank()) l.add(x);
    return l;
  }
}
