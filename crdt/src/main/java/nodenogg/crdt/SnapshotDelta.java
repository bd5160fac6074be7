package nodenogg.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * YText.toDelta against snapshots (yjs YText.toDelta(snapshot, prevSnapshot, computeYChange)): text
 * visible in either snapshot, with a {@code ychange} attribute on text removed since / added after
 * {@code prevSnapshot}. Runs inside a Doc transaction (origin "cleanup") because the structs are
 * split at the snapshots' borders and merged again afterwards. Guarded by the Doc's lock.
 */
final class SnapshotDelta {
  private SnapshotDelta() {}

  static boolean visible(Item n, Snapshot s) {
    return s == null ? !n.isDeleted() : s.isVisible(n);
  }

  static List<Map<String, Object>> toDelta(
      YText text,
      Snapshot snapshot,
      Snapshot prevSnapshot,
      BiFunction<String, ID, Object> computeYChange) {
    if (snapshot == null && prevSnapshot == null) {
      return text.toDelta();
    }
    List<Map<String, Object>> ops = new ArrayList<>();
    if (text.doc == null) {
      return ops;
    }
    text.doc.transact(
        tr -> {
          if (snapshot != null) {
            snapshot.splitAffectedStructs(tr);
          }
          if (prevSnapshot != null) {
            prevSnapshot.splitAffectedStructs(tr);
          }
          compute(text, snapshot, prevSnapshot, computeYChange, ops);
        },
        "cleanup");
    return ops;
  }

  private static void compute(
      YText text,
      Snapshot snapshot,
      Snapshot prevSnapshot,
      BiFunction<String, ID, Object> computeYChange,
      List<Map<String, Object>> ops) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    StringBuilder str = new StringBuilder();
    for (Item n = text.start; n != null; n = n.right) {
      if (!(visible(n, snapshot) || (prevSnapshot != null && visible(n, prevSnapshot)))) {
        continue;
      }
      if (n.content instanceof ContentString) {
        Object cur = attrs.get("ychange");
        if (snapshot != null && !visible(n, snapshot)) {
          if (cur == null || !sameChange(cur, n, "removed")) {
            pack(ops, str, attrs);
            attrs.put("ychange", change(computeYChange, "removed", n.id));
          }
        } else if (prevSnapshot != null && !visible(n, prevSnapshot)) {
          if (cur == null || !sameChange(cur, n, "added")) {
            pack(ops, str, attrs);
            attrs.put("ychange", change(computeYChange, "added", n.id));
          }
        } else if (cur != null) {
          pack(ops, str, attrs);
          attrs.remove("ychange");
        }
        str.append(((ContentString) n.content).str());
      } else if (n.content instanceof ContentType || n.content instanceof ContentEmbed) {
        pack(ops, str, attrs);
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("insert", n.content.getContent().get(0));
        if (!attrs.isEmpty()) {
          op.put("attributes", new LinkedHashMap<>(attrs));
        }
        ops.add(op);
      } else if (n.content instanceof ContentFormat) {
        if (visible(n, snapshot)) {
          pack(ops, str, attrs);
          YText.updateCurrentAttributes(attrs, (ContentFormat) n.content);
        }
      }
    }
    pack(ops, str, attrs);
  }

  private static Object change(BiFunction<String, ID, Object> computeYChange, String type, ID id) {
    if (computeYChange != null) {
      return computeYChange.apply(type, id);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    return m;
  }

  /** JS: cur.user === n.id.client && cur.type === type (strict equality; user must be a number). */
  private static boolean sameChange(Object cur, Item n, String type) {
    if (!(cur instanceof Map)) {
      return false;
    }
    Object user = ((Map<?, ?>) cur).get("user");
    Object t = ((Map<?, ?>) cur).get("type");
    return user instanceof Number && ((Number) user).doubleValue() == n.id.client && type.equals(t);
  }

  private static void pack(
      List<Map<String, Object>> ops, StringBuilder str, Map<String, Object> attrs) {
    if (str.length() > 0) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("insert", str.toString());
      if (!attrs.isEmpty()) {
        op.put("attributes", new LinkedHashMap<>(attrs));
      }
      ops.add(op);
      str.setLength(0);
    }
  }
}
