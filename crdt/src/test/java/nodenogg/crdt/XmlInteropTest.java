package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * XML types against real Yjs: seeded sessions build trees of elements (with attributes), texts
 * (with formatting) and hooks under a root fragment on three peers, with syncs. Update events,
 * observeDeep events (path, childListChanged, attributesChanged, delta, keys), toString, toJSON,
 * the tree walker, querySelectorAll and the final state must be identical.
 */
class XmlInteropTest {
  static YjsOracle oracle;
  static final String[] NAMES = {"p", "div", "B", "span"};
  static final String[] WORDS = {"a", "bc", "😀", "hello ", "é"};

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

  static Object value(Random r) {
    switch (r.nextInt(5)) {
      case 0:
        return "v" + r.nextInt(9);
      case 1:
        return r.nextInt(100);
      case 2:
        return r.nextBoolean();
      case 3:
        return 0.5;
      default:
        return null;
    }
  }

  static Map<String, Object> textAttrs(Random r) {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (r.nextInt(4)) {
      case 0:
        m.put("bold", true);
        break;
      case 1:
        m.put("i", null);
        break;
      case 2:
        m.put("a", Map.of("href", "x" + r.nextInt(3)));
        break;
      default:
        m.put("color", "red");
    }
    return m;
  }

  /** A random preliminary node description (the JSON both sides build from). */
  static Map<String, Object> node(Random r, int depth) {
    Map<String, Object> n = new LinkedHashMap<>();
    int k = r.nextInt(depth > 1 ? 2 : 6);
    if (k == 0) {
      n.put("text", WORDS[r.nextInt(WORDS.length)]);
    } else if (k == 1 && r.nextInt(3) == 0) {
      n.put("hook", "h" + r.nextInt(2));
    } else {
      n.put("el", NAMES[r.nextInt(NAMES.length)]);
      Map<String, Object> attrs = new LinkedHashMap<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        attrs.put("a" + r.nextInt(4), value(r));
      }
      n.put("attrs", attrs);
      List<Object> children = new ArrayList<>();
      for (int i = depth < 2 ? r.nextInt(3) : 0; i > 0; i--) {
        children.add(node(r, depth + 1));
      }
      n.put("children", children);
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  static Object build(Map<String, Object> n) {
    if (n.containsKey("text")) {
      return new YXmlText((String) n.get("text"));
    }
    if (n.containsKey("hook")) {
      YXmlHook h = new YXmlHook((String) n.get("hook"));
      h.set("k", n.get("hook"));
      return h;
    }
    YXmlElement el = new YXmlElement((String) n.get("el"));
    for (Map.Entry<String, Object> e : ((Map<String, Object>) n.get("attrs")).entrySet()) {
      el.setAttribute(e.getKey(), e.getValue());
    }
    List<Object> cs = new ArrayList<>();
    for (Object c : (List<Object>) n.get("children")) {
      cs.add(build((Map<String, Object>) c));
    }
    el.insert(0, cs);
    return el;
  }

  static Object at(Doc d, List<Integer> path) {
    Object t = d.getXmlFragment("x");
    for (int i : path) {
      t = ((YXmlFragment) t).get(i);
    }
    return t;
  }

  /** Picks a random node of the tree: returns its path (fragment/element/text). */
  static List<Integer> randomPath(Random r, Doc d, boolean wantText) {
    List<Integer> path = new ArrayList<>();
    Object t = d.getXmlFragment("x");
    while (t instanceof YXmlFragment && ((YXmlFragment) t).length() > 0 && r.nextInt(3) > 0) {
      int i = r.nextInt(((YXmlFragment) t).length());
      Object c = ((YXmlFragment) t).get(i);
      if (c instanceof YXmlHook) {
        break;
      }
      path.add(i);
      t = c;
      if (c instanceof YXmlText) {
        break;
      }
    }
    if (wantText != (t instanceof YXmlText)) {
      return null;
    }
    return path;
  }

  static String eventJson(YEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", e.path());
    m.put("target", e.target().getClass().getSimpleName().replace("YXml", "YXml"));
    if (e instanceof YXmlEvent) {
      m.put("childList", ((YXmlEvent) e).childListChanged());
      List<String> a = new ArrayList<>(((YXmlEvent) e).attributesChanged());
      a.sort(null);
      m.put("attrs", a);
    } else if (e instanceof YTextEvent) {
      m.put("childList", ((YTextEvent) e).childListChanged());
      m.put("attrs", null);
    } else {
      m.put("childList", null);
      m.put("attrs", null);
    }
    List<Object> delta = new ArrayList<>();
    for (Map<String, Object> op : e instanceof YTextEvent ? e.delta() : e.changes().delta) {
      Object ins = op.get("insert");
      if (ins instanceof List) {
        List<Object> l = new ArrayList<>();
        for (Object o : (List<Object>) ins) {
          l.add(AbstractType.toPlain(o));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("insert", l);
        delta.add(c);
      } else {
        delta.add(op);
      }
    }
    m.put("delta", delta);
    List<Object> keys = new ArrayList<>();
    e.changes()
        .keys
        .forEach((k, c) -> keys.add(Arrays.asList(k, c.action, AbstractType.toPlain(c.oldValue))));
    m.put("keys", keys);
    return Json.stringify(m);
  }

  final int[] coverage = new int[4];

  @SuppressWarnings("unchecked")
  void check(long seed) throws Exception {
    Random r = new Random(seed);
    boolean gc = seed % 2 == 0;
    List<Object> clients = List.of(1L, 3000000002L, 3L);
    List<Doc> docs = new ArrayList<>();
    List<List<String>> v1 = new ArrayList<>();
    List<List<String>> v2 = new ArrayList<>();
    List<List<String>> events = new ArrayList<>();
    for (Object c : clients) {
      Doc d = new Doc(new Doc.Options().clientId((Long) c).gc(gc));
      List<String> ev = new ArrayList<>();
      List<String> us = new ArrayList<>();
      d.onUpdate((u, o, t) -> us.add(Hex.encode(u)));
      List<String> us2 = new ArrayList<>();
      d.onUpdateV2((u, o, t) -> us2.add(Hex.encode(u)));
      v2.add(us2);
      d.getXmlFragment("x")
          .observeDeep(
              evs -> {
                for (YEvent e : evs) {
                  ev.add(eventJson(e));
                }
              });
      docs.add(d);
      v1.add(us);
      events.add(ev);
    }
    List<Object> ops = new ArrayList<>();
    for (int k = 0; k < 70; k++) {
      int di = r.nextInt(docs.size());
      Doc d = docs.get(di);
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("d", di);
      int kind = r.nextInt(10);
      if (kind < 3) {
        List<Integer> path = randomPath(r, d, false);
        if (path == null) {
          continue;
        }
        YXmlFragment f = (YXmlFragment) at(d, path);
        List<Object> nodes = new ArrayList<>();
        for (int i = 1 + r.nextInt(2); i > 0; i--) {
          nodes.add(node(r, path.size()));
        }
        int idx = r.nextInt(f.length() + 1);
        op.put("op", "xins");
        op.put("path", path);
        op.put("idx", idx);
        op.put("nodes", nodes);
        List<Object> built = new ArrayList<>();
        for (Object n : nodes) {
          built.add(build((Map<String, Object>) n));
        }
        f.insert(idx, built);
      } else if (kind < 4) {
        List<Integer> path = randomPath(r, d, false);
        if (path == null || ((YXmlFragment) at(d, path)).length() == 0) {
          continue;
        }
        YXmlFragment f = (YXmlFragment) at(d, path);
        int idx = r.nextInt(f.length());
        int len = 1 + r.nextInt(Math.min(2, f.length() - idx));
        op.put("op", "xdel");
        op.put("path", path);
        op.put("idx", idx);
        op.put("len", len);
        f.delete(idx, len);
      } else if (kind < 6) {
        List<Integer> path = randomPath(r, d, false);
        if (path == null || !(at(d, path) instanceof YXmlElement)) {
          continue;
        }
        YXmlElement el = (YXmlElement) at(d, path);
        String key = "a" + r.nextInt(4);
        op.put("path", path);
        op.put("k", key);
        if (r.nextInt(4) == 0) {
          op.put("op", "xrmattr");
          el.removeAttribute(key);
        } else {
          Object v = value(r);
          op.put("op", "xattr");
          op.put("v", v);
          el.setAttribute(key, v);
        }
      } else if (kind < 9) {
        List<Integer> path = randomPath(r, d, true);
        if (path == null) {
          continue;
        }
        YXmlText t = (YXmlText) at(d, path);
        int len = t.length();
        op.put("path", path);
        int roll = r.nextInt(3);
        if (roll == 0 || len == 0) {
          int idx = r.nextInt(len + 1);
          String s = WORDS[r.nextInt(WORDS.length)];
          op.put("op", "xtins");
          op.put("idx", idx);
          op.put("s", s);
          if (r.nextBoolean()) {
            Map<String, Object> a = textAttrs(r);
            op.put("attrs", a);
            t.insert(idx, s, new LinkedHashMap<>(a));
          } else {
            t.insert(idx, s);
          }
        } else if (roll == 1) {
          int idx = r.nextInt(len);
          int l = 1 + r.nextInt(Math.min(3, len - idx));
          Map<String, Object> a = textAttrs(r);
          op.put("op", "xtfmt");
          op.put("idx", idx);
          op.put("len", l);
          op.put("attrs", a);
          t.format(idx, l, new LinkedHashMap<>(a));
        } else {
          int idx = r.nextInt(len);
          int l = 1 + r.nextInt(Math.min(3, len - idx));
          op.put("op", "xtdel");
          op.put("idx", idx);
          op.put("len", l);
          t.delete(idx, l);
        }
      } else {
        int to = r.nextInt(docs.size());
        if (to == di) {
          continue;
        }
        op.put("op", "sync");
        op.put("from", di);
        op.put("to", to);
        Updates.applyUpdate(
            docs.get(to), Updates.encodeStateAsUpdate(d, Updates.encodeStateVector(docs.get(to))));
      }
      ops.add(op);
    }
    Map<String, Object> req = new LinkedHashMap<>();
    req.put("cmd", "xml");
    req.put("gc", gc);
    req.put("clients", clients);
    req.put("ops", ops);
    List<Object> res = (List<Object>) oracle.call(req);
    for (int i = 0; i < docs.size(); i++) {
      Map<String, Object> y = (Map<String, Object>) res.get(i);
      String ctx = "seed=" + seed + " doc " + i;
      Doc d = docs.get(i);
      YXmlFragment x = d.getXmlFragment("x");
      assertEquals(y.get("v1"), new ArrayList<Object>(v1.get(i)), ctx + " update events");
      assertEquals(y.get("v2"), new ArrayList<Object>(v2.get(i)), ctx + " v2 update events");
      assertEquals(
          y.get("stateV2"), Hex.encode(Updates.encodeStateAsUpdateV2(d)), ctx + " state v2");
      assertEquals(
          y.get("events"), new ArrayList<Object>(events.get(i)), ctx + " observeDeep events");
      assertEquals(y.get("str"), x.toString(), ctx + " toString");
      assertEquals(y.get("json"), Json.stringify(d.toJSON()), ctx + " doc.toJSON");
      List<Object> walk = new ArrayList<>();
      for (AbstractType<?> t : x.createTreeWalker(t -> true)) {
        walk.add(t.getClass().getSimpleName().replace("YXml", "YXml") + ":" + t);
      }
      assertEquals(y.get("walk"), walk, ctx + " tree walker");
      assertEquals(
          ((Number) y.get("ps")).intValue(),
          x.querySelectorAll("p").size(),
          ctx + " querySelectorAll");
      assertEquals(y.get("state"), Hex.encode(Updates.encodeStateAsUpdate(d)), ctx + " state");
      String str = x.toString();
      coverage[0] += str.contains("<bold>") || str.contains("<a href=") ? 1 : 0;
      coverage[1] += str.contains("=\"") ? 1 : 0;
      coverage[2] += events.get(i).size();
      coverage[3] += str.contains("[object Object]") ? 1 : 0;
    }
  }

  @Test
  void xmlSessionsMatchYjs() throws Exception {
    long base = Long.getLong("nodenogg.seed", 1L);
    for (long seed = base; seed < base + 12; seed++) {
      check(seed);
    }
    for (int c : coverage) {
      org.junit.jupiter.api.Assertions.assertTrue(c > 0, "coverage " + Arrays.toString(coverage));
    }
  }
}
