package nodenogg.crdt.sync;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.JsStrings;

/**
 * JSON as JavaScript's {@code JSON.parse} / {@code JSON.stringify} see it, over the engine's plain
 * value model (null, Boolean, String, Number, List, Map with JS key order). Used for awareness
 * states, whose wire form is {@code JSON.stringify(state)}.
 *
 * <p>Parsing: objects become {@link LinkedHashMap}s in JS {@code Object.keys} order (integer-like
 * keys ascending, then insertion order; a repeated key keeps its first position and last value);
 * integral numbers in int range become {@link Integer}, other numbers {@link Double}.
 * Stringifying prints numbers as JS does (shortest round-trip digits, {@code 1e+21} style exponents,
 * NaN/Infinity as null, undefined dropped from objects and null in arrays) and escapes strings as
 * ES2019 well-formed {@code JSON.stringify}. (The engine's {@code nodenogg.crdt.Json} keeps insertion
 * order on parse; awareness needs JS key order to re-encode states byte for byte, hence this class.)
 * Stateless and thread-safe.
 */
final class JsJson {
  private static final int MAX_DEPTH = 512;

  private JsJson() {}

  static String stringify(Object v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH + " levels (or cyclic)");
    }
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean) {
      sb.append(v.toString());
    } else if (v instanceof String) {
      quote(sb, (String) v);
    } else if (v instanceof Number) {
      sb.append(number((Number) v));
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : jsOrder((Map<?, ?>) v).entrySet()) {
        if (e.getValue() instanceof nodenogg.crdt.encoding.Undefined) {
          continue; // JSON.stringify drops undefined properties
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, e.getKey());
        sb.append(':');
        write(sb, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (v instanceof Collection) {
      sb.append('[');
      boolean first = true;
      for (Object o : (Collection<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(sb, o instanceof nodenogg.crdt.encoding.Undefined ? null : o, depth + 1); // undefined -> null in arrays
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName()
          + " (use null, Boolean, String, Number, List or Map<String,?>)");
    }
  }

  /** Keys in JS Object.keys order: canonical array-index keys ascending first, then the rest. */
  static Map<String, Object> jsOrder(Map<?, ?> m) {
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        throw new IllegalArgumentException("object keys must be strings, got " + k);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : JsStrings.objectKeys(m)) {
      out.put(k, m.get(k));
    }
    return out;
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** JS {@code String(n)} for a finite number; "null" for NaN and infinities (as JSON.stringify). */
  static String number(Number n) {
    if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.toString();
    }
    if (n instanceof BigInteger || n instanceof BigDecimal || n instanceof Long) {
      // JSON.stringify on a bigint throws in JS; Long is treated as a JS number (may round).
      if (n instanceof BigInteger) {
        throw new IllegalArgumentException("a bigint has no JSON form (JSON.stringify throws on it)");
      }
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    if (d == 0) {
      return "0";
    }
    BigDecimal exact = new BigDecimal(d);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p));
      if (r.doubleValue() == d) {
        shortest = r;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    int k = digits.length();
    int e = k - shortest.scale(); // decimal point position: value = 0.digits * 10^e
    StringBuilder sb = new StringBuilder();
    if (d < 0) {
      sb.append('-');
    }
    if (k <= e && e <= 21) {
      sb.append(digits);
      for (int i = k; i < e; i++) {
        sb.append('0');
      }
    } else if (0 < e && e <= 21) {
      sb.append(digits, 0, e).append('.').append(digits, e, k);
    } else if (-6 < e && e <= 0) {
      sb.append("0.");
      for (int i = 0; i < -e; i++) {
        sb.append('0');
      }
      sb.append(digits);
    } else {
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      int exp = e - 1;
      sb.append('e').append(exp >= 0 ? "+" : "-").append(Math.abs(exp));
    }
    return sb.toString();
  }

  /** Parses JSON text as JS JSON.parse does; throws {@link IllegalArgumentException} on bad input. */
  static Object parse(String text) {
    Parser p = new Parser(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.i != text.length()) {
      throw p.error("unexpected text after the JSON value");
    }
    return v;
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String msg) {
      return new IllegalArgumentException("bad JSON: " + msg + " at character " + i);
    }

    void skipWs() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) {
      if (depth > MAX_DEPTH) {
        throw error("nested deeper than " + MAX_DEPTH + " levels");
      }
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{': return object(depth);
        case '[': return array(depth);
        case '"': return string();
        case 't': return literal("true", Boolean.TRUE);
        case 'f': return literal("false", Boolean.FALSE);
        case 'n': return literal("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return num();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    Object literal(String word, Object v) {
      if (!s.startsWith(word, i)) {
        throw error("expected " + word);
      }
      i += word.length();
      return v;
    }

    Map<String, Object> object(int depth) {
      i++;
      Map<String, Object> m = new LinkedHashMap<>();
      skipWs();
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return m;
      }
      while (true) {
        skipWs();
        if (i >= s.length() || s.charAt(i) != '"') {
          throw error("expected a string key");
        }
        String k = string();
        skipWs();
        expect(':');
        skipWs();
        m.put(k, value(depth + 1));
        skipWs();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
          continue;
        }
        expect('}');
        return jsOrder(m);
      }
    }

    List<Object> array(int depth) {
      i++;
      List<Object> l = new ArrayList<>();
      skipWs();
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
        return l;
      }
      while (true) {
        skipWs();
        l.add(value(depth + 1));
        skipWs();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
          continue;
        }
        expect(']');
        return l;
      }
    }

    void expect(char c) {
      if (i >= s.length() || s.charAt(i) != c) {
        throw error("expected '" + c + "'");
      }
      i++;
    }

    String string() {
      i++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw error("control character in string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw error("unterminated escape");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u':
            if (i + 4 > s.length()) {
              throw error("short \\u escape");
            }
            try {
              String hex = s.substring(i, i + 4);
              for (int j = 0; j < 4; j++) {
                if (Character.digit(hex.charAt(j), 16) < 0) {
                  throw error("bad \\u escape");
                }
              }
              sb.append((char) Integer.parseInt(hex, 16));
            } catch (NumberFormatException ex) {
              throw error("bad \\u escape");
            }
            i += 4;
            break;
          default:
            throw error("bad escape \\" + e);
        }
      }
    }

    Object num() {
      int start = i;
      if (s.charAt(i) == '-') {
        i++;
      }
      if (i < s.length() && s.charAt(i) == '0') {
        i++;
      } else {
        if (!digits()) {
          throw error("bad number");
        }
      }
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        if (!digits()) {
          throw error("bad number fraction");
        }
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (!digits()) {
          throw error("bad number exponent");
        }
      }
      String t = s.substring(start, i);
      double d = Double.parseDouble(t);
      if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
        return (int) d; // -0 reads as 0: JSON.stringify prints both as "0"
      }
      return d;
    }

    boolean digits() {
      int st = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      return i > st;
    }
  }

  /** Deep equality with JS semantics for our value model (numbers compare by value). */
  static boolean deepEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> x = (Map<?, ?>) a;
      Map<?, ?> y = (Map<?, ?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List && b instanceof List) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (int k = 0; k < x.size(); k++) {
        if (!deepEquals(x.get(k), y.get(k))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
