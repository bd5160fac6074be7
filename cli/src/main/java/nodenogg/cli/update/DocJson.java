package nodenogg.cli.update;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Json;
import nodenogg.crdt.Updates;

/**
 * Renders a doc as the {@code update apply} JSON object: roots (text and xml as their strings, maps
 * and arrays as JSON, numbers as JS prints them), the state vector and the base64
 * encodeStateAsUpdate (v1). Stateless.
 */
final class DocJson {
  private DocJson() {}

  static String render(Doc doc, RootSpec spec) {
    StringBuilder sb = new StringBuilder("{\"roots\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : spec.roots.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      sb.append(Json.stringify(e.getKey())).append(':');
      Object v;
      switch (e.getValue()) {
        case "map":
          v = doc.getMap(e.getKey()).toJSON();
          break;
        case "array":
          v = doc.getArray(e.getKey()).toJSON();
          break;
        case "xml":
          v = doc.getXmlFragment(e.getKey()).toString();
          break; // Yjs: XmlFragment.toJSON() is its XML string
        default:
          v = doc.getText(e.getKey()).toString();
      }
      sb.append(value(v));
    }
    sb.append("},\"stateVector\":").append(stateVector(Updates.encodeStateVector(doc)));
    sb.append(",\"update\":\"")
        .append(Base64.getEncoder().encodeToString(Updates.encodeStateAsUpdate(doc)))
        .append("\"}");
    return sb.toString();
  }

  /** {"clientId": clock, ...}, clients ascending. */
  static String stateVector(byte[] sv) {
    Map<Long, Long> m = new TreeMap<>(Updates.decodeStateVector(sv));
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<Long, Long> e : m.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      sb.append('"').append(e.getKey()).append("\":").append(e.getValue());
    }
    return sb.append('}').toString();
  }

  /**
   * JSON.stringify text; a bigint (which JSON.stringify refuses) is written as its decimal digits
   * in a string.
   */
  static String value(Object v) {
    try {
      return Json.stringify(v);
    } catch (IllegalArgumentException e) {
      return Json.stringify(bigintsAsStrings(v));
    }
  }

  private static Object bigintsAsStrings(Object v) {
    if (v instanceof BigInteger) return v.toString();
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object x : (List<?>) v) l.add(bigintsAsStrings(x));
      return l;
    }
    if (v instanceof Map) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet())
        m.put((String) e.getKey(), bigintsAsStrings(e.getValue()));
      return m;
    }
    return v;
  }
}
