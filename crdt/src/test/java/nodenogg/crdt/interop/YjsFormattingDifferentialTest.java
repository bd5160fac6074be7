package nodenogg.crdt.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import nodenogg.crdt.Doc;
import nodenogg.crdt.ID;
import nodenogg.crdt.Snapshot;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YText;
import nodenogg.crdt.testing.FormatSession;
import nodenogg.crdt.testing.MiniJson;
import nodenogg.crdt.testing.NodeOracle;
import nodenogg.crdt.testing.Observed;
import nodenogg.crdt.testing.Typed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Formatting differential against the real Yjs (js/oracle/format-session.mjs), compared exactly, gc
 * on (even seeds) and off (odd seeds), nothing normalised:
 *
 * <ol>
 *   <li>peers: 2-4 clients edit a root Y.Text, a Y.Text nested in a map and two Y.XmlText
 *       concurrently (overlapping and adjacent {@code format}, {@code null} removal, inserts at and
 *       inside run edges, embeds with attributes, deletes of whole runs, {@code applyDelta} with
 *       retain+attributes / insert / delete, and on half of the sessions UndoManager undo/redo,
 *       capturing or merging, tracking the cleanup transactions or not) and exchange what they
 *       broadcast — local edits and the formatting cleanup transactions run on receipt — each
 *       update in its own transaction. Java replays the script with the same client ids: every
 *       broadcast update, every v1 and v2 update event of every peer, and each peer's final state
 *       must be Yjs's.
 *   <li>receivers: the broadcast list applied to fresh docs in emission order, shuffled, with
 *       duplicates, and split into two halves with state syncs in between; roots declared before,
 *       half-way or after the updates; half of them with deep observers (the text events they see
 *       are compared too). v1 and v2 events (each cleanup transaction's update), the sync messages,
 *       {@code encodeStateAsUpdate} (v1, v2), state vector, {@code toDelta()} of every text and the
 *       XML string must be what Yjs gives for the same order.
 *   <li>snapshots: on the emission-order receiver, {@code toDelta(snapshot, prevSnapshot)} with the
 *       default and a per-user {@code ychange}, for every text; the document bytes and events must
 *       not change.
 * </ol>
 *
 * {@code -Dnodenogg.sessions=N} runs N sessions (default 3,000) from seed {@code -Dnodenogg.seed=S}
 * (default 1). A failing seed prints a one-line replay command.
 */
class YjsFormattingDifferentialTest {
  private static NodeOracle oracle;

  @BeforeAll
  static void start() {
    oracle = NodeOracle.startOrSkip();
  }

  @AfterAll
  static void stop() {
    if (oracle != null) oracle.close();
  }

  static String prop(String name) {
    String s = System.getProperty(name);
    return s == null || s.isBlank() || s.contains("${") ? null : s.trim();
  }

  static String replayCommand(long seed) {
    return "mvn -B -q -pl crdt -am verify -Dnpm.skip=true -Dtest=YjsFormattingDifferentialTest"
        + " -Dsurefire.failIfNoSpecifiedTests=false -Dnodenogg.seed="
        + seed
        + " -Dnodenogg.sessions=1";
  }

  /** Counts of what was compared, printed at the end. */
  static final class Counts {
    long sessions;
    long gcOn;
    long undoSessions;
    long broadcastUpdates;
    long orders;
    long receivers;
    long exactByteComparisons;
    long deltaComparisons;
    long xmlTextDeltas;
    long snapshotDeltas;
    long cleanupEvents;
    long textEvents;
  }

  /** The first difference of a session; stops the comparison of that session. */
  static final class Diff extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Diff(String m) {
      super(m, null, false, false);
    }
  }

  @Test
  void formattingSessionsMatchYjs() {
    long first = prop("nodenogg.seed") != null ? Long.parseLong(prop("nodenogg.seed")) : 1;
    int n = prop("nodenogg.sessions") != null ? Integer.parseInt(prop("nodenogg.sessions")) : 3000;
    Counts c = new Counts();
    List<String> failures = new ArrayList<>();
    for (long seed = first; seed < first + n; seed++) {
      String f;
      try {
        session(seed, c);
        f = null;
      } catch (Diff d) {
        f = d.getMessage();
      } catch (RuntimeException | StackOverflowError e) {
        StringBuilder sb = new StringBuilder("threw " + e);
        for (StackTraceElement el :
            Arrays.copyOf(e.getStackTrace(), Math.min(6, e.getStackTrace().length))) {
          sb.append("\n    at ").append(el);
        }
        f = sb.toString();
      }
      if (f != null) {
        failures.add("seed " + seed + ": " + f);
        if (failures.size() <= 5) {
          System.err.println("formatting differential: seed " + seed + " differs: " + f);
          System.err.println("  replay: " + replayCommand(seed));
        }
      }
    }
    System.out.printf(
        "formatting differential vs yjs: %d sessions (%d gc on, %d gc off, %d with undo/redo),"
            + " %d broadcast updates, %d formatting-cleanup transactions (peers and receivers), %d delivery orders on %d receivers,"
            + " %d exact byte comparisons, %d toDelta comparisons (%d of Y.XmlText), %d snapshot toDelta"
            + " comparisons, %d text events seen by deep observers; %d sessions differ%n",
        c.sessions,
        c.gcOn,
        c.sessions - c.gcOn,
        c.undoSessions,
        c.broadcastUpdates,
        c.cleanupEvents,
        c.orders,
        c.receivers,
        c.exactByteComparisons,
        c.deltaComparisons,
        c.xmlTextDeltas,
        c.snapshotDeltas,
        c.textEvents,
        failures.size());
    assertTrue(
        failures.isEmpty(),
        () ->
            failures.size()
                + "/"
                + n
                + " formatting sessions differ from Yjs; first: "
                + failures.get(0)
                + "\n  replay: "
                + replayCommand(Long.parseLong(failures.get(0).split("[ :]")[1])));
  }

  static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @SuppressWarnings("unchecked")
  static <T> T get(Object m, String key) {
    return (T) ((Map<String, Object>) m).get(key);
  }

  static String clip(Object s) {
    String t = String.valueOf(s);
    return t.length() > 600 ? t.substring(0, 600) + "..." : t;
  }

  static void bytes(Counts c, String what, String java, Object yjs) {
    c.exactByteComparisons++;
    if (!java.equals(yjs))
      throw new Diff(what + " differs:\n  java " + clip(java) + "\n  yjs  " + clip(yjs));
  }

  static void events(Counts c, String what, List<String> java, List<Object> yjs) {
    for (int i = 0; i < Math.max(java.size(), yjs.size()); i++) {
      if (i >= java.size() || i >= yjs.size()) {
        throw new Diff(
            what
                + ": event count differs: java "
                + java.size()
                + " yjs "
                + yjs.size()
                + (i < yjs.size()
                    ? "; yjs event #" + i + " " + clip(yjs.get(i))
                    : "; java event #" + i + " " + clip(java.get(i))));
      }
      bytes(c, what + " #" + i, java.get(i), yjs.get(i));
    }
  }

  /**
   * Compares an observeFormat result: deltas of every text (key order included), XML string, sv,
   * v1/v2 bytes.
   */
  @SuppressWarnings("unchecked")
  static void state(Counts c, String what, Map<String, Object> java, Object yjs) {
    Map<String, Object> jd = (Map<String, Object>) java.get("deltas");
    Map<String, Object> yd = get(yjs, "deltas");
    if (!jd.keySet().equals(yd.keySet()))
      throw new Diff(what + ": texts differ: java " + jd.keySet() + " yjs " + yd.keySet());
    for (String k : yd.keySet()) {
      String j = MiniJson.write(jd.get(k));
      String y = MiniJson.write(Typed.canon(yd.get(k)));
      c.deltaComparisons++;
      if (k.startsWith("xml")) c.xmlTextDeltas++;
      if (!j.equals(y))
        throw new Diff(
            what + ": toDelta of '" + k + "' differs:\n  java " + clip(j) + "\n  yjs  " + clip(y));
    }
    if (!java.get("xml").equals(get(yjs, "xml"))) {
      throw new Diff(
          what
              + ": XML string differs:\n  java "
              + clip(java.get("xml"))
              + "\n  yjs  "
              + clip(get(yjs, "xml")));
    }
    bytes(c, what + ": state vector", (String) java.get("sv"), get(yjs, "sv"));
    if (!java.get("pending").equals(get(yjs, "pending"))) {
      throw new Diff(
          what + ": pending differs: java " + java.get("pending") + " yjs " + get(yjs, "pending"));
    }
    bytes(c, what + ": encodeStateAsUpdate", (String) java.get("update"), get(yjs, "update"));
    bytes(c, what + ": encodeStateAsUpdateV2", (String) java.get("updateV2"), get(yjs, "updateV2"));
  }

  static void receiver(Counts c, String what, FormatSession.Recorder r, Object yjs) {
    events(c, what + ": update event", r.events, get(yjs, "events"));
    events(c, what + ": updateV2 event", r.eventsV2, get(yjs, "eventsV2"));
    state(c, what, FormatSession.observe(r.doc), get(yjs, "state"));
  }

  @SuppressWarnings("unchecked")
  static void session(long seed, Counts c) {
    Map<String, Object> js =
        oracle.callMap("formatSession", args("seed", seed, "gc", seed % 2 == 0));
    Map<String, Object> script = (Map<String, Object>) js.get("script");
    boolean gc = Boolean.TRUE.equals(script.get("gc"));
    c.sessions++;
    if (gc) c.gcOn++;
    if (script.get("undo") instanceof Map) c.undoSessions++;

    // 1. peers: the same script on Java docs with the same client ids
    FormatSession.Peers peers = new FormatSession.Peers(script);
    List<Object> broadcast = (List<Object>) js.get("broadcast");
    int stepNo = 0;
    int checked = 0;
    for (Object s : (List<Object>) script.get("steps")) {
      String step = "peer step #" + stepNo + " " + clip(MiniJson.write(s));
      for (Object i : (List<Object>) ((Map<String, Object>) s).getOrDefault("updates", List.of())) {
        if (((Number) i).intValue() >= peers.broadcast.size()) {
          throw new Diff(
              step
                  + ": Yjs peers had broadcast "
                  + broadcast.size()
                  + " updates by the end, Java peers only "
                  + peers.broadcast.size()
                  + " before this step (a cleanup or edit Java did not emit)");
        }
      }
      try {
        peers.step((Map<String, Object>) s);
      } catch (RuntimeException e) {
        throw new Diff(step + " threw " + e);
      }
      // what this step broadcast (an edit, undo/redo, or the cleanups a delivery caused) is Yjs's
      for (; checked < peers.broadcast.size(); checked++) {
        if (checked >= broadcast.size()) {
          throw new Diff(
              step
                  + ": Java peers broadcast update #"
                  + checked
                  + " that Yjs peers never sent: "
                  + clip(Observed.b64(peers.broadcast.get(checked))));
        }
        bytes(
            c,
            step + ": broadcast update #" + checked,
            Observed.b64(peers.broadcast.get(checked)),
            broadcast.get(checked));
      }
      stepNo++;
    }
    if (checked != broadcast.size()) {
      throw new Diff("peers: Java broadcast " + checked + " updates, Yjs " + broadcast.size());
    }
    c.broadcastUpdates += broadcast.size();
    c.cleanupEvents += peers.cleanupBroadcasts;
    List<Object> jsPeers = (List<Object>) js.get("peers");
    for (int p = 0; p < jsPeers.size(); p++) {
      FormatSession.Recorder r = peers.peers.get(p);
      events(c, "peer " + p + ": update event", r.events, get(jsPeers.get(p), "events"));
      events(c, "peer " + p + ": updateV2 event", r.eventsV2, get(jsPeers.get(p), "eventsV2"));
      state(c, "peer " + p, FormatSession.observe(r.doc), get(jsPeers.get(p), "state"));
    }

    // 2. receivers: Yjs's broadcast list in the orders Yjs used
    List<byte[]> updates = new ArrayList<>();
    for (Object u : broadcast) updates.add(NodeOracle.unb64(u));
    List<Object> orders = (List<Object>) js.get("orders");
    List<Object> results = (List<Object>) js.get("results");
    for (int i = 0; i < orders.size(); i++) {
      Object ord = orders.get(i);
      Object res = results.get(i);
      String name = get(ord, "name");
      String declare = get(ord, "declare");
      String what = "receiver '" + name + "' (roots declared " + declare + ")";
      c.orders++;
      if (name.equals("split")) {
        splitReceivers(c, what, updates, ord, res, gc);
        continue;
      }
      c.receivers++;
      boolean emission = name.equals("emission");
      List<Snapshot> snaps = new ArrayList<>();
      boolean observe = Boolean.TRUE.equals(get(ord, "observe"));
      if (observe) what += " with deep observers";
      FormatSession.Recorder r =
          FormatSession.receive(
              updates,
              get(ord, "list"),
              declare,
              1000 + i,
              gc,
              emission ? get(js, "snapAt") : null,
              snaps,
              observe);
      receiver(c, what, r, res);
      List<Object> jsTextEvents = get(res, "textEvents");
      for (int e = 0; e < Math.max(jsTextEvents.size(), r.textEvents.size()); e++) {
        if (e >= jsTextEvents.size() || e >= r.textEvents.size()) {
          throw new Diff(
              what
                  + ": text event count differs: java "
                  + r.textEvents.size()
                  + " yjs "
                  + jsTextEvents.size());
        }
        String j = MiniJson.write(r.textEvents.get(e));
        String y = MiniJson.write(Typed.canon(jsTextEvents.get(e)));
        c.textEvents++;
        if (!j.equals(y))
          throw new Diff(
              what + ": text event #" + e + " differs:\n  java " + clip(j) + "\n  yjs  " + clip(y));
      }
      c.cleanupEvents += r.localEvents;
      if (emission) snapshots(c, what, r, snaps, res);
    }
  }

  @SuppressWarnings("unchecked")
  static void splitReceivers(
      Counts c, String what, List<byte[]> updates, Object ord, Object res, boolean gc) {
    String declare = get(ord, "declare");
    FormatSession.Recorder a =
        FormatSession.receive(updates, get(ord, "a"), declare, 2001, gc, null, null, false);
    FormatSession.Recorder b =
        FormatSession.receive(updates, get(ord, "b"), declare, 2002, gc, null, null, false);
    c.receivers += 2;
    List<String> syncs = new ArrayList<>();
    FormatSession.Recorder[][] pairs = {{a, b}, {b, a}, {a, b}};
    List<Object> jsSyncs = get(res, "syncs");
    for (int i = 0; i < pairs.length; i++) {
      Doc to = pairs[i][0].doc;
      byte[] u = Updates.encodeStateAsUpdate(pairs[i][1].doc, Updates.encodeStateVector(to));
      syncs.add(Observed.b64(u));
      bytes(c, what + ": sync message #" + i, syncs.get(i), jsSyncs.get(i));
      Updates.applyUpdate(to, u);
    }
    receiver(c, what + " half A", a, get(res, "a"));
    receiver(c, what + " half B", b, get(res, "b"));
    c.cleanupEvents += a.localEvents + b.localEvents;
  }

  /** toDelta(snapshot, prevSnapshot[, computeYChange]) for the pairs format-session.mjs uses. */
  @SuppressWarnings("unchecked")
  static void snapshots(
      Counts c, String what, FormatSession.Recorder r, List<Snapshot> snaps, Object res) {
    List<Object> jsSnaps = get(res, "snapshots");
    if (jsSnaps.size() != snaps.size()) throw new Diff(what + ": snapshot count differs");
    for (int i = 0; i < snaps.size(); i++) {
      bytes(
          c,
          what + ": encodeSnapshot #" + i,
          Observed.b64(Snapshot.encodeSnapshot(snaps.get(i))),
          jsSnaps.get(i));
    }
    BiFunction<String, ID, Object> byUser =
        (type, id) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("type", type);
          m.put("user", id.client);
          return m;
        };
    FormatSession.declareRoots(r.doc);
    for (Object sd : (List<Object>) get(res, "snapshotDeltas")) {
      String path = get(sd, "path");
      int a = ((Number) get(sd, "a")).intValue();
      int b = ((Number) get(sd, "b")).intValue();
      List<Object> p = new ArrayList<>();
      for (String part : path.split("/"))
        p.add(part.matches("\\d+") ? (Object) Long.valueOf(part) : part);
      YText t = (YText) FormatSession.resolve(r.doc, p);
      Snapshot sa = a < 0 ? null : snaps.get(a);
      String plain = MiniJson.write(Typed.delta(t.toDelta(sa, snaps.get(b))));
      String user = MiniJson.write(Typed.delta(t.toDelta(sa, snaps.get(b), byUser)));
      c.snapshotDeltas += 2;
      String w = what + ": toDelta(snapshot #" + a + ", prevSnapshot #" + b + ") of '" + path + "'";
      String yPlain = MiniJson.write(Typed.canon(get(sd, "plain")));
      if (!plain.equals(yPlain))
        throw new Diff(w + " differs:\n  java " + clip(plain) + "\n  yjs  " + clip(yPlain));
      String yUser = MiniJson.write(Typed.canon(get(sd, "user")));
      if (!user.equals(yUser))
        throw new Diff(
            w + " with computeYChange differs:\n  java " + clip(user) + "\n  yjs  " + clip(yUser));
    }
    bytes(
        c,
        what + ": encodeStateAsUpdate after snapshot toDelta",
        Observed.b64(Updates.encodeStateAsUpdate(r.doc)),
        get(res, "afterSnapshots"));
    int jsEvents = ((Number) get(res, "eventsAfterSnapshots")).intValue();
    if (r.events.size() != jsEvents) {
      throw new Diff(
          what
              + ": update events after snapshot toDelta: java "
              + r.events.size()
              + " yjs "
              + jsEvents);
    }
  }
}
