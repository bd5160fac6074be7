package nodenogg.crdt;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.JsStrings;
import nodenogg.crdt.encoding.Undefined;

/**
 * JSON exactly as JavaScript's {@code JSON.stringify} / {@code JSON.parse} (as Yjs and y-protocols
 * use them) over the engine's value model (see docs/ENGINE-API.md). The one JSON reader/writer of
 * the project: engine content (ContentJSON, embeds, formats), awareness states and the tools all
 * use it.
 *
 * <p>Rules (each checked against Node 20 in JsonTest):
 *
 * <ul>
 *   <li>Numbers print as JS prints them: shortest round-trip digits, {@code 1e+21} / {@code 5e-7}
 *       style, {@code -0} prints {@code 0}, NaN and infinities print {@code null}. {@code Long},
 *       {@code BigDecimal} and other {@code Number}s are JS numbers (doubles), so a long beyond
 *       2^53 prints rounded, as in JS. {@code BigInteger} (a JS bigint) has no JSON form and is
 *       refused, as JS refuses it.
 *   <li>Objects print their keys in JS {@code Object.keys} order (array-index keys ascending, then
 *       insertion order); parsing produces maps in that same order, a repeated key keeping its
 *       first place and last value. Map keys must be strings.
 *   <li>Strings are escaped as ES2019 well-formed {@code JSON.stringify} does (lone surrogates as
 *       six-character escapes); parsing keeps lone surrogates from such escapes.
 *   <li>Undefined is dropped from objects, {@code null} in arrays; at the top level {@link
 *       #stringify} returns the text {@code "undefined"} (what Yjs writes for it). Shared types and
 *       Docs print their {@code toJSON()}; {@code byte[]} prints as a Uint8Array does ({@code
 *       {"0":1,...}}); any {@code Collection} prints as an array.
 *   <li>Parsing: integral numbers in int range become {@link Integer}; all others, and {@code -0},
 *       become {@link Double} (integers beyond 2^53 round as in JS).
 *   <li>At most {@link #MAX_DEPTH} nested arrays/objects, both ways (deeper or cyclic values throw
 *       {@link JsonException} instead of overflowing the stack on hostile input).
 * </ul>
 *
 * Every failure is a {@link JsonException} (an IllegalArgumentException). Stateless, thread-safe.
 */
public final class Json {
  /**
   * The deepest nesting of arrays and objects accepted by {@link #parse} and {@link #stringify}.
   */
  public static final int MAX_DEPTH = 1000;

  private Json() {}

  /**
   * JS {@code JSON.stringify(value)}; returns {@code "undefined"} for a top-level undefined (as Yjs
   * writes it).
   */
  public static String stringify(Object value) {
    StringBuilder sb = new StringBuilder();
    if (!write(sb, value, 0)) {
      return "undefined";
    }
    return sb.toString();
  }

