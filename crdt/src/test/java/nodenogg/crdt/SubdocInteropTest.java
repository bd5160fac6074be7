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
 * Sub-documents against real Yjs: the same op scripts (Yjs doc.tests.js testSubdoc's scenario, plus
 * seeded random scripts) run on two parent docs; the logged 'subdocs' events (added, removed,
 * loaded), update events, getSubdocGuids after each op, the named docs' flags, and the final state
 * and JSON must be identical.
 */
class SubdocInteropTest {
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

  static Map<String, Object> op(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static String guids(java.util.Set<Doc> s) {
    List<Object> l = new ArrayList<>();
    for (Doc d : s) {
      l.add(d.guid());
    }
    return Json.stringify(l);
  }

  /** Our side of js/oracle/v2-oracle.mjs "subdocs". */
  @SuppressWarnings("unchecked")
  static List<Object> run(List<Map<String, Object>> ops, boolean gc) {
    Map<String, Doc> parents = new LinkedHashMap<>();
    parents.put("P", new Doc(new Doc.Options().clientId(1).gc(gc)));
    parents.put("Q", new Doc(new Doc.Options().clientId(2).gc(gc)));
    Map<String, Doc> named = new LinkedHashMap<>();
    List<Object> log = new ArrayList<>();
    parents.forEach(
        (n, d) -> {
          d.getMap("mysubdocs");
          d.getArray("arr");
          d.onSubdocs(
              e ->
                  log.add(
                      n
                          + " subdocs ["
                          + guids(e.added())
                          + ","
                          + guids(e.removed())
                          + ","
                          + guids(e.loaded())
                          + "]"));
          d.onUpdate((u, o, t) -> log.add(n + " update " + Hex.encode(u)));
        });
    for (Map<String, Object> o : ops) {
      String name = (String) o.get("name");
      switch ((String) o.get("op")) {
        case "new":
          {
            Doc.Options opts = new Doc.Options().guid((String) o.get("guid"));
            if (o.containsKey("shouldLoad")) {
              opts.shouldLoad((Boolean) o.get("shouldLoad"));
            }
            if (o.containsKey("autoLoad")) {
              opts.autoLoad((Boolean) o.get("autoLoad"));
            }
            if (o.containsKey("gc")) {
              opts.gc((Boolean) o.get("gc"));
            }
            if (o.containsKey("meta")) {
              opts.meta(o.get("meta"));
            }
            named.put(name, new Doc(opts));
            break;
          }
        case "load":
          named.get(name).load();
          break;
        case "destroy":
          named.get(name).destroy();
          break;
        case "set":
          parents.get(o.get("doc")).getMap("mysubdocs").set((String) o.get("key"), named.get(name));
          break;
        case "push":
          parents.get(o.get("doc")).getArray("arr").push(List.of(named.get(name)));
          break;
        case "get":
          named.put(
              name, (Doc) parents.get(o.get("doc")).getMap("mysubdocs").get((String) o.get("key")));
          break;
        case "aget":
          named.put(
              name,
              (Doc)
                  parents
                      .get(o.get("doc"))
                      .getArray("arr")
                      .get(((Number) o.get("index")).intValue()));
          break;
        case "del":
          parents.get(o.get("doc")).getMap("mysubdocs").delete((String) o.get("key"));
          break;
        case "adel":
          parents.get(o.get("doc")).getArray("arr").delete(((Number) o.get("index")).intValue(), 1);
          break;
        case "sync":
          {
            Doc from = parents.get(o.get("from"));
            Doc to = parents.get(o.get("to"));
            Updates.applyUpdate(
                to, Updates.encodeStateAsUpdate(from, Updates.encodeStateVector(to)));
            break;
          }
        default:
          throw new IllegalArgumentException(String.valueOf(o.get("op")));
      }
      parents.forEach(
          (n, d) ->
              log.add(n + " guids " + Json.stringify(new ArrayList<Object>(d.getSubdocGuids()))));
      if (name != null && named.get(name) != null) {
        Doc x = named.get(name);
        List<Object> st = new ArrayList<>();
        st.add(x.guid());
        st.add(x.shouldLoad());
        st.add(x.autoLoad());
        st.add(x.meta());
        st.add(x.gc());
        st.add(x.isDestroyed());
        log.add(name + " state " + Json.stringify(st));
      }
    }
    parents.forEach(
        (n, d) ->
            log.add(
                n
                    + " final "
                    + Hex.encode(Updates.encodeStateAsUpdate(d))
                    + " "
                    + Json.stringify(d.toJSON())));
    return log;
  }

  @SuppressWarnings("unchecked")
  static void compare(List<Map<String, Object>> ops, boolean gc, String ctx) throws Exception {
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("cmd", "subdocs");
    req.put("gc", gc);
    req.put("ops", ops);
    List<Object> yjs = (List<Object>) oracle.call(req);
    List<Object> ours = run(ops, gc);
    for (int i = 0; i < Math.min(yjs.size(), ours.size()); i++) {
      assertEquals(yjs.get(i), ours.get(i), ctx + " log line " + i);
    }
    assertEquals(yjs.size(), ours.size(), ctx + " log length");
  }

  /** The scenario of yjs tests/doc.tests.js testSubdoc, run on both engines. */
  @Test
  void testSubdoc() throws Exception {
    List<Map<String, Object>> ops =
        List.of(
            op("op", "new", "name", "A", "guid", "a"),
            op("op", "load", "name", "A"),
            op("op", "set", "doc", "P", "key", "a", "name", "A"),
            op("op", "get", "doc", "P", "key", "a", "name", "A1"),
            op("op", "load", "name", "A1"),
            op("op", "destroy", "name", "A1"),
            op("op", "get", "doc", "P", "key", "a", "name", "A2"),
            op("op", "load", "name", "A2"),
            op("op", "new", "name", "B", "guid", "a", "shouldLoad", false),
            op("op", "set", "doc", "P", "key", "b", "name", "B"),
            op("op", "get", "doc", "P", "key", "b", "name", "B1"),
            op("op", "load", "name", "B1"),
            op("op", "new", "name", "C", "guid", "c"),
            op("op", "load", "name", "C"),
            op("op", "set", "doc", "P", "key", "c", "name", "C"),
            op("op", "sync", "from", "P", "to", "Q"),
            op("op", "get", "doc", "Q", "key", "a", "name", "QA"),
            op("op", "load", "name", "QA"),
            op("op", "del", "doc", "Q", "key", "a"));
    compare(ops, true, "testSubdoc");
  }

  @Test
  void randomSubdocScriptsMatchYjs() throws Exception {
    long base = Long.getLong("nodenogg.seed", 1L);
    for (long seed = base; seed < base + 10; seed++) {
      Random r = new Random(seed);
      List<Map<String, Object>> ops = new ArrayList<>();
      int made = 0;
      for (int k = 0; k < 30; k++) {
        String doc = r.nextBoolean() ? "P" : "Q";
        switch (r.nextInt(9)) {
          case 0:
          case 1:
            {
              Map<String, Object> o =
                  op("op", "new", "name", "N" + made, "guid", "g" + r.nextInt(4));
              if (r.nextBoolean()) {
                o.put("shouldLoad", r.nextBoolean());
              }
              if (r.nextInt(3) == 0) {
                o.put("autoLoad", true);
              }
              if (r.nextInt(3) == 0) {
                o.put("gc", false);
              }
              if (r.nextInt(3) == 0) {
                o.put("meta", Map.of("m", r.nextInt(3)));
              }
              ops.add(o);
              ops.add(
                  r.nextBoolean()
                      ? op("op", "set", "doc", doc, "key", "k" + r.nextInt(3), "name", "N" + made)
                      : op("op", "push", "doc", doc, "name", "N" + made));
              made++;
              break;
            }
          case 2:
            ops.add(op("op", "get", "doc", doc, "key", "k" + r.nextInt(3), "name", "G" + k));
            if (r.nextBoolean()) {
              ops.add(op("op", "load", "name", "G" + k));
            } else {
              ops.add(op("op", "destroy", "name", "G" + k));
            }
            break;
          case 3:
            ops.add(op("op", "del", "doc", doc, "key", "k" + r.nextInt(3)));
            break;
          case 4:
            ops.add(op("op", "aget", "doc", doc, "index", 0, "name", "H" + k));
            ops.add(op("op", "load", "name", "H" + k));
            break;
          case 5:
            ops.add(op("op", "adel", "doc", doc, "index", 0));
            break;
          default:
            ops.add(op("op", "sync", "from", doc, "to", doc.equals("P") ? "Q" : "P"));
        }
      }
      // drop ops that would fail identically on both sides (reading a missing key/index)
      List<Map<String, Object>> safe = new ArrayList<>();
      for (Map<String, Object> o : ops) {
        safe.add(o);
        try {
          run(safe, seed % 2 == 0);
        } catch (RuntimeException e) {
          safe.remove(safe.size() - 1);
        }
      }
      compare(safe, seed % 2 == 0, "seed=" + seed);
    }
  }
}
