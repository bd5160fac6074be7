package nodenogg.sync.server.tracker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.Json;

/**
 * JSON as JavaScript's {@code JSON.parse} / {@code JSON.stringify} treat it, over the values a
 * tracker message holds (maps in JS key order, lists, strings, Integer/Double, booleans, null),
 * written for the tracker's hot path: strings without escapes are cut out and written back in one
 * piece. The same rules as {@link Json} (the project's general reader/writer), which these values
 * also round-trip through: integral numbers in int range become Integer, all others (and -0)
 * Double; a repeated key keeps its first place and takes the last value; array-index keys come
 * first, ascending; strings are escaped as ES2019 well-formed {@code JSON.stringify} escapes them.
 * Nesting deeper than {@link #MAX_DEPTH} is refused (tracker messages are three levels deep).
 *
 * <p>Objects and arrays are read as {@link Spanned} maps and lists that remember their place in the
 * text and whether that text is already exactly what {@code JSON.stringify} writes for them (no
 * spacing, canonical escapes and numbers, no repeated or array-index keys); such a value is written
 * back by copying its text, which is what browsers send (their SDP offers are JSON.stringify
 * output). Stateless, thread-safe.
 */
final class TrackerJson {

  static final int MAX_DEPTH = 64;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TrackerJson() {}

  /**
   * Where a parsed object or array stands in its text; {@code canonical} when that text is its
   * JSON.stringify.
   */
  interface Spanned {
    String source();

    int start();

    int end();

    boolean canonical();
  }

  static final class SpannedMap extends LinkedHashMap<String, Object> implements Spanned {
    private String source;
    private int start;
    private int end;
    private boolean canonical;

    @Override
    public String source() {
      return source;
    }

    @Override
    public int start() {
      return start;
    }

    @Override
    public int end() {
      return end;
    }

    @Override
    public boolean canonical() {
      return canonical;
    }
  }

  static final class SpannedList extends ArrayList<Object> implements Spanned {
    private String source;
    private int start;
    private int end;
    private boolean canonical;

    @Override
    public String source() {
      return source;
    }

    @Override
    public int start() {
      return start;
    }

    @Override
    public int end() {
      return end;
    }

    @Override
    public boolean canonical() {
      return canonical;
    }
  }

  /** A text that is not JSON (or nests too deeply); the message says where. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  static Object parse(String text) throws Malformed {
    Reader r = new Reader(text);
    r.ws();
    Object v = r.value(0);
    r.ws();
    if (r.i != text.length()) {
      throw r.err("the end of the text");
    }
    return v;
  }

  /** Appends {@code JSON.stringify(value)} of a parsed value. */
  static void write(StringBuilder sb, Object v) {
    if (v instanceof Spanned && ((Spanned) v).canonical()) {
      Spanned span = (Spanned) v;
      sb.append(span.source(), span.start(), span.end());
    } else {
      writeValue(sb, v);
    }
  }

