package nodenogg.crdt;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Undefined;

/**
 * JavaScript {@code String(value)} for the engine's value model (used by the XML types' toString).
 * Stateless.
 */
final class JsValues {
  private JsValues() {}

  static String jsString(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Undefined) {
      return "undefined";
    }
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof BigInteger) {
      return v.toString();
    }
    if (v instanceof Number) {
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        return Long.toString(((Number) v).longValue());
      }
      return Json.numberToString(((Number) v).doubleValue());
    }
    if (v instanceof AbstractType) {
      return v.toString();
    }
    if (v instanceof List) {
      StringBuilder sb = new StringBuilder();
      List<?> l = (List<?>) v;
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        Object e = l.get(i);
        if (e != null && !(e instanceof Undefined)) {
          sb.append(jsString(e));
        }
      }
      return sb.toString();
    }
    if (v instanceof byte[]) {
      StringBuilder sb = new StringBuilder();
      byte[] b = (byte[]) v;
      for (int i = 0; i < b.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(b[i] & 0xFF);
      }
      return sb.toString();
    }
    return "[object Object]";
  }

  /** The (key, value) pairs a JS {@code for (k in v)} loop visits, for the value model. */
  static void forIn(Object v, java.util.function.BiConsumer<String, Object> f) {
    if (v instanceof String) {
      String s = (String) v;
      for (int i = 0; i < s.length(); i++) {
        f.accept(Integer.toString(i), String.valueOf(s.charAt(i)));
      }
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      for (int i = 0; i < l.size(); i++) {
        f.accept(Integer.toString(i), l.get(i));
      }
    } else if (v instanceof byte[]) {
      byte[] b = (byte[]) v;
      for (int i = 0; i < b.length; i++) {
        f.accept(Integer.toString(i), b[i] & 0xFF);
      }
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      for (String k : nodenogg.crdt.encoding.JsStrings.objectKeys(m)) {
        f.accept(k, m.get(k));
      }
    }
  }
}
