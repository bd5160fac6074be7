package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded sessions run on our engine and on real Yjs (js/oracle/v2-oracle.mjs) with the same client
 * ids: every v1 and v2 update event, encodeStateAsUpdate(V2) and the state vectors must be
 * byte-identical. Some syncs go through encodeStateAsUpdateV2/applyUpdateV2. Seed base:
 * -Dnodenogg.seed.
 */
class UpdateV2InteropTest {
  static YjsOracle oracle;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(YjsOracle.available(), YjsOracle.skipReason());
    oracle = new YjsOracle();
  }

  @AfterAll
  static void stop() throws Exception {
    if (oracle != null) {
      oracle.close();
    }
  }

  /** Result of one seeded session on our engine. */
  static final class Session {
    final Map<String, Object> script;
    final List<List<String>> v1 = new ArrayList<>();
    final List<List<String>> v2 = new ArrayList<>();
    final List<Doc> docs = new ArrayList<>();

    Session(Map<String, Object> script) {
      this.script = script;
    }
  }

  /**
   * Generates a random script (NodeReplayTest's generator), turns some syncs into v2 syncs, replays
   * it.
   */
  @SuppressWarnings("unchecked")
  static Session session(long seed, int nDocs, int nOps, boolean gc) {
    List<Object> ops = new ArrayList<>();
    Map<String, Object> script =
        NodeReplayTest.run(seed, nDocs, nOps, gc, true, ops, new ArrayList<>(), new ArrayList<>());
    Random r = new Random(seed * 31 + 7);
    for (Object o : ops) {
      Map<String, Object> op = (Map<String, Object>) o;
      if ("sync".equals(op.get("op")) && r.nextBoolean()) {
        op.put("op", "syncV2");
      }
    }
    Session s = new Session(script);
    List<Object> clients = (List<Object>) script.get("clients");
    for (Object c : clients) {
      Doc d = new Doc(new Doc.Options().clientId(((Number) c).longValue()).gc(gc));
      List<String> a = new ArrayList<>();
      List<String> b = new ArrayList<>();
      d.onUpdate((u, origin, tr) -> a.add(Hex.encode(u)));
      d.onUpdateV2((u, origin, tr) -> b.add(Hex.encode(u)));
      d.getText("t");
      d.getMap("m");
      d.getArray("a");
      s.docs.add(d);
      s.v1.add(a);
      s.v2.add(b);
    }
    for (Object o : ops) {
      Map<String, Object> op = (Map<String, Object>) o;
      if ("syncV2".equals(op.get("op"))) {
        Doc from = s.docs.get(((Number) op.get("from")).intValue());
        Doc to = s.docs.get(((Number) op.get("to")).intValue());
        Updates.applyUpdateV2(
            to, Updates.encodeStateAsUpdateV2(from, Updates.encodeStateVector(to)));
      } else {
        ScriptReplay.apply(s.docs, op);
      }
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yjs(Session s) throws Exception {
    Map<String, Object> req = new LinkedHashMap<>(s.script);
    req.put("cmd", "replay");
    return (Map<String, Object>) oracle.call(req);
  }

  @SuppressWarnings("unchecked")
  static void check(long seed, int nDocs, int nOps, boolean gc) throws Exception {
    Session s = session(seed, nDocs, nOps, gc);
    Map<String, Object> res = yjs(s);
    String ctx = "seed=" + seed + " gc=" + gc;
    for (int i = 0; i < nDocs; i++) {
      List<Object> y1 = ((List<List<Object>>) res.get("v1")).get(i);
      List<Object> y2 = ((List<List<Object>>) res.get("v2")).get(i);
      assertEquals(y1, new ArrayList<Object>(s.v1.get(i)), ctx + " doc " + i + " v1 update events");
      for (int u = 0; u < Math.min(y2.size(), s.v2.get(i).size()); u++) {
        assertEquals(y2.get(u), s.v2.get(i).get(u), ctx + " doc " + i + " v2 update #" + u);
      }
      assertEquals(y2.size(), s.v2.get(i).size(), ctx + " doc " + i + " v2 update count");
      Doc d = s.docs.get(i);
      assertEquals(
          ((List<Object>) res.get("statesV2")).get(i),
          Hex.encode(Updates.encodeStateAsUpdateV2(d)),
          ctx + " doc " + i + " stateV2");
      assertEquals(
          ((List<Object>) res.get("statesV1")).get(i),
          Hex.encode(Updates.encodeStateAsUpdate(d)),
          ctx + " doc " + i + " stateV1");
      assertEquals(
          ((List<Object>) res.get("svs")).get(i),
          Hex.encode(Updates.encodeStateVector(d)),
          ctx + " doc " + i + " sv");
    }
  }

  @Test
  void seededSessionsEmitTheSameV2UpdatesAsYjs() throws Exception {
    long base = Long.getLong("nodenogg.seed", 1L);
    for (long seed = base; seed < base + 30; seed++) {
      check(seed, 3, 100, seed % 2 == 0);
    }
  }

  @Test
  void v2UpdateOfTheWireReferenceExampleDecodes() {
    // the text example of docs/PROTOCOL.md §2 (\"ab😀\", then X at 1) round-trips through update v2
    Doc d = new Doc(new Doc.Options().clientId(1));
    d.getText("t").insert(0, "ab😀");
    d.getText("t").insert(1, "X");
    byte[] v2 = Updates.encodeStateAsUpdateV2(d);
    Doc e = new Doc();
    Updates.applyUpdateV2(e, v2);
    assertEquals("aXb😀", e.getText("t").toString());
    assertEquals(
        Hex.encode(Updates.encodeStateAsUpdate(d)), Hex.encode(Updates.encodeStateAsUpdate(e)));
  }
}