  private static void writeValue(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      quote(sb, (String) v);
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        quote(sb, (String) e.getKey());
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List) {
      sb.append('[');
      List<?> l = (List<?>) v;
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(sb, l.get(i));
      }
      sb.append(']');
    } else if (v instanceof Integer || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      sb.append(Double.isNaN(d) || Double.isInfinite(d) ? "null" : Json.numberToString(d));
    } else {
      throw new IllegalArgumentException("not a parsed JSON value: " + v.getClass());
    }
  }

  static String stringify(Object v) {
    StringBuilder sb = new StringBuilder(v instanceof String ? ((String) v).length() + 2 : 64);
    write(sb, v);
    return sb.toString();
  }

  /** A JSON string literal, escaped as {@code JSON.stringify} escapes it. */
  static void quote(StringBuilder sb, String s) {
    int n = s.length();
    int i = 0;
    while (i < n && plain(s.charAt(i))) {
      i++;
    }
    sb.append('"');
    if (i == n) {
      sb.append(s).append('"');
      return;
    }
    sb.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (plain(c)) {
        sb.append(c);
        continue;
      }
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
              && i + 1 < n
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else {
            sb.append("\\u")
                .append(HEX[c >> 12])
                .append(HEX[(c >> 8) & 15])
                .append(HEX[(c >> 4) & 15])
                .append(HEX[c & 15]);
          }
      }
    }
    sb.append('"');
  }

  private static boolean plain(char c) {
    return c >= 0x20 && c != '"' && c != '\\' && (c < 0xD800 || c > 0xDFFF);
  }

  private static final class Reader {
    final String s;
    int i;

    /**
     * Things seen so far that JSON.stringify would write differently; a span is canonical when none
     * fell in it.
     */
    int deviations;

    Reader(String s) {
      this.s = s;
    }

    Malformed err(String expected) {
      return new Malformed("at position " + i + ": expected " + expected);
    }

    void ws() {
      int start = i;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else {
          break;
        }
      }
      if (i > start) {
        deviations++;
      }
    }

    Object value(int depth) throws Malformed {
      if (i >= s.length()) {
        throw err("a JSON value");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
          return string();
        case 't':
          return word("true", Boolean.TRUE);
        case 'f':
          return word("false", Boolean.FALSE);
        case 'n':
          return word("null", null);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw err("a JSON value");
      }
    }

    private Object word(String w, Object v) throws Malformed {
      if (!s.startsWith(w, i)) {
        throw err("a JSON value");
      }
      i += w.length();
      return v;
    }

    private void enter(int depth) throws Malformed {
      if (depth > MAX_DEPTH) {
        throw err("at most " + MAX_DEPTH + " nested arrays and objects");
      }
      i++;
    }

    private Map<String, Object> object(int depth) throws Malformed {
      int start = i;
      int before = deviations;
      enter(depth);
      SpannedMap m = new SpannedMap();
      ws();
      if (i < s.length() && s.charAt(i) == '}') {
        i++;
        return span(m, start, before);
      }
      boolean indexKeys = false;
      for (; ; ) {
        ws();
        if (i >= s.length() || s.charAt(i) != '"') {
          throw err("a string key");
        }
        String k = string();
        indexKeys |= isArrayIndex(k);
        ws();
        expect(':');
        ws();
        boolean repeated = m.containsKey(k);
        m.put(k, value(depth));
        if (repeated) {
          deviations++; // a repeated key keeps its first place and takes the last value
        }
        ws();
        if (i < s.length() && s.charAt(i) == ',') {
          i++;
          continue;
        }
        expect('}');
        if (indexKeys) {
          deviations++;
          return jsKeyOrder(m);
        }
        return span(m, start, before);
      }
    }

    private SpannedMap span(SpannedMap m, int start, int before) {
      m.source = s;
      m.start = start;
      m.end = i;
      m.canonical = deviations == before;
      return m;
    }

    private List<Object> array(int depth) throws Malformed {
      int start = i;
      int before = deviations;
      enter(depth);
      SpannedList l = new SpannedList();
      ws();
      if (i < s.length() && s.charAt(i) == ']') {
        i++;
      } else {
        for (; ; ) {
          ws();
          l.add(value(depth));
          ws();
          if (i < s.length() && s.charAt(i) == ',') {
            i++;
            continue;
          }
          expect(']');
          break;
        }
      }
      l.source = s;
      l.start = start;
      l.end = i;
      l.canonical = deviations == before;
      return l;
    }

    private void expect(char c) throws Malformed {
      if (i >= s.length() || s.charAt(i) != c) {
        throw err("'" + c + "'");
      }
      i++;
    }

    private String string() throws Malformed {
      int start = ++i;
      int n = s.length();
      while (i < n) {
        char c = s.charAt(i);
        if (c == '"') {
          return s.substring(start, i++);
        }
        if (c == '\\') {
          break;
        }
        if (c < 0x20) {
          throw err("no control character in a string");
        }
        if (c >= 0xD800 && c <= 0xDFFF) {
          deviations++; // JSON.stringify escapes lone surrogates; pairs are rare enough to take the
          // slow path
        }
        i++;
      }
      StringBuilder sb = new StringBuilder(i - start + 16).append(s, start, i);
      while (i < n) {
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          i--;
          throw err("no control character in a string");
        }
        if (c != '\\') {
          if (c >= 0xD800 && c <= 0xDFFF) {
            deviations++;
          }
          sb.append(c);
          continue;
        }
        char e = i < n ? s.charAt(i++) : 0;
        switch (e) {
          case '"':
            sb.append('"');
            break;
          case '\\':
            sb.append('\\');
            break;
          case '/':
            sb.append('/');
            deviations++;
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
            {
              int at = i;
              char u = hex4();
              // JSON.stringify writes a 00xx escape (lowercase) only for the control characters
              // without a short escape
              boolean canonical =
                  u < 0x20
                      && "\b\f\n\r\t".indexOf(u) < 0
                      && s.regionMatches(at, "00", 0, 2)
                      && Character.digit(s.charAt(at + 3), 16) == (u & 15)
                      && (s.charAt(at + 3) < 'A' || s.charAt(at + 3) > 'F');
              if (!canonical) {
                deviations++;
              }
              sb.append(u);
              break;
            }
          default:
            i--;
            throw err("a valid escape");
        }
      }
      throw err("a closing quote");
    }

    private char hex4() throws Malformed {
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

    private Object number() throws Malformed {
      int start = i;
      if (s.charAt(i) == '-') {
        i++;
      }
      if (i < s.length() && s.charAt(i) == '0') {
        i++;
      } else if (!digits()) {
        throw err("a digit");
      }
      boolean integral = true;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        integral = false;
        if (!digits()) {
          throw err("a digit");
        }
      }
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        i++;
        integral = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
          i++;
        }
        if (!digits()) {
          throw err("a digit");
        }
      }
      if (integral && i - start <= 10) {
        long v = Long.parseLong(s, start, i, 10);
        boolean negativeZero = v == 0 && s.charAt(start) == '-';
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE && !negativeZero) {
          return (int) v;
        }
      }
      String text = s.substring(start, i);
      double d = Double.parseDouble(text);
      if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE && !(d == 0 && 1 / d < 0)) {
        if (!text.equals(Integer.toString((int) d))) {
          deviations++;
        }
        return (int) d;
      }
      if (Double.isInfinite(d) || !text.equals(Json.numberToString(d))) {
        deviations++;
      }
      return d;
    }

    private boolean digits() {
      int st = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      return i > st;
    }
  }

  /** Whether JS treats this key as an array index (a canonical decimal below 2^32 - 1). */
  static boolean isArrayIndex(String k) {
    int n = k.length();
    if (n == 0 || n > 10 || (n > 1 && k.charAt(0) == '0')) {
      return false;
    }
    long v = 0;
    for (int j = 0; j < n; j++) {
      char c = k.charAt(j);
      if (c < '0' || c > '9') {
        return false;
      }
      v = v * 10 + (c - '0');
    }
    return v < 4294967295L;
  }

  private static Map<String, Object> jsKeyOrder(Map<String, Object> m) {
    List<String> index = new ArrayList<>();
    for (String k : m.keySet()) {
      if (isArrayIndex(k)) {
        index.add(k);
      }
    }
    index.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : index) {
      out.put(k, m.get(k));
    }
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (!isArrayIndex(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }
}
