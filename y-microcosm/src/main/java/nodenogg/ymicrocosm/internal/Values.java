package nodenogg.ymicrocosm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.encoding.Undefined;

/** Plain-value helpers for values read from the document. */
public final class Values {
  private Values() {}

  /**
   * A copy of {@code v} without JS {@code undefined}: object keys holding it are dropped (JSON and
   * valibot treat them as absent), array items become null.
   */
  public static Object withoutUndefined(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getValue() instanceof Undefined)) {
          out.put(String.valueOf(e.getKey()), withoutUndefined(e.getValue()));
        }
      }
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object x : l) {
        out.add(x instanceof Undefined ? null : withoutUndefined(x));
      }
      return out;
    }
    return v;
  }
}
