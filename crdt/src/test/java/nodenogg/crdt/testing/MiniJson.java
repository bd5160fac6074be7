package nodenogg.crdt.testing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader/writer for the test harness, so that the crdt test-jar needs no JSON library.
 * Objects read as {@link LinkedHashMap} (key order kept), arrays as {@link ArrayList}, integers
 * that fit as {@link Long}, other numbers as {@link Double}. Strings keep lone surrogates from
 * {@code \\uXXXX} escapes, as JavaScript's JSON.parse does. Not thread-safe state is not shared:
 * all methods are static.
 */
public final class MiniJson {
  private MiniJson() {}

  public static Object parse(String s) {
    Reader r = new Reader(s);
    r.ws();
    Object v = r.value(0);
    r.ws();
    if (r.i != s.length()) throw r.err("trailing characters");
    return v;
  }

  public static String write(Object v) {
    StringBuilder sb = new StringBuilder();
    write(v, sb);
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  private static void write(Object v, StringBuilder sb) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      quote((String) v, sb);
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      sb.append(v);
    } else if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d))
        throw new IllegalArgumentException("not JSON: " + d);
      if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d);
      else sb.append(d);
    } else if (v instanceof Map) {
      sb.append('{');
      Iterator<Map.Entry<String, Object>> it = ((Map<String, Object>) v).entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Object> e = it.next();
        quote(e.getKey(), sb);
        sb.append(':');
        write(e.getValue(), sb);
        if (it.hasNext()) sb.append(',');
      }
      sb.append('}');
    } else if (v instanceof List) {
      sb.append('[');
      List<Object> l = (List<Object>) v;
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(',');
        write(l.get(i), sb);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass());
    }
  }

  private static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20 || Character.isSurrogate(c)) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    sb.append('"');
  }

  private static final class Reader {
    final String s;
    int i;

    Reader(String s) {
      this.s = s;
    }

    IllegalArgumentException err(String m) {
      return new IllegalArgumentException(m + " at " + i);
    }

    void ws() {
      while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++;
    }

    Object value(int depth) {
      if (depth > 1000) throw err("too deep");
      if (i >= s.length()) throw err("unexpected end");
      char c = s.charAt(i);
      switch (c) {
        case '{':
          {
            i++;
            Map<String, Object> m = new LinkedHashMap<>();
            ws();
            if (s.charAt(i) == '}') {
              i++;
              return m;
            }
            while (true) {
              ws();
              String k = string();
              ws();
              expect(':');
              ws();
              m.put(k, value(depth + 1));
              ws();
              if (s.charAt(i) == ',') {
                i++;
                continue;
              }
              expect('}');
              return m;
            }
          }
        case '[':
          {
            i++;
            List<Object> l = new ArrayList<>();
            ws();
            if (s.charAt(i) == ']') {
              i++;
              return l;
            }
            while (true) {
              ws();
              l.add(value(depth + 1));
              ws();
              if (s.charAt(i) == ',') {
                i++;
                continue;
              }
              expect(']');
              return l;
            }
          }
        case '"':
          return string();
        case 't':
          lit("true");
          return Boolean.TRUE;
        case 'f':
          lit("false");
          return Boolean.FALSE;
        case 'n':
          lit("null");
          return null;
        default:
          return number();
      }
    }

    void expect(char c) {
      if (i >= s.length() || s.charAt(i) != c) throw err("expected " + c);
      i++;
    }

    void lit(String w) {
      if (!s.startsWith(w, i)) throw err("expected " + w);
      i += w.length();
    }

    Object number() {
      int st = i;
      boolean frac = false;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        if (".eE".indexOf(s.charAt(i)) >= 0) frac = true;
        i++;
      }
      String t = s.substring(st, i);
      if (t.isEmpty()) throw err("unexpected character");
      if (!frac) {
        try {
          return Long.parseLong(t);
        } catch (NumberFormatException e) {
          return Double.parseDouble(t);
        }
      }
      return Double.parseDouble(t);
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) throw err("unterminated string");
        char c = s.charAt(i++);
        if (c == '"') return sb.toString();
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = s.charAt(i++);
        switch (e) {
          case 'n':
            sb.append('\n');
            break;
          case 't':
            sb.append('\t');
            break;
          case 'r':
            sb.append('\r');
            break;
          case 'b':
            sb.append('\b');
            break;
          case 'f':
            sb.append('\f');
            break;
          case 'u':
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
            break;
          default:
            sb.append(e);
        }
      }
    }
  }
}
