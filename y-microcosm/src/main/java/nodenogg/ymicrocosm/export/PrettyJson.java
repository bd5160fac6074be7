package nodenogg.ymicrocosm.export;

import java.util.Collection;
import java.util.Map;
import nodenogg.crdt.Json;

/**
 * {@code JSON.stringify(value, null, 2)}: the engine's JS-exact scalars, two-space indentation.
 * Stateless.
 */
final class PrettyJson {
  private PrettyJson() {}

  static String stringify(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, "");
    return b.toString();
  }

  private static void write(StringBuilder b, Object v, String indent) {
    if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      String inner = indent + "  ";
      b.append("{\n");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          b.append(",\n");
        }
        first = false;
        b.append(inner).append(Json.stringify(String.valueOf(e.getKey()))).append(": ");
        write(b, e.getValue(), inner);
      }
      b.append('\n').append(indent).append('}');
    } else if (v instanceof Collection<?> c) {
      if (c.isEmpty()) {
        b.append("[]");
        return;
      }
      String inner = indent + "  ";
      b.append("[\n");
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          b.append(",\n");
        }
        first = false;
        b.append(inner);
        write(b, o, inner);
      }
      b.append('\n').append(indent).append(']');
    } else {
      b.append(Json.stringify(v));
    }
  }
}