  /** JS {@code Number.prototype.toString()} of a double. */
  public static String numberToString(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return "0";
    }
    if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
      return Long.toString((long) d);
    }
    // shortest digits that read back as d (rounding the exact value half-up, so the closest such
    // digits)
    BigDecimal exact = new BigDecimal(Math.abs(d));
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal r = exact.round(new MathContext(p));
      if (r.doubleValue() == Math.abs(d)) {
        shortest = r;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int k = digits.length();
    int n = k - shortest.scale(); // value = 0.digits * 10^n
    StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
    if (k <= n && n <= 21) {
      sb.append(digits);
      for (int i = k; i < n; i++) {
        sb.append('0');
      }
    } else if (0 < n && n <= 21) {
      sb.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      sb.append("0.");
      for (int i = 0; i < -n; i++) {
        sb.append('0');
      }
      sb.append(digits);
    } else {
      sb.append(digits.charAt(0));
      if (k > 1) {
        sb.append('.').append(digits, 1, k);
      }
      sb.append('e').append(n - 1 >= 0 ? "+" : "-").append(Math.abs(n - 1));
    }
    return sb.toString();
  }

  /** Writes v; false when it is undefined (nothing written). */
  private static boolean write(StringBuilder sb, Object v, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Undefined) {
      return false;
    } else if (v instanceof String) {
      quote(sb, (String) v);
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Number) {
      sb.append(number((Number) v));
    } else if (v instanceof byte[]) {
      byte[] b = (byte[]) v;
      sb.append('{');
      for (int i = 0; i < b.length; i++) {
        sb.append(i > 0 ? ",\"" : "\"").append(i).append("\":").append(b[i] & 0xFF);
      }
      sb.append('}');
    } else if (v instanceof Collection) {
      checkDepth(depth);
      sb.append('[');
      boolean first = true;
      for (Object o : (Collection<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        if (!write(sb, o, depth + 1)) {
          sb.append("null");
        }
      }
      sb.append(']');
    } else if (v instanceof Map) {
      checkDepth(depth);
      Map<?, ?> m = (Map<?, ?>) v;
      for (Object k : m.keySet()) {
        if (!(k instanceof String)) {
          throw new JsonException(
              "Cannot convert to JSON: object keys must be strings, got "
                  + (k == null ? "null" : k.getClass().getName() + " " + k),
              -1);
        }
      }
      sb.append('{');
      boolean first = true;
      for (String k : JsStrings.objectKeys(m)) {
        int mark = sb.length();
        if (!first) {
          sb.append(',');
        }
        quote(sb, k);
        sb.append(':');
        if (write(sb, m.get(k), depth + 1)) {
          first = false;
        } else {
          sb.setLength(mark); // undefined properties are left out
        }
      }
      sb.append('}');
    } else if (v instanceof AbstractType) {
      return write(sb, ((AbstractType<?>) v).toJSON(), depth);
    } else if (v instanceof Doc) {
      return write(sb, ((Doc) v).toJSON(), depth);
    } else {
      throw new JsonException(
          "Cannot convert to JSON: "
              + v.getClass().getName()
              + " is not a JSON value (use null, Boolean, String, Number, List or Map<String,?>)",
          -1);
    }
    return true;
  }

  private static void checkDepth(int depth) {
    if (depth >= MAX_DEPTH) {
      throw new JsonException(
          "Cannot convert to JSON: value nested deeper than "
              + MAX_DEPTH
              + " arrays/objects (or cyclic)",
          -1);
    }
  }

  private static String number(Number n) {
    if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return n.toString();
    }
    if (n instanceof BigInteger) {
      throw new JsonException(
          "Cannot convert to JSON: a BigInteger is a JS bigint, which JSON.stringify"
              + " refuses; convert it to a String or a Number first",
          -1);
    }
    double d = n.doubleValue();
    return Double.isNaN(d) || Double.isInfinite(d) ? "null" : numberToString(d);
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (c < 0x20 || Character.isSurrogate(c)) {
            sb.append("\\u")
                .append(HEX[c >> 12])
                .append(HEX[(c >> 8) & 15])
                .append(HEX[(c >> 4) & 15])
                .append(HEX[c & 15]);
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * JS {@code JSON.parse(text)}: objects become {@link LinkedHashMap}s in JS key order, arrays
   * {@link ArrayList}s, numbers {@link Integer} (integral, in int range) or {@link Double}.
   *
   * @throws JsonException when the text is not JSON or nests deeper than {@link #MAX_DEPTH}
   */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.i != text.length()) {
      throw p.err("end of JSON text");
    }
    return v;
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    JsonException err(String expected) {
      return new JsonException("Invalid JSON at position " + i + ": expected " + expected, i);
    }

    void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else {
          break;
        }
      }
    }

    boolean at(char c) {
      return i < s.length() && s.charAt(i) == c;
    }

    Object value(int depth) {
      if (i >= s.length()) {
        throw err("a value");
      }
      switch (s.charAt(i)) {
        case '{':
          return object(depth);
        case '[':
          return array(depth);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", null);
        default:
          return number();
      }
    }

    void enter(int depth) {
      if (depth >= MAX_DEPTH) {
        throw err("at most " + MAX_DEPTH + " nested arrays/objects");
      }
      i++;
      ws();
    }

    Map<String, Object> object(int depth) {
      enter(depth);
      Map<String, Object> m = new LinkedHashMap<>();
      if (at('}')) {
        i++;
        return m;
      }
      boolean indexKeys = false;
      while (true) {
        ws();
        if (!at('"')) {
          throw err("string key");
        }
        String k = string();
        indexKeys |= JsStrings.isArrayIndex(k);
        ws();
        expect(':');
        ws();
        m.put(k, value(depth + 1)); // a repeated key keeps its first place and takes the last value
        ws();
        if (at(',')) {
          i++;
          continue;
        }
        expect('}');
        return indexKeys ? jsKeyOrder(m) : m;
      }
    }

    List<Object> array(int depth) {
      enter(depth);
      List<Object> l = new ArrayList<>();
      if (at(']')) {
        i++;
        return l;
      }
      while (true) {
        ws();
        l.add(value(depth + 1));
        ws();
        if (at(',')) {
          i++;
          continue;
        }
        expect(']');
        return l;
      }
    }

    void expect(char c) {
      if (!at(c)) {
        throw err("'" + c + "'");
      }
      i++;
    }

    Object literal(String w, Object v) {
      if (!s.startsWith(w, i)) {
        throw err(w);
      }
      i += w.length();
      return v;
    }

    String string() {
      i++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw err("closing quote");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          i--;
          throw err("no control character in string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = i < s.length() ? s.charAt(i++) : 0;
        switch (e) {
          case '"':
            sb.append('"');
            break;
          case '\\':
            sb.append('\\');
            break;
          case '/':
            sb.append('/');
            break;
          case 'b':
            sb.append('\b');
            break;
          case 'f':
            sb.append('\f');
            break;
          case 'n':
            sb.append('\n');
            break;
          case 'r':
            sb.append('\r');
            break;
          case 't':
            sb.append('\t');
            break;
          case 'u':
            sb.append(hex4());
            break;
          default:
            i--;
            throw err("a valid escape");
        }
      }
    }

    char hex4() {
      int v = 0;
      for (int j = 0; j < 4; j++) {
        int h = i < s.length() ? Character.digit(s.charAt(i), 16) : -1;
        if (h < 0) {
          throw err("4 hex digits");
        }
        v = v * 16 + h;
        i++;
      }
      return (char) v;
    }

    Object number() {
      int st = i;
      if (at('-')) {
        i++;
      }
      if (at('0')) {
        i++;
      } else if (!digits()) {
        throw err("a value");
      }
      if (at('.')) {
        i++;
        if (!digits()) {
          throw err("digit");
        }
      }
      if (at('e') || at('E')) {
        i++;
        if (at('+') || at('-')) {
          i++;
        }
        if (!digits()) {
          throw err("digit");
        }
      }
      double v = Double.parseDouble(s.substring(st, i));
      if (v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE && !(v == 0 && 1 / v < 0)) {
        return (int) v;
      }
      return v; // -0 stays a Double, as JSON.parse("-0") is -0
    }

    boolean digits() {
      int st = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      return i > st;
    }
  }

  /** The same entries in JS {@code Object.keys} order (array-index keys ascending first). */
  private static Map<String, Object> jsKeyOrder(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : JsStrings.objectKeys(m)) {
      out.put(k, m.get(k));
    }
    return out;
  }
}
