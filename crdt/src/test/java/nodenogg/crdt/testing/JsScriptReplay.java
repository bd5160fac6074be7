package nodenogg.crdt.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.AbstractType;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YArray;
import nodenogg.crdt.YMap;
import nodenogg.crdt.YText;

/**
 * Replays an oracle script (format documented in js/oracle/script.mjs) on Java docs with the same
 * client ids, recording what each doc emitted, exactly like {@code ScriptRun} does on the JS side.
 */
public final class JsScriptReplay {
  public final List<Doc> docs = new ArrayList<>();
  public final List<byte[]> local = new ArrayList<>();
  public final List<Integer> localBy = new ArrayList<>();
  public final List<List<byte[]>> events = new ArrayList<>();
  public final List<List<byte[]>> eventsV2 = new ArrayList<>();
  public final List<byte[]> stateSyncs = new ArrayList<>();
  public final List<List<String>> roots;

  @SuppressWarnings("unchecked")
  public JsScriptReplay(Map<String, Object> script) {
    List<List<String>> r = (List<List<String>>) (List<?>) script.get("roots");
    this.roots = r == null ? Observed.DEFAULT_ROOTS : r;
    for (Object c : (List<Object>) script.get("clients")) {
      Map<String, Object> cm = (Map<String, Object>) c;
      long id = ((Number) cm.get("clientId")).longValue();
      Doc d = new Doc(new Doc.Options().clientId(id).gc(!Boolean.FALSE.equals(cm.get("gc"))));
      for (List<String> root : roots) Observed.root(d, root.get(0), root.get(1));
      int idx = docs.size();
      List<byte[]> ev = new ArrayList<>();
      events.add(ev);
      d.onUpdate(
          (u, origin, tr) -> {
            ev.add(u);
            if ("local".equals(origin)) {
              local.add(u);
              localBy.add(idx);
            }
          });
      List<byte[]> ev2 = new ArrayList<>();
      eventsV2.add(ev2);
      d.onUpdateV2((u, origin, tr) -> ev2.add(u));
      docs.add(d);
    }
  }

  /** Runs every step of the script. */
  @SuppressWarnings("unchecked")
  public JsScriptReplay runAll(Map<String, Object> script) {
    for (Object s : (List<Object>) script.get("steps")) step((Map<String, Object>) s);
    return this;
  }

  @SuppressWarnings("unchecked")
  public void step(Map<String, Object> s) {
    if (s.containsKey("ops")) {
      Doc d = docs.get(num(s.get("c")));
      d.transact(
          tr -> {
            for (Object op : (List<Object>) s.get("ops")) applyOp(d, (Map<String, Object>) op);
          },
          "local");
    } else if (s.containsKey("from")) {
      Doc to = docs.get(num(s.get("to")));
      byte[] u =
          Updates.encodeStateAsUpdate(docs.get(num(s.get("from"))), Updates.encodeStateVector(to));
      stateSyncs.add(u);
      Updates.applyUpdate(to, u, "remote");
    } else {
      Doc to = docs.get(num(s.get("to")));
      for (Object i : (List<Object>) s.get("updates"))
        Updates.applyUpdate(to, local.get(num(i)), "remote");
    }
  }

  @SuppressWarnings("unchecked")
  public static AbstractType<?> resolve(Doc d, Map<String, Object> path) {
    Object t = Observed.root(d, (String) path.get("root"), (String) path.get("kind"));
    List<Object> steps = (List<Object>) path.getOrDefault("steps", List.of());
    for (Object s : steps) {
      t = s instanceof String ? ((YMap) t).get((String) s) : ((YArray) t).get(num(s));
      if (!(t instanceof AbstractType))
        throw new IllegalStateException("path names no shared type: " + MiniJson.write(path));
    }
    return (AbstractType<?>) t;
  }

  @SuppressWarnings("unchecked")
  public static void applyOp(Doc d, Map<String, Object> op) {
    AbstractType<?> t = resolve(d, (Map<String, Object>) op.get("path"));
    String kind = (String) op.get("t");
    switch (kind) {
      case "mapSet":
        ((YMap) t).set((String) op.get("key"), Typed.toJava(op.get("value")));
        break;
      case "mapDel":
        ((YMap) t).delete((String) op.get("key"));
        break;
      case "arrIns":
        ((YArray) t).insert(num(op.get("index")), (List<?>) Typed.toJava(op.get("values")));
        break;
      case "arrPush":
        ((YArray) t).push((List<?>) Typed.toJava(op.get("values")));
        break;
      case "arrDel":
        ((YArray) t).delete(num(op.get("index")), num(op.get("len")));
        break;
      case "txtIns":
        if (op.get("attrs") == null)
          ((YText) t).insert(num(op.get("index")), (String) op.get("text"));
        else
          ((YText) t).insert(num(op.get("index")), (String) op.get("text"), attrs(op.get("attrs")));
        break;
      case "txtEmbed":
        ((YText) t)
            .insertEmbed(
                num(op.get("index")), Typed.toJava(op.get("embed")), attrs(op.get("attrs")));
        break;
      case "txtDel":
        ((YText) t).delete(num(op.get("index")), num(op.get("len")));
        break;
      case "txtFmt":
        ((YText) t).format(num(op.get("index")), num(op.get("len")), attrs(op.get("attrs")));
        break;
      default:
        throw new IllegalArgumentException("unknown op " + kind);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> attrs(Object a) {
    return a == null ? null : new LinkedHashMap<>((Map<String, Object>) Typed.toJava(a));
  }

  static int num(Object o) {
    return ((Number) o).intValue();
  }

  public List<Observed> observe() {
    List<Observed> l = new ArrayList<>();
    for (Doc d : docs) l.add(Observed.of(d, roots));
    return l;
  }
}
