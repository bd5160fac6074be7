package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nodenogg.crdt.testing.NodeJs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Quick differential check: random op scripts run on our engine and on real Yjs
 * (js/oracle/replay.mjs); every update event, the final encodeStateAsUpdate bytes and the JSON must
 * be identical. Skips when node or js/node_modules is missing.
 */
class NodeReplayTest {
  static File jsDir() {
    return NodeJs.jsDir().toFile();
  }

  static boolean nodeAvailable() {
    return NodeJs.findNode() != null && new File(jsDir(), "node_modules/yjs").isDirectory();
  }

  static String runNode(String script, String input) throws Exception {
    return NodeJs.run(jsDir().toPath(), jsDir().toPath().resolve(script), input, 60);
  }

  static final String[] WORDS = {"a", "bc", "😀", "x😀y", "hello ", "\n", "é", "12"};
  static final Object[] ATTRS_VALUES = {true, null, "red", 1};
  static final String[] ATTR_KEYS = {"bold", "italic", "color"};

  static Object randomValue(Random r) {
    switch (r.nextInt(9)) {
      case 0:
        return r.nextInt(1000) - 500;
      case 1:
        return "s" + r.nextInt(100);
      case 2:
        return 0.5;
      case 3:
        return 0.1 * r.nextInt(10);
      case 4:
        return r.nextBoolean();
      case 5:
        return null;
      case 6:
        {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("k" + r.nextInt(3), r.nextInt(5));
          m.put(String.valueOf(r.nextInt(3)), "v");
          return m;
        }
      case 7:
        return Arrays.asList(1, "two", 3.25);
      default:
        return 1e21 * r.nextInt(3);
    }
  }

  static Map<String, Object> randomAttrs(Random r) {
    Map<String, Object> m = new LinkedHashMap<>();
    int n = 1 + r.nextInt(2);
    for (int i = 0; i < n; i++) {
      m.put(ATTR_KEYS[r.nextInt(ATTR_KEYS.length)], ATTRS_VALUES[r.nextInt(ATTRS_VALUES.length)]);
    }
    return m;
  }

  /** Runs a random script on our docs, returns the script (for node) and our results. */
  static Map<String, Object> run(
      long seed,
      int nDocs,
      int nOps,
      boolean gc,
      boolean text,
      List<Object> outOps,
      List<List<String>> updates,
      List<Doc> docs) {
    return run(seed, nDocs, nOps, gc, text, false, outOps, updates, docs, new ArrayList<>());
  }

