package nodenogg.crdt;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.JsStrings;
import nodenogg.crdt.encoding.Undefined;

/**
 * Helpers of {@link DecodedUpdate}: immutable value copies and the one-line summaries of logUpdate.
 * Stateless.
 */
final class UpdateValues {
  /** Longest text or value rendering in a log line before it is cut. */
  static final int MAX_RENDER = 80;

  private UpdateValues() {}

  /** A deep copy with unmodifiable lists and maps (byte arrays copied). */
  static Object freeze(Object v) {
    if (v instanceof List) {
      List<Object> l = new ArrayList<>();
      for (Object o : (List<?>) v) {
        l.add(freeze(o));
      }
      return Collections.unmodifiableList(l);
    }
    if (v instanceof Map) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        m.put(String.valueOf(e.getKey()), freeze(e.getValue()));
      }
      return Collections.unmodifiableMap(m);
    }
    if (v instanceof byte[]) {
      return ((byte[]) v).clone();
    }
    return v;
  }

  static int typeRef(AbstractType<?> t) {
    Class<?> c = t.getClass();
    if (c == YArray.class) {
      return 0;
    } else if (c == YMap.class) {
      return 1;
    } else if (c == YText.class) {
      return 2;
    } else if (c == YXmlElement.class) {
      return 3;
    } else if (c == YXmlFragment.class) {
      return 4;
    } else if (c == YXmlHook.class) {
      return 5;
    } else if (c == YXmlText.class) {
      return 6;
    }
    return -1;
  }

  private static final String[] TYPE_NAMES = {
    "YArray", "YMap", "YText", "YXmlElement", "YXmlFragment", "YXmlHook", "YXmlText"
  };

  /** Appends the content summary of an item's log line. */
  static void summarize(StringBuilder sb, DecodedUpdate.Struct s) {
    switch (s.contentKind()) {
      case DELETED:
        sb.append(s.length());
        break;
      case STRING:
        sb.append(render(s.text()));
        break;
      case ANY:
      case JSON:
        sb.append(render(s.values()));
        break;
      case BINARY:
        sb.append(render(s.binary()));
        break;
      case EMBED:
        sb.append(render(s.embed()));
        break;
      case FORMAT:
        sb.append(render(s.formatKey())).append('=').append(render(s.formatValue()));
        break;
      case TYPE:
        sb.append(s.typeRef() >= 0 ? TYPE_NAMES[s.typeRef()] : "?");
        if (s.typeName() != null) {
          sb.append(' ').append(render(s.typeName()));
        }
        break;
      case DOC:
        sb.append("guid=")
            .append(render(s.guid()))
            .append(" opts=")
            .append(render(s.subdocOptions()));
        break;
      default:
        break;
    }
  }

  /**
   * A JS-like rendering ({@code "text"}, {@code 3n}, {@code undefined}, {@code Uint8Array[1,2]}),
   * cut at {@link #MAX_RENDER}.
   */
  static String render(Object v) {
    StringBuilder sb = new StringBuilder();
    append(sb, v);
    if (sb.length() > MAX_RENDER) {
      int total = sb.length();
      sb.setLength(MAX_RENDER);
      sb.append("…(").append(total).append(" chars)");
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, Object v) {
    if (sb.length() > MAX_RENDER) {
      return;
    }
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Undefined) {
      sb.append("undefined");
    } else if (v instanceof String) {
      sb.append(Json.stringify(v));
    } else if (v instanceof BigInteger) {
      sb.append(v).append('n');
    } else if (v instanceof Number && !(v instanceof Integer || v instanceof Long)) {
      sb.append(Json.numberToString(((Number) v).doubleValue()));
    } else if (v instanceof byte[]) {
      byte[] b = (byte[]) v;
      sb.append("Uint8Array[");
      for (int i = 0; i < b.length && sb.length() <= MAX_RENDER; i++) {
        sb.append(i > 0 ? "," : "").append(b[i] & 0xFF);
      }
      sb.append(']');
    } else if (v instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object o : (List<?>) v) {
        sb.append(first ? "" : ",");
        first = false;
        append(sb, o);
      }
      sb.append(']');
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      sb.append('{');
      boolean first = true;
      for (String k : JsStrings.objectKeys(m)) {
        sb.append(first ? "" : ",");
        first = false;
        sb.append(Json.stringify(k)).append(':');
        append(sb, m.get(k));
      }
      sb.append('}');
    } else {
      sb.append(v);
    }
  }
}
