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

/** {@code update apply|decode|sv}, run in-process; outputs compared with the real Yjs (js/oracle). */
class UpdateCommandTest {
  static final ObjectMapper M = new ObjectMapper();
  static final String HELLO = "AQEBAAQBAXQGYWLwn5iAAA=="; // client 1 inserts "ab😀" into root text "t" (wire reference §2)
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
    r.code = new UpdateCommand().run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
    r.out = o.toString(StandardCharsets.UTF_8);
    r.err = e.toString(StandardCharsets.UTF_8);
    return r;
  }

  @Test
  void applyPrintsRootsStateVectorAndUpdate() throws Exception {
    Run r = run(HELLO + "\n", "apply", "--root", "t=text");
    assertEquals(0, r.code, r.err);
    assertEquals("{\"roots\":{\"t\":\"ab😀\"},\"stateVector\":{\"1\":4},\"update\":\"" + HELLO + "\"}\n", r.out);
  }

  @Test
  void badUpdateIsOneTypedLineAndExit2() throws Exception {
    Run r = run(HELLO + "\nAQEBAAQBAXQGYWLwn5iA\n", "apply");
    assertEquals(2, r.code);
    assertEquals("", r.out);
    assertEquals(1, r.err.strip().split("\n").length, r.err);
    assertTrue(r.err.contains("DecodingException") && r.err.contains("update #1") && r.err.contains("byte 15"), r.err);
    Run b = run("not base64!\n", "apply");
    assertEquals(2, b.code);
    assertTrue(b.err.contains("update #0 (line 1): not base64"), b.err);
  }

  @Test
  void notYetSupportedAnswersClearly() throws Exception {
    assertTrue(assertThrows(UsageException.class, () -> run("", "apply", "--v2")).getMessage().contains("not supported yet"));
    assertTrue(assertThrows(UsageException.class, () -> run("", "apply", "--root", "x=xml")).getMessage().contains("not supported yet"));
    assertTrue(assertThrows(UsageException.class, () -> run("", "merge")).getMessage().contains("not supported yet"));
    assertTrue(assertThrows(UsageException.class, () -> run("", "sv", "--from-update")).getMessage().contains("not supported yet"));
    assertThrows(UsageException.class, () -> run("", "apply", "--root", "x=tree"));
    assertThrows(UsageException.class, () -> run("", "frobnicate"));
  }

  @Test
  void jsonlGoesOnAfterABadLine() throws Exception {
    String in = "{\"updates\":[\"" + HELLO + "\"],\"format\":\"v1\",\"roots\":{\"t\":\"text\"}}\n"
        + "{\"updates\":[\"AQEBAAQBAXQGYWLwn5iA\"]}\n"
        + "not json\n"
        + "{\"updates\":[],\"format\":\"v2\"}\n"
        + "{\"updates\":[]}\n";
    Run r = run(in, "apply", "--jsonl");
    assertEquals(0, r.code, r.err);
    String[] lines = r.out.strip().split("\n");
    assertEquals(5, lines.length, r.out);
    assertEquals("{\"roots\":{\"t\":\"ab😀\"},\"stateVector\":{\"1\":4},\"update\":\"" + HELLO + "\"}", lines[0]);
    assertTrue(M.readTree(lines[1]).get("error").asText().startsWith("DecodingException: line 2: update #0"), lines[1]);
    assertTrue(M.readTree(lines[2]).has("error"), lines[2]);
    assertTrue(M.readTree(lines[3]).get("error").asText().contains("not supported yet"), lines[3]);
    assertEquals("{\"roots\":{\"map\":{},\"array\":[],\"text\":\"\"},\"stateVector\":{},\"update\":\"AAA=\"}", lines[4]);
  }

  @Test
  void svPrintsTheStateVector() throws Exception {
    Run r = run(HELLO + "\n", "sv");
    assertEquals(0, r.code, r.err);
    assertEquals("{\"stateVector\":{\"1\":4},\"encoded\":\"AQEE\"}\n", r.out);
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
    org.junit.jupiter.api.Assumptions.assumeTrue(oracle != null, "Node oracle unavailable (node or js/node_modules missing)");
    for (long seed = 1; seed <= 8; seed++) {
      boolean gc = seed % 2 == 0;
      List<String> ups = sessionUpdates(seed, gc);
      Run r = gc ? run(String.join("\n", ups), "apply") : run(String.join("\n", ups), "apply", "--no-gc");
      assertEquals(0, r.code, r.err);
      JsonNode mine = M.readTree(r.out);
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("updates", ups);
      a.put("gc", gc);
      Map<String, Object> y = oracle.callMap("apply", a);
      Map<String, Object> json = (Map<String, Object>) y.get("json");
      for (String root : List.of("map", "array", "text")) {
        if (json.get(root) == null) continue; // a bigint: JSON.stringify refuses it
        assertEquals(M.readTree((String) json.get(root)), mine.get("roots").get(root), "seed " + seed + " root " + root);
      }
      Map<String, Object> sv = new TreeMap<>();
      Updates.decodeStateVector(NodeOracle.unb64(y.get("sv"))).forEach((k, v) -> sv.put(String.valueOf(k), v));
      assertEquals(M.readTree(M.writeValueAsString(sv)), mine.get("stateVector"), "seed " + seed);
      if (!gc) assertEquals(y.get("update"), mine.get("update").asText(), "seed " + seed + " encodeStateAsUpdate");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void decodeMatchesYjsDecodeUpdate() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(oracle != null, "Node oracle unavailable (node or js/node_modules missing)");
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
          for (String f : new String[] {"type", "client", "clock", "length", "origin", "rightOrigin", "parent", "parentSub", "content"}) {
            assertEquals(ys.get(f), ms.get(f), "seed " + seed + " update " + i + " struct " + k + " field " + f + "\n" + ys + "\n" + ms);
          }
        }
      }
    }
  }

  static List<String> lines(String s) {
    List<String> l = new ArrayList<>();
    for (String x : s.split("\n")) if (!x.isBlank()) l.add(x);
    return l;
  }
}