  static Map<String, Object> run(
      long seed,
      int nDocs,
      int nOps,
      boolean gc,
      boolean text,
      boolean undo,
      List<Object> outOps,
      List<List<String>> updates,
      List<Doc> docs,
      List<List<String>> updatesV2) {
    List<UndoManager> ums = new ArrayList<>();
    Random r = new Random(seed);
    for (int i = 0; i < nDocs; i++) {
      Doc d = new Doc(new Doc.Options().clientId(i + 1 + (i % 2 == 0 ? 0 : 3000000000L)).gc(gc));
      List<String> ups = new ArrayList<>();
      d.onUpdate((u, o, t) -> ups.add(Hex.encode(u)));
      List<String> upsV2 = new ArrayList<>();
      d.onUpdateV2((u, o, t) -> upsV2.add(Hex.encode(u)));
      updatesV2.add(upsV2);
      d.getText("t");
      d.getMap("m");
      d.getArray("a");
      docs.add(d);
      ums.add(
          new UndoManager(
              Arrays.asList(d.getText("t"), d.getMap("m"), d.getArray("a")),
              new UndoManager.Options().captureTimeoutMillis(1_000_000_000L)));
      updates.add(ups);
    }
    for (int k = 0; k < nOps; k++) {
      int di = r.nextInt(nDocs);
      Doc d = docs.get(di);
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("d", di);
      int kind = r.nextInt(10);
      if (undo && r.nextInt(4) == 0) {
        int u = r.nextInt(3);
        op.put("op", u == 0 ? "undo" : u == 1 ? "redo" : "stop");
        if (u == 0) {
          ums.get(di).undo();
        } else if (u == 1) {
          ums.get(di).redo();
        } else {
          ums.get(di).stopCapturing();
        }
        outOps.add(op);
        continue;
      }
      YText t = d.getText("t");
      if (kind < 4 && text) {
        int len = t.length();
        int roll = r.nextInt(10);
        if (roll < 5 || len == 0) {
          int idx = r.nextInt(len + 1);
          String s = WORDS[r.nextInt(WORDS.length)];
          op.put("op", "tins");
          op.put("idx", idx);
          op.put("s", s);
          if (r.nextInt(3) == 0) {
            Map<String, Object> a = randomAttrs(r);
            op.put("attrs", a);
            t.insert(idx, s, new LinkedHashMap<>(a));
          } else {
            t.insert(idx, s);
          }
        } else if (roll < 8) {
          int idx = r.nextInt(len);
          int l = 1 + r.nextInt(Math.min(4, len - idx));
          op.put("op", "tdel");
          op.put("idx", idx);
          op.put("len", l);
          t.delete(idx, l);
        } else if (roll < 9) {
          int idx = r.nextInt(len);
          int l = 1 + r.nextInt(Math.min(5, len - idx));
          Map<String, Object> a = randomAttrs(r);
          op.put("op", "tfmt");
          op.put("idx", idx);
          op.put("len", l);
          op.put("attrs", a);
          t.format(idx, l, new LinkedHashMap<>(a));
        } else {
          int idx = r.nextInt(len + 1);
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("image", "i" + r.nextInt(9));
          op.put("op", "tembed");
          op.put("idx", idx);
          op.put("v", e);
          t.insertEmbed(idx, e, null);
        }
      } else if (kind < 6) {
        YMap m = d.getMap("m");
        String key = "k" + r.nextInt(5);
        int roll = r.nextInt(6);
        if (roll < 3) {
          Object v = randomValue(r);
          op.put("op", "mset");
          op.put("k", key);
          op.put("v", v);
          m.set(key, v);
        } else if (roll < 4) {
          op.put("op", "mdel");
          op.put("k", key);
          m.delete(key);
        } else {
          Object v = randomValue(r);
          op.put("op", "mnest");
          op.put("k", key);
          op.put("v", v);
          YMap nm = new YMap();
          nm.set("x", v);
          m.set(key, nm);
        }
      } else if (kind < 8) {
        YArray a = d.getArray("a");
        int len = a.length();
        if (r.nextInt(3) > 0 || len == 0) {
          int idx = r.nextInt(len + 1);
          List<Object> vals = new ArrayList<>();
          int n = 1 + r.nextInt(3);
          for (int i = 0; i < n; i++) {
            vals.add(randomValue(r));
          }
          op.put("op", "ains");
          op.put("idx", idx);
          op.put("vals", vals);
          a.insert(idx, vals);
        } else {
          int idx = r.nextInt(len);
          int l = 1 + r.nextInt(Math.min(3, len - idx));
          op.put("op", "adel");
          op.put("idx", idx);
          op.put("len", l);
          a.delete(idx, l);
        }
      } else {
        int to = r.nextInt(nDocs);
        if (to == di) {
          continue;
        }
        op.put("op", "sync");
        op.put("from", di);
        op.put("to", to);
        Updates.applyUpdate(
            docs.get(to), Updates.encodeStateAsUpdate(d, Updates.encodeStateVector(docs.get(to))));
      }
      outOps.add(op);
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("gc", gc);
    List<Object> clients = new ArrayList<>();
    for (Doc d : docs) {
      clients.add(d.clientId());
    }
    input.put("clients", clients);
    input.put("ops", outOps);
    return input;
  }

  /** One prepared script: our docs and update events, and the input for node. */
  static final class Case {
    final String ctx;
    final List<List<String>> updates = new ArrayList<>();
    final List<List<String>> updatesV2 = new ArrayList<>();
    final List<Doc> docs = new ArrayList<>();
    Map<String, Object> input;

    Case(String ctx) {
      this.ctx = ctx;
    }
  }

  static Case prepare(long seed, int nDocs, int nOps, boolean gc, boolean text, boolean undo) {
    Case c = new Case("seed=" + seed + " gc=" + gc + " undo=" + undo);
    c.input =
        run(seed, nDocs, nOps, gc, text, undo, new ArrayList<>(), c.updates, c.docs, c.updatesV2);
    return c;
  }

  /** Runs all cases in one node process and compares. */
  @SuppressWarnings("unchecked")
  static void checkAll(List<Case> cases) throws Exception {
    List<Object> inputs = new ArrayList<>();
    for (Case c : cases) {
      inputs.add(c.input);
    }
    String in = Json.stringify(inputs);
    Files.writeString(new File("target/replay-last.json").toPath(), in);
    List<Object> results = (List<Object>) Json.parse(runNode("oracle/replay.mjs", in));
    for (int ci = 0; ci < cases.size(); ci++) {
      Case c = cases.get(ci);
      Map<String, Object> res = (Map<String, Object>) results.get(ci);
      List<Object> nodeUpdates = (List<Object>) res.get("updates");
      List<Object> states = (List<Object>) res.get("states");
      List<Object> json = (List<Object>) res.get("json");
      for (int i = 0; i < c.docs.size(); i++) {
        List<Object> nu = (List<Object>) nodeUpdates.get(i);
        for (int u = 0; u < Math.min(nu.size(), c.updates.get(i).size()); u++) {
          assertEquals(nu.get(u), c.updates.get(i).get(u), c.ctx + " doc " + i + " update #" + u);
        }
        assertEquals(nu.size(), c.updates.get(i).size(), c.ctx + " doc " + i + " update count");
        Doc d = c.docs.get(i);
        Map<String, Object> mine = new LinkedHashMap<>();
        mine.put("t", d.getText("t").toDelta());
        mine.put("m", d.getMap("m").toJSON());
        mine.put("a", d.getArray("a").toJSON());
        assertEquals(json.get(i), Json.stringify(mine), c.ctx + " doc " + i + " json");
        assertEquals(
            states.get(i),
            Hex.encode(Updates.encodeStateAsUpdate(d)),
            c.ctx + " doc " + i + " state");
        Snapshot snap = Snapshot.snapshot(d);
        assertEquals(
            ((List<Object>) res.get("snapshots")).get(i),
            Hex.encode(Snapshot.encodeSnapshot(snap)),
            c.ctx + " doc " + i + " snapshot");
        assertEquals(
            ((List<Object>) res.get("snapshotsV2")).get(i),
            Hex.encode(Snapshot.encodeSnapshotV2(snap)),
            c.ctx + " doc " + i + " snapshot v2");
        assertEquals(snap, Snapshot.decodeSnapshot(Snapshot.encodeSnapshot(snap)));
        assertEquals(snap, Snapshot.decodeSnapshotV2(Snapshot.encodeSnapshotV2(snap)));
        List<Object> contains = (List<Object>) ((List<Object>) res.get("contains")).get(i);
        int k = 0;
        for (List<String> ups : c.updates) {
          for (String u : ups) {
            assertEquals(
                contains.get(k++),
                Snapshot.snapshotContainsUpdate(snap, Hex.decode(u)),
                c.ctx + " doc " + i + " containsUpdate " + u);
          }
        }
        assertEquals(
            ((List<Object>) res.get("statesV2")).get(i),
            Hex.encode(Updates.encodeStateAsUpdateV2(d)),
            c.ctx + " doc " + i + " state v2");
        assertEquals(
            ((List<Object>) res.get("updatesV2")).get(i),
            new ArrayList<Object>(c.updatesV2.get(i)),
            c.ctx + " doc " + i + " v2 events");
      }
    }
  }

  @Test
  void randomScriptsMatchYjs() throws Exception {
    Assumptions.assumeTrue(
        nodeAvailable(), "node or js/node_modules/yjs missing; differential check skipped");
    long base = Long.getLong("nodenogg.seed", 1L);
    List<Case> cases = new ArrayList<>();
    for (long s = base; s < base + 25; s++) {
      cases.add(prepare(s, 3, 120, s % 2 == 0, true, false));
    }
    checkAll(cases);
  }

  @Test
  void randomScriptsWithUndoMatchYjs() throws Exception {
    Assumptions.assumeTrue(
        nodeAvailable(), "node or js/node_modules/yjs missing; differential check skipped");
    long base = Long.getLong("nodenogg.seed", 1L);
    List<Case> cases = new ArrayList<>();
    for (long s = base; s < base + 20; s++) {
      cases.add(prepare(s, 2, 100, s % 2 == 0, true, true));
    }
    checkAll(cases);
  }
}
