package nodenogg.crdt.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nodenogg.crdt.AbstractType;
import nodenogg.crdt.Doc;
import nodenogg.crdt.YArray;
import nodenogg.crdt.YMap;
import nodenogg.crdt.YText;

/**
 * Seeded random editing on Java peers of a {@link TestNetwork}: map/array/text operations on the
 * roots {@code map}, {@code array}, {@code text} and on nested types, interleaved with partial
 * delivery. {@link #run} ends with a flush and resyncs and returns null when every peer converged,
 * else the reason.
 */
public final class ScenarioRunner {
  private static final String[] KEYS = {"a", "b", "c", "10", "2", "", "é", "😀"};
  private static final String[] CHARS = {"a", "b", "Z", " ", "é", "😀", "中", "\n"};
  private static final Object[] NUMBERS = {
    0,
    1,
    -1,
    2147483647,
    2147483648.0,
    -2147483648,
    -0.0,
    0.5,
    0.1,
    1099511627776.0,
    9007199254740992.0,
    1e21
  };

  private ScenarioRunner() {}

  public static String run(long seed, int peers, int steps, boolean gc) {
    TestNetwork net = new TestNetwork(seed, peers, gc);
    Random r = net.random();
    for (int s = 0; s < steps; s++) {
      if (r.nextDouble() < 0.3) {
        net.deliverSome(1 + r.nextInt(4));
      } else {
        Doc d = net.peers.get(r.nextInt(peers));
        int ops = 1 + (r.nextDouble() < 0.3 ? r.nextInt(3) : 0);
        d.transact(
            tr -> {
              for (int i = 0; i < ops; i++) randomOp(r, d);
            });
      }
    }
    net.flush();
    String why = null;
    for (int round = 0; round < 4; round++) {
      net.resyncAll();
      why = net.divergence(!gc);
      if (why == null) break;
    }
    return why;
  }

  static List<AbstractType<?>> targets(Doc d) {
    List<AbstractType<?>> out = new ArrayList<>();
    collect(d.getMap("map"), out, 0);
    collect(d.getArray("array"), out, 0);
    out.add(d.getText("text"));
    return out;
  }

  private static void collect(AbstractType<?> t, List<AbstractType<?>> out, int depth) {
    out.add(t);
    if (depth > 2) return;
    if (t instanceof YMap) {
      YMap m = (YMap) t;
      for (String k : m.keys())
        if (m.get(k) instanceof AbstractType) collect((AbstractType<?>) m.get(k), out, depth + 1);
    } else if (t instanceof YArray) {
      YArray a = (YArray) t;
      for (int i = 0; i < a.length(); i++)
        if (a.get(i) instanceof AbstractType) collect((AbstractType<?>) a.get(i), out, depth + 1);
    }
  }

  static void randomOp(Random r, Doc d) {
    List<AbstractType<?>> ts = targets(d);
    AbstractType<?> t = ts.get(r.nextInt(ts.size()));
    if (t instanceof YMap) {
      YMap m = (YMap) t;
      if (m.size() > 0 && r.nextDouble() < 0.25) {
        List<String> ks = new ArrayList<>(m.keys());
        m.delete(ks.get(r.nextInt(ks.size())));
      } else {
        m.set(KEYS[r.nextInt(KEYS.length)], value(r, true));
      }
    } else if (t instanceof YArray) {
      YArray a = (YArray) t;
      int len = a.length();
      if (len > 0 && r.nextDouble() < 0.3) {
        int i = r.nextInt(len);
        a.delete(i, 1 + r.nextInt(Math.min(3, len - i)));
      } else {
        List<Object> vs = new ArrayList<>();
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) vs.add(value(r, false));
        a.insert(r.nextInt(len + 1), vs);
      }
    } else {
      // Positions stay on code-point boundaries: splitting a surrogate pair is a local, diverging
      // edit
      // in Yjs too (both halves become U+FFFD on one peer only); the differential tests cover it.
      YText x = (YText) t;
      String str = indexString(x);
      int len = x.length();
      double p = r.nextDouble();
      if (len > 0 && p < 0.25) {
        int i = boundary(str, r.nextInt(len));
        int end = boundary(str, Math.min(len, i + 1 + r.nextInt(4)));
        if (end > i) x.delete(i, end - i);
      } else if (len > 0 && p < 0.4) {
        int i = boundary(str, r.nextInt(len));
        int end = boundary(str, i + 1 + r.nextInt(len - i));
        Map<String, Object> at = new LinkedHashMap<>();
        at.put(r.nextBoolean() ? "bold" : "italic", r.nextDouble() < 0.3 ? null : Boolean.TRUE);
        if (end > i) x.format(i, end - i, at);
      } else if (p < 0.45) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("image", "x" + r.nextInt(9));
        x.insertEmbed(boundary(str, r.nextInt(len + 1)), e, null);
      } else {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) sb.append(CHARS[r.nextInt(CHARS.length)]);
        x.insert(boundary(str, r.nextInt(len + 1)), sb.toString());
      }
    }
  }

  /** The text with one placeholder per embed, so that string indices are YText indices. */
  static String indexString(YText x) {
    StringBuilder sb = new StringBuilder();
    for (Map<String, Object> op : x.toDelta()) {
      Object ins = op.get("insert");
      sb.append(ins instanceof String ? (String) ins : "E");
    }
    return sb.toString();
  }

  /** i moved back one unit when it falls between the halves of a surrogate pair . */
  static int boundary(String s, int i) {
    if (i > 0
        && i < s.length()
        && Character.isHighSurrogate(s.charAt(i - 1))
        && Character.isLowSurrogate(s.charAt(i))) return i - 1;
    return i;
  }

  static Object value(Random r, boolean mapValue) {
    switch (r.nextInt(9)) {
      case 0:
        return r.nextInt(100) - 50;
      case 1:
        return NUMBERS[r.nextInt(NUMBERS.length)];
      case 2:
        return "s" + r.nextInt(50);
      case 3:
        return r.nextBoolean();
      case 4:
        return mapValue && r.nextBoolean() ? BigInteger.valueOf(r.nextLong()) : null;
      case 5:
        return new byte[] {(byte) r.nextInt(256), 7};
      case 6:
        {
          Map<String, Object> o = new LinkedHashMap<>();
          o.put(KEYS[r.nextInt(KEYS.length)], r.nextInt(10));
          o.put("list", List.of(1, "x", 0.5));
          return o;
        }
      case 7:
        return List.of(r.nextInt(5), "y");
      default:
        {
          int k = r.nextInt(3);
          return k == 0 ? new YMap() : k == 1 ? new YArray() : new YText();
        }
    }
  }
}
