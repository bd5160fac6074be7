package nodenogg.crdt.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nodenogg.crdt.AbstractType;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Snapshot;
import nodenogg.crdt.UndoManager;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YEvent;
import nodenogg.crdt.YText;
import nodenogg.crdt.YXmlElement;
import nodenogg.crdt.YXmlFragment;
import nodenogg.crdt.YXmlText;

/**
 * The Java twin of {@code js/oracle/format-session.mjs}: replays a formatting-heavy session's
 * script on Java peers with the same client ids, applies broadcast updates to fresh receivers in a
 * given order, and observes a doc in the same form as the JS {@code observeFormat}. Not thread-safe
 * (one session per thread).
 */
public final class FormatSession {
  private FormatSession() {}

  /** The texts a session edits: root text, a text nested in a map, two XML texts. */
  public static final List<List<Object>> TEXT_PATHS =
      List.of(List.of("text"), List.of("map", "note"), List.of("xml", 0L, 0L), List.of("xml", 1L));

  /** The shared type at {@code path}, or null when the path names nothing (yet). */
  public static Object resolve(Doc d, List<?> path) {
    String root = (String) path.get(0);
    if (root.equals("text")) return d.getText("text");
    if (root.equals("map")) return d.getMap("map").get((String) path.get(1));
    Object t = d.getXmlFragment("xml");
    for (Object i : path.subList(1, path.size())) {
      if (!(t instanceof YXmlFragment)) return null;
      YXmlFragment f = (YXmlFragment) t;
      int idx = ((Number) i).intValue();
      if (idx >= f.length()) return null;
      t = f.get(idx);
    }
    return t;
  }

  public static String pathKey(List<?> path) {
    StringBuilder sb = new StringBuilder();
    for (Object o : path) {
      if (sb.length() > 0) sb.append('/');
      sb.append(o);
    }
    return sb.toString();
  }

  public static void declareRoots(Doc d) {
    d.getText("text");
    d.getMap("map");
    d.getXmlFragment("xml");
  }

  /** The structure client 0 builds first (format-session.mjs runSetup), origin "setup". */
  public static void setup(Doc d) {
    d.transact(
        tr -> {
          YText text = d.getText("text");
          text.insert(0, "Hello world", attrs("bold", true));
          text.insert(11, " again");
          YText note = new YText();
          d.getMap("map").set("note", note);
          note.insert(0, "note text");
          note.format(0, 4, attrs("italic", true));
          YXmlElement p = new YXmlElement("p");
          YXmlText xt = new YXmlText();
          YXmlText xt2 = new YXmlText();
          d.getXmlFragment("xml").insert(0, List.of(p, xt2));
          p.insert(0, List.of(xt));
          xt.insert(0, "para one", attrs("bold", true));
          xt2.insert(0, "tail");
        },
        "setup");
  }

  private static Map<String, Object> attrs(String k, Object v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k, v);
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> attrsOf(Object a) {
    return a == null ? null : (Map<String, Object>) Typed.toJava(a);
  }

  /** One operation of a script step (format-session.mjs applyFormatOp). */
  @SuppressWarnings("unchecked")
  public static void applyOp(Doc d, Map<String, Object> op) {
    String t = (String) op.get("t");
    if (t.equals("map")) {
      d.getMap("map").set((String) op.get("key"), Typed.toJava(op.get("value")));
      return;
    }
    YText text = (YText) resolve(d, (List<Object>) op.get("path"));
    switch (t) {
      case "fmt":
        text.format(num(op.get("index")), num(op.get("len")), attrsOf(op.get("attrs")));
        break;
      case "del":
        text.delete(num(op.get("index")), num(op.get("len")));
        break;
      case "embed":
        text.insertEmbed(
            num(op.get("index")), Typed.toJava(op.get("embed")), attrsOf(op.get("attrs")));
        break;
      case "ins":
        if (op.get("attrs") == null) text.insert(num(op.get("index")), (String) op.get("text"));
        else text.insert(num(op.get("index")), (String) op.get("text"), attrsOf(op.get("attrs")));
        break;
      case "delta":
        text.applyDelta((List<Map<String, Object>>) Typed.toJava(op.get("delta")));
        break;
      default:
        throw new IllegalArgumentException("unknown op " + t);
    }
  }

  static int num(Object o) {
    return ((Number) o).intValue();
  }

  /** What a doc holds, in the form of the JS observeFormat (byte fields as base64). */
  public static Map<String, Object> observe(Doc d) {
    declareRoots(d);
    Map<String, Object> deltas = new LinkedHashMap<>();
    for (List<Object> p : TEXT_PATHS) {
      Object t = resolve(d, p);
      if (t instanceof YText) deltas.put(pathKey(p), Typed.delta(((YText) t).toDelta()));
    }
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("deltas", deltas);
    o.put("xml", d.getXmlFragment("xml").toString());
    o.put("sv", Observed.b64(Updates.encodeStateVector(d)));
    o.put("update", Observed.b64(Updates.encodeStateAsUpdate(d)));
    o.put("updateV2", Observed.b64(Updates.encodeStateAsUpdateV2(d)));
    o.put("pending", d.hasPending());
    return o;
  }

  /** A doc that records its v1 and v2 update events (base64). */
  public static final class Recorder {
    public final Doc doc;
    public final List<String> events = new ArrayList<>();
    public final List<String> eventsV2 = new ArrayList<>();

