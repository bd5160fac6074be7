package nodenogg.crdt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Replays an op script (the format of js/oracle/replay.mjs) on our docs; for debugging. */
final class ScriptReplay {
  private ScriptReplay() {}

  @SuppressWarnings("unchecked")
  static void apply(List<Doc> docs, Map<String, Object> o) {
    Doc d = docs.get(((Number) o.get("d")).intValue());
    String op = (String) o.get("op");
    Map<String, Object> attrs =
        o.get("attrs") == null ? null : new LinkedHashMap<>((Map<String, Object>) o.get("attrs"));
    switch (op) {
      case "tins":
        if (attrs == null) {
          d.getText("t").insert(num(o, "idx"), (String) o.get("s"));
        } else {
          d.getText("t").insert(num(o, "idx"), (String) o.get("s"), attrs);
        }
        break;
      case "tdel":
        d.getText("t").delete(num(o, "idx"), num(o, "len"));
        break;
      case "tfmt":
        d.getText("t").format(num(o, "idx"), num(o, "len"), attrs);
        break;
      case "tembed":
        d.getText("t").insertEmbed(num(o, "idx"), o.get("v"), attrs);
        break;
      case "mset":
        d.getMap("m").set((String) o.get("k"), o.get("v"));
        break;
      case "mdel":
        d.getMap("m").delete((String) o.get("k"));
        break;
      case "mnest":
        {
          YMap m = new YMap();
          m.set("x", o.get("v"));
          d.getMap("m").set((String) o.get("k"), m);
          break;
        }
      case "ains":
        d.getArray("a").insert(num(o, "idx"), (List<Object>) o.get("vals"));
        break;
      case "adel":
        d.getArray("a").delete(num(o, "idx"), num(o, "len"));
        break;
      case "sync":
        {
          Doc from = docs.get(num(o, "from"));
          Doc to = docs.get(num(o, "to"));
          Updates.applyUpdate(to, Updates.encodeStateAsUpdate(from, Updates.encodeStateVector(to)));
          break;
        }
      case "undo":
      case "redo":
      case "stop":
        throw new IllegalArgumentException("undo ops need UndoManagers");
      default:
        throw new IllegalArgumentException(op);
    }
  }

  private static int num(Map<String, Object> o, String k) {
    return ((Number) o.get(k)).intValue();
  }

  static String dumpText(YText t) {
    StringBuilder sb = new StringBuilder();
    for (Item n = t.start; n != null; n = n.right) {
      sb.append(n.id).append(n.isDeleted() ? "D" : "").append(':');
      if (n.content instanceof ContentFormat) {
        sb.append("F[")
            .append(((ContentFormat) n.content).key)
            .append('=')
            .append(((ContentFormat) n.content).value)
            .append(']');
      } else if (n.content instanceof ContentString) {
        sb.append('"').append(((ContentString) n.content).str()).append('"');
      } else {
        sb.append(n.content.getClass().getSimpleName()).append(n.length);
      }
      sb.append("  ");
    }
    return sb.toString();
  }
}
