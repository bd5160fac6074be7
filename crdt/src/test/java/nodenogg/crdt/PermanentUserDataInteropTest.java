package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.testing.NodeOracle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * PermanentUserData against the real Yjs (js/pud/pud.mjs): one scripted session of four docs (alice
 * on two devices, so two concurrent "alice" entries, bob, and carol with a client id above 2^31)
 * runs on both sides with fixed client ids. Checked: every doc's encodeStateAsUpdate is
 * byte-identical; both implementations give the same getUserByClientId / getUserByDeletedId answers
 * for every id; Java reading Yjs's document and Yjs reading Java's (table present before or after
 * the update arrives) answer as the writer does.
 */
class PermanentUserDataInteropTest {
  static final long[] CLIENTS = {1, 2, 3_000_000_000L, 7};
  static final String[] USERS = {"alice", "bob", "carol", "alice"};

  @Test
  void fixedSession() throws Exception {
    List<Map<String, Object>> ops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ops.add(op("map", "doc", i, "user", USERS[i]));
    }
    ops.add(op("ins", "doc", 0, "index", 0, "text", "Hello world"));
    ops.add(op("sync", "from", 0, "to", 1));
    ops.add(op("sync", "from", 0, "to", 2));
    ops.add(op("ins", "doc", 1, "index", 5, "text", ", dear"));
    ops.add(op("del", "doc", 1, "index", 0, "len", 1));
    ops.add(op("ins", "doc", 1, "index", 0, "text", "h"));
    ops.add(op("del", "doc", 2, "index", 6, "len", 5));
    ops.add(op("map", "doc", 3, "user", "alice")); // concurrent with doc 0's alice entry
    ops.add(op("ins", "doc", 3, "index", 0, "text", "XYZ"));
    ops.add(op("del", "doc", 3, "index", 1, "len", 1));
    ops.add(op("del", "doc", 0, "index", 0, "len", 2));
    syncAll(ops);
    ops.add(op("del", "doc", 0, "index", 2, "len", 3));
    ops.add(op("del", "doc", 2, "index", 0, "len", 1));
    ops.add(op("ins", "doc", 3, "index", 1, "text", "!"));
    syncAll(ops);
    check(ops, true, "fixed");
  }

  @Test
  void seededSessions() throws Exception {
    for (long seed : new long[] {11, 12, 13}) {
      Random r = new Random(seed);
      List<Doc> docs = newDocs(true);
      List<Map<String, Object>> ops = new ArrayList<>();
      int mapAlice2At = 5 + r.nextInt(20);
      for (int i = 0; i < 3; i++) {
        ops.add(op("map", "doc", i, "user", USERS[i]));
      }
      for (int step = 0; step < 40; step++) {
        if (step == mapAlice2At) {
          ops.add(op("map", "doc", 3, "user", "alice"));
          continue;
        }
        int d = r.nextInt(4);
        int len = docs.get(d).getText("t").length();
        int kind = r.nextInt(10);
        Map<String, Object> o;
        if (kind < 4 || len == 0) {
          o =
              op(
                  "ins",
                  "doc",
                  d,
                  "index",
                  r.nextInt(len + 1),
                  "text",
                  "abcdefgh".substring(r.nextInt(6)));
        } else if (kind < 7) {
          int at = r.nextInt(len);
          o = op("del", "doc", d, "index", at, "len", 1 + r.nextInt(Math.min(3, len - at)));
        } else {
          o = op("sync", "from", d, "to", (d + 1 + r.nextInt(3)) % 4);
        }
        ops.add(o);
        apply(docs, null, o); // to know lengths for the next op
      }
      syncAll(ops);
      check(ops, seed % 2 == 0, "seed " + seed);
    }
  }

  // ---- the check ----

  @SuppressWarnings("unchecked")
  void check(List<Map<String, Object>> ops, boolean gc, String what) throws Exception {
    List<Doc> docs = newDocs(gc);
    List<PermanentUserData> puds = new ArrayList<>();
    for (Doc d : docs) {
      puds.add(new PermanentUserData(d));
    }
    for (Map<String, Object> o : ops) {
      apply(docs, puds, o);
    }
    List<String> states = new ArrayList<>();
    List<Map<String, Object>> answers = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      states.add(Hex.encode(Updates.encodeStateAsUpdate(docs.get(i))));
      answers.add(answers(docs.get(i), puds.get(i)));
    }
    Map<String, Object> job = new LinkedHashMap<>();
    List<Object> clients = new ArrayList<>();
    for (long c : CLIENTS) {
      clients.add(c);
    }
    job.put("clients", clients);
    job.put("gc", gc);
    job.put("ops", new ArrayList<>(ops));
    job.put("read", List.of(states.get(0), states.get(3)));
    Map<String, Object> yjs = (Map<String, Object>) Json.parse(runNode(Json.stringify(job)));
    List<Object> yStates = (List<Object>) yjs.get("states");
    List<Object> yAnswers = (List<Object>) yjs.get("answers");
    for (int i = 0; i < docs.size(); i++) {
      assertEquals(
          yStates.get(i), states.get(i), what + ": doc " + i + " state differs from Yjs's");
      assertEquals(
          Json.stringify(yAnswers.get(i)),
          Json.stringify(answers.get(i)),
          what + ": doc " + i + " answers differ from Yjs's");
    }
    // Yjs -> Java: a fresh Java doc reading Yjs's update, table followed before and after it
    // arrives
    for (int i : new int[] {0, 3}) {
      byte[] update = Hex.decode((String) yStates.get(i));
      Doc before = new Doc(new Doc.Options().gc(gc));
      PermanentUserData pudBefore = new PermanentUserData(before);
      Updates.applyUpdate(before, update);
      Doc after = new Doc(new Doc.Options().gc(gc));
      Updates.applyUpdate(after, update);
      PermanentUserData pudAfter = new PermanentUserData(after);
      String expected = Json.stringify(yAnswers.get(i));
      assertEquals(
          expected,
          Json.stringify(answers(before, pudBefore)),
          what + ": Java reading Yjs doc " + i);
      assertEquals(
          expected, Json.stringify(answers(after, pudAfter)), what + ": Java reading Yjs doc " + i);
    }
    // Java -> Yjs: Yjs reading our updates answers as we do
    List<Object> read = (List<Object>) yjs.get("read");
    int[] which = {0, 3};
    for (int k = 0; k < which.length; k++) {
      Map<String, Object> rd = (Map<String, Object>) read.get(k);
      String ours = Json.stringify(answers.get(which[k]));
      assertEquals(
          ours, Json.stringify(rd.get("before")), what + ": Yjs reading Java doc " + which[k]);
      assertEquals(
          ours, Json.stringify(rd.get("after")), what + ": Yjs reading Java doc " + which[k]);
    }
    // not vacuous: every user is known by a client id, and some deletions are attributed
    Map<String, Object> a0 = answers.get(0);
    assertTrue(
        ((Map<String, Object>) a0.get("clients"))
            .values()
            .containsAll(List.of("alice", "bob", "carol")),
        what + ": " + a0.get("clients"));
    assertTrue(
        ((Map<String, Object>) a0.get("deleted")).values().stream().anyMatch(v -> v != null),
        what + ": no deletion attributed");
  }

  static List<Doc> newDocs(boolean gc) {
    List<Doc> docs = new ArrayList<>();
    for (long c : CLIENTS) {
      docs.add(new Doc(new Doc.Options().clientId(c).gc(gc)));
    }
    return docs;
  }

  static void apply(List<Doc> docs, List<PermanentUserData> puds, Map<String, Object> o) {
    String kind = (String) o.get("op");
    if (kind.equals("map")) {
      if (puds != null) {
        int d = num(o, "doc");
        puds.get(d).setUserMapping(docs.get(d), docs.get(d).clientId(), (String) o.get("user"));
      }
    } else if (kind.equals("ins")) {
      docs.get(num(o, "doc")).getText("t").insert(num(o, "index"), (String) o.get("text"));
    } else if (kind.equals("del")) {
      docs.get(num(o, "doc")).getText("t").delete(num(o, "index"), num(o, "len"));
    } else {
      Doc to = docs.get(num(o, "to"));
      Updates.applyUpdate(
          to, Updates.encodeStateAsUpdate(docs.get(num(o, "from")), Updates.encodeStateVector(to)));
    }
  }

  /**
   * Same queries as pud.mjs: every client the doc or the table knows (plus 424242), every clock up
   * to the state.
   */
  static Map<String, Object> answers(Doc doc, PermanentUserData pud) {
    Map<Long, Long> sv = Updates.decodeStateVector(Updates.encodeStateVector(doc));
    TreeSet<Long> ids = new TreeSet<>(sv.keySet());
    for (long c : CLIENTS) {
      if (pud.getUserByClientId(c) != null) {
        ids.add(c);
      }
    }
    ids.add(424242L);
    Map<String, Object> clients = new LinkedHashMap<>();
    Map<String, Object> deleted = new LinkedHashMap<>();
    for (long c : ids) {
      clients.put(Long.toString(c), pud.getUserByClientId(c));
      long state = sv.getOrDefault(c, 0L);
      for (long k = 0; k <= state; k++) {
        deleted.put(c + ":" + k, pud.getUserByDeletedId(new ID(c, k)));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("clients", clients);
    out.put("deleted", deleted);
    return out;
  }

  static void syncAll(List<Map<String, Object>> ops) {
    for (int round = 0; round < 2; round++) {
      for (int from = 0; from < CLIENTS.length; from++) {
        for (int to = 0; to < CLIENTS.length; to++) {
          if (from != to) {
            ops.add(op("sync", "from", from, "to", to));
          }
        }
      }
    }
  }

  static Map<String, Object> op(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("op", kv[0]);
    for (int i = 1; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static int num(Map<String, Object> o, String k) {
    return ((Number) o.get(k)).intValue();
  }

  static String runNode(String stdin) throws Exception {
    String node = NodeOracle.nodeBinary();
    Path js = NodeOracle.jsDir();
    Path script = js.resolve("pud").resolve("pud.mjs");
    Assumptions.assumeTrue(
        node != null
            && Files.isDirectory(js.resolve("node_modules").resolve("yjs"))
            && Files.isRegularFile(script),
        "node, js/node_modules/yjs or js/pud/pud.mjs missing: "
            + "PermanentUserData interop with Yjs skipped (run `npm ci` in js/)");
    Process p =
        new ProcessBuilder(node, script.toString())
            .directory(js.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      try (OutputStream o = p.getOutputStream()) {
        o.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("node pud/pud.mjs failed");
      }
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
  }
}