    /** Update events of local transactions (on a receiver: the formatting cleanups it ran). */
    public int localEvents;

    /**
     * With observers: every text event a deep observer on a root saw ({root, path, delta}, typed
     * form).
     */
    public final List<Object> textEvents = new ArrayList<>();

    public UndoManager undoManager;

    public Recorder(long clientId, boolean gc) {
      doc = new Doc(new Doc.Options().clientId(clientId).gc(gc));
      doc.onUpdate(
          (u, origin, tr) -> {
            events.add(Observed.b64(u));
            if (tr.local()) localEvents++;
          });
      doc.onUpdateV2((u, origin, tr) -> eventsV2.add(Observed.b64(u)));
    }
  }

  /**
   * The peers of a script ({clients, gc, undo, steps}); {@link #step} runs one step like
   * FormatPeers in JS.
   */
  public static final class Peers {
    public final List<Recorder> peers = new ArrayList<>();
    public final List<byte[]> broadcast = new ArrayList<>();

    /**
     * Broadcast updates of formatting cleanups (origin null: run by the engine after a remote
     * change).
     */
    public int cleanupBroadcasts;

    @SuppressWarnings("unchecked")
    public Peers(Map<String, Object> script) {
      boolean gc = !Boolean.FALSE.equals(script.get("gc"));
      Object undo = script.get("undo");
      for (Object id : (List<Object>) script.get("clients")) {
        Recorder r = new Recorder(((Number) id).longValue(), gc);
        declareRoots(r.doc);
        r.doc.onUpdate(
            (u, origin, tr) -> {
              if (!"remote".equals(origin)) broadcast.add(u);
              if (origin == null) cleanupBroadcasts++;
            });
        if (undo instanceof Map) {
          Set<Object> tracked = new HashSet<>();
          tracked.add("local");
          if (Boolean.TRUE.equals(((Map<?, ?>) undo).get("trackNull"))) tracked.add(null);
          long timeout = ((Number) ((Map<?, ?>) undo).get("captureTimeout")).longValue();
          r.undoManager =
              new UndoManager(
                  List.of(r.doc.getText("text"), r.doc.getMap("map"), r.doc.getXmlFragment("xml")),
                  new UndoManager.Options().trackedOrigins(tracked).captureTimeoutMillis(timeout));
        }
        peers.add(r);
      }
    }

    @SuppressWarnings("unchecked")
    public void step(Map<String, Object> s) {
      if (Boolean.TRUE.equals(s.get("setup"))) {
        setup(peers.get(num(s.get("c"))).doc);
      } else if (s.containsKey("ops")) {
        Doc d = peers.get(num(s.get("c"))).doc;
        d.transact(
            tr -> {
              for (Object op : (List<Object>) s.get("ops")) applyOp(d, (Map<String, Object>) op);
            },
            "local");
      } else if (s.containsKey("um")) {
        UndoManager um = peers.get(num(s.get("c"))).undoManager;
        if ("undo".equals(s.get("um"))) um.undo();
        else um.redo();
      } else {
        Doc d = peers.get(num(s.get("to"))).doc;
        for (Object i : (List<Object>) s.get("updates"))
          Updates.applyUpdate(d, broadcast.get(num(i)), "remote");
      }
    }
  }

  /**
   * A fresh receiver with {@code clientId} applying {@code order} (indices into {@code broadcast}),
   * each update in its own transaction; {@code declare} is when the roots are declared ("before",
   * "mid", "after"). When {@code snapAt} is given, a snapshot is taken after each of those
   * positions into {@code snaps}.
   */
  public static Recorder receive(
      List<byte[]> broadcast,
      List<?> order,
      String declare,
      long clientId,
      boolean gc,
      List<?> snapAt,
      List<Snapshot> snaps,
      boolean observe) {
    Recorder r = new Recorder(clientId, gc);
    Runnable declare0 =
        () -> {
          declareRoots(r.doc);
          if (observe) observeTexts(r.doc, r.textEvents);
        };
    if (declare.equals("before")) declare0.run();
    for (int k = 0; k < order.size(); k++) {
      if (declare.equals("mid") && k == order.size() / 2) declare0.run();
      Updates.applyUpdate(r.doc, broadcast.get(num(order.get(k))));
      if (snapAt != null && containsNum(snapAt, k)) snaps.add(Snapshot.snapshot(r.doc));
    }
    return r;
  }

  /**
   * Deep observers on the three roots, recording text events as format-session.mjs observeTexts
   * does.
   */
  static void observeTexts(Doc d, List<Object> out) {
    Map<String, AbstractType<?>> roots = new LinkedHashMap<>();
    roots.put("text", d.getText("text"));
    roots.put("map", d.getMap("map"));
    roots.put("xml", d.getXmlFragment("xml"));
    roots.forEach(
        (name, t) ->
            t.observeDeep(
                events -> {
                  for (YEvent e : events) {
                    if (e.target() instanceof YText) {
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("root", name);
                      m.put("path", Typed.of(e.path()));
                      m.put("delta", Typed.delta(e.delta()));
                      out.add(m);
                    }
                  }
                }));
  }

  private static boolean containsNum(List<?> l, int k) {
    for (Object o : l) {
      if (num(o) == k) return true;
    }
    return false;
  }
}
