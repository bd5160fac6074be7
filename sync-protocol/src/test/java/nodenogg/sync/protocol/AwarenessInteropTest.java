package nodenogg.sync.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Runs the same awareness scenarios on y-protocols 1.0.7 (Node) and on {@link Awareness} and
 * compares every observable line: encoded bytes, change/update events with origins, states and
 * clocks.
 */
class AwarenessInteropTest {

  private static Map<String, Object> op(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** The Java side of awareness-oracle.mjs. */
  private static String runJava(List<Map<String, Object>> ops) {
    Map<String, Awareness> peers = new HashMap<>();
    Map<String, byte[]> vars = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (Map<String, Object> op : ops) {
      String name = (String) op.get("name");
      Awareness a = peers.get(name);
      switch ((String) op.get("op")) {
        case "new":
          {
            Awareness n = new Awareness(((Number) op.get("id")).longValue(), () -> 1000L);
            n.onChange((c, o) -> out.add("change " + name + " " + fmt(c) + " " + o));
            n.onUpdate((c, o) -> out.add("update " + name + " " + fmt(c) + " " + o));
            peers.put(name, n);
            break;
          }
        case "set":
          a.setLocalState(op.get("state"));
          break;
        case "remove":
          a.removeStates(ids(op.get("ids")), op.get("origin"));
          break;
        case "encode":
          {
            byte[] u = a.encodeUpdate(ids(op.get("ids")));
            vars.put((String) op.get("into"), u);
            out.add("bytes " + op.get("into") + " " + hex(u));
            break;
          }
        case "encodeAll":
          {
            byte[] u = a.encodeAllStates();
            vars.put((String) op.get("into"), u);
            out.add("bytes " + op.get("into") + " " + hex(u));
            break;
          }
        case "apply":
          a.applyUpdate(vars.get((String) op.get("from")), op.get("origin"));
          break;
        case "applyHex":
          try {
            a.applyUpdate(unhex((String) op.get("hex")), op.get("origin"));
          } catch (ProtocolException e) {
            out.add("error " + name);
          }
          break;
        case "states":
          {
            List<Object> rows = new ArrayList<>();
            Map<Long, Object> st = a.getStates();
            List<Long> idsSeen = new ArrayList<>();
            for (long id = 0; id < 100_000; id++) {
              if (a.meta(id) != null) {
                idsSeen.add(id);
              }
            }
            for (long id : idsSeen) {
              rows.add(
                  List.of(
                      (int) id,
                      (int) a.meta(id).clock(),
                      st.containsKey(id) ? Awareness.stringifyJson(st.get(id)) : "-"));
            }
            out.add("states " + name + " " + Awareness.stringifyJson(rows));
            break;
          }
        default:
          throw new IllegalArgumentException(String.valueOf(op.get("op")));
      }
    }
    return String.join("\n", out) + "\n";
  }

  private static List<Long> ids(Object o) {
    List<Long> l = new ArrayList<>();
    for (Object x : (List<?>) o) {
      l.add(((Number) x).longValue());
    }
    return l;
  }

  private static String fmt(Awareness.Change c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("added", c.added());
    m.put("updated", c.updated());
    m.put("removed", c.removed());
    return Awareness.stringifyJson(m);
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }

  static byte[] unhex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  private static void compare(List<Map<String, Object>> ops) throws Exception {
    String program = Awareness.stringifyJson(ops);
    String expected = NodeScript.run("awareness-oracle.mjs", program);
    assertTrue(
        expected.contains("bytes ") && expected.contains("states "),
        "oracle printed nothing useful: " + expected);
    assertEquals(expected, runJava(ops), "scenario: " + program);
  }

  @Test
  void handWrittenScenarioMatchesYProtocols() throws Exception {
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(op("op", "new", "name", "a", "id", 42));
    ops.add(op("op", "new", "name", "b", "id", 7));
    ops.add(op("op", "encode", "name", "a", "ids", List.of(42), "into", "initial"));
    ops.add(
        op("op", "apply", "name", "b", "from", "initial", "origin", "remote")); // ignored: clock 0
    Object state =
        Awareness.parseJson(
            "{\"user\":{\"name\":\"\u00e4\ud83d\ude00 \\\"q\\\" \\n\\u0001\","
                + "\"color\":\"#f00\"},\"n\":[1,0.5,0.1,1e21,123456789012,1e-7,-0,2.5e-8,-3.75],\"10\":1,\"2\":[],"
                + "\"b\":null,\"t\":true}");
    ops.add(op("op", "set", "name", "a", "state", state));
    ops.add(op("op", "encode", "name", "a", "ids", List.of(42), "into", "s1"));
    ops.add(op("op", "apply", "name", "b", "from", "s1", "origin", "remote"));
    ops.add(
        op("op", "apply", "name", "b", "from", "s1", "origin", "again")); // equal clock: ignored
    ops.add(op("op", "set", "name", "a", "state", state)); // same state: update only
    ops.add(op("op", "encode", "name", "a", "ids", List.of(42), "into", "s2"));
    ops.add(op("op", "apply", "name", "b", "from", "s2", "origin", "remote"));
    ops.add(op("op", "set", "name", "b", "state", Awareness.parseJson("{\"cursor\":{\"x\":3}}")));
    ops.add(op("op", "encodeAll", "name", "b", "into", "all"));
    ops.add(op("op", "apply", "name", "a", "from", "all", "origin", "peer"));
    ops.add(op("op", "remove", "name", "b", "ids", List.of(42), "origin", "custom"));
    ops.add(op("op", "encode", "name", "b", "ids", List.of(42), "into", "kill"));
    ops.add(
        op("op", "apply", "name", "a", "from", "kill", "origin", "peer")); // own state: clock bump
    ops.add(op("op", "states", "name", "a"));
    ops.add(op("op", "states", "name", "b"));
    ops.add(op("op", "set", "name", "a", "state", null));
    ops.add(op("op", "encode", "name", "a", "ids", List.of(42), "into", "bye"));
    ops.add(op("op", "apply", "name", "b", "from", "bye", "origin", "remote"));
    ops.add(op("op", "states", "name", "b"));
    // hand-made inputs: a known clock-5 entry for 300, then bad JSON and truncation
    ops.add(op("op", "applyHex", "name", "b", "hex", "01ac0205077b2261223a317d", "origin", "hex"));
    ops.add(op("op", "applyHex", "name", "b", "hex", "01ac0206037b2261", "origin", "hex"));
    ops.add(op("op", "applyHex", "name", "b", "hex", "01ac0206047b617d", "origin", "hex"));
    ops.add(op("op", "applyHex", "name", "b", "hex", "01ac020604226161", "origin", "hex"));
    ops.add(op("op", "states", "name", "b"));
    compare(ops);
  }

  @Test
  void randomScenariosMatchYProtocols() throws Exception {
    long seed = 20261126L;
    Random rnd = new Random(seed);
    List<Map<String, Object>> ops = new ArrayList<>();
    String[] names = {"p", "q", "r"};
    for (int i = 0; i < names.length; i++) {
      ops.add(op("op", "new", "name", names[i], "id", 1 + i * 1000));
    }
    for (int step = 0; step < 300; step++) {
      String n = names[rnd.nextInt(3)];
      int kind = rnd.nextInt(6);
      if (kind == 0) {
        ops.add(
            op(
                "op",
                "set",
                "name",
                n,
                "state",
                rnd.nextInt(6) == 0
                    ? null
                    : Awareness.parseJson(
                        "{\"v\":" + rnd.nextInt(3) + ",\"w\":" + (rnd.nextInt(3) / 4.0) + "}")));
      } else if (kind == 1) {
        ops.add(
            op(
                "op",
                "remove",
                "name",
                n,
                "ids",
                List.of(1 + rnd.nextInt(3) * 1000),
                "origin",
                "rm"));
      } else {
        String into = "v" + step;
        ops.add(op("op", "encodeAll", "name", n, "into", into));
        ops.add(
            op("op", "apply", "name", names[rnd.nextInt(3)], "from", into, "origin", "o" + step));
      }
    }
    for (String n : names) {
      ops.add(op("op", "states", "name", n));
    }
    try {
      compare(ops);
    } catch (AssertionError e) {
      throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
    }
  }
}
