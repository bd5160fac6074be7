package nodenogg.crdt.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nodenogg.crdt.YArray;
import nodenogg.crdt.YMap;
import nodenogg.crdt.YText;
import nodenogg.crdt.encoding.Undefined;

/**
 * The tagged value form shared with js/oracle/values.mjs ({@code typed()}): plain JSON loses -0,
 * NaN, bigint, undefined, binary and nested shared types, this form keeps them. {@link #of} renders
 * a value read from a Java doc; {@link #canon} normalises a form parsed from the oracle's JSON so
 * both compare with {@code equals} (all numbers become {@link Double}); {@link #toJava} turns a
 * form into an API value.
 */
public final class Typed {
  private Typed() {}

  /** Tagged, canonical form of a value read from a Java document. */
  public static Object of(Object v) {
    if (v == null) return null;
    if (v == Undefined.INSTANCE) return tag("$undef", 1.0);
    if (v instanceof BigInteger) return tag("$big", v.toString());
    if (v instanceof Number) return number(((Number) v).doubleValue());
    if (v instanceof String || v instanceof Boolean) return v;
    if (v instanceof byte[]) return tag("$bin", Base64.getEncoder().encodeToString((byte[]) v));
    if (v instanceof YText) return tag("$ytext", delta(((YText) v).toDelta()));
    if (v instanceof YArray) {
      YArray a = (YArray) v;
      List<Object> l = new ArrayList<>();
      for (int i = 0; i < a.length(); i++) l.add(of(a.get(i)));
      return tag("$yarray", l);
    }
    if (v instanceof YMap) {
      YMap m = (YMap) v;
      Map<String, Object> o = new TreeMap<>();
      for (String k : m.keys()) o.put(k, of(m.get(k)));
      return tag("$ymap", new LinkedHashMap<>(o));
    }
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object x : (List<?>) v) l.add(of(x));
      return l;
    }
    if (v instanceof Map) {
      Map<String, Object> o = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet())
        o.put((String) e.getKey(), of(e.getValue()));
      return o;
    }
    return tag("$unknown", v.getClass().getName());
  }

  public static List<Object> delta(List<Map<String, Object>> ops) {
    List<Object> l = new ArrayList<>();
    for (Map<String, Object> op : ops) l.add(of(op));
    return l;
  }

  static Object number(double d) {
    if (d == 0 && 1 / d < 0) return tag("$num", "-0");
    if (Double.isNaN(d)) return tag("$num", "NaN");
    if (Double.isInfinite(d)) return tag("$num", d > 0 ? "Infinity" : "-Infinity");
    return d;
  }

  /** Canonical form of a typed value parsed from the oracle (numbers to Double). */
  public static Object canon(Object v) {
    if (v instanceof Number) return ((Number) v).doubleValue();
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object x : (List<?>) v) l.add(canon(x));
      return l;
    }
    if (v instanceof Map) {
      Map<String, Object> o = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet())
        o.put((String) e.getKey(), canon(e.getValue()));
      return o;
    }
    return v;
  }

  /**
   * An API value from a typed form: {$type: map|array|text} gives a new preliminary shared type.
   */
  public static Object toJava(Object v) {
    if (v instanceof Long) {
      long l = (Long) v;
      return l == (int) l ? Integer.valueOf((int) l) : Double.valueOf(l);
    }
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object x : (List<?>) v) l.add(toJava(x));
      return l;
    }
    if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.containsKey("$undef")) return Undefined.INSTANCE;
      if (m.containsKey("$num")) {
        String s = (String) m.get("$num");
        switch (s) {
          case "-0":
            return -0.0;
          case "NaN":
            return Double.NaN;
          case "Infinity":
            return Double.POSITIVE_INFINITY;
          case "-Infinity":
            return Double.NEGATIVE_INFINITY;
          default:
            return Double.parseDouble(s);
        }
      }
      if (m.containsKey("$big")) return new BigInteger((String) m.get("$big"));
      if (m.containsKey("$bin")) return Base64.getDecoder().decode((String) m.get("$bin"));
      if (m.containsKey("$type")) {
        switch ((String) m.get("$type")) {
          case "map":
            return new YMap();
          case "array":
            return new YArray();
          case "text":
            return new YText();
          default:
            throw new IllegalArgumentException("unknown $type " + m.get("$type"));
        }
      }
      Map<String, Object> o = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) o.put((String) e.getKey(), toJava(e.getValue()));
      return o;
    }
    return v;
  }

  private static Map<String, Object> tag(String k, Object v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k, v);
    return m;
  }
}
