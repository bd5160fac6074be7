package nodenogg.crdt.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.testing.JsScriptReplay;
import nodenogg.crdt.testing.NodeOracle;
import nodenogg.crdt.testing.Observed;
import nodenogg.crdt.testing.Scale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential tests against the real Yjs (js/oracle): seeded random multi-client sessions run in
 * Yjs, then (a) Yjs's updates applied in Java, in emission order and shuffled, must give what Yjs
 * gives for the same list; (b) the same scripted operations run in Java with the same client ids
 * must emit byte-identical updates and end in the same per-client state; (c) Java's updates applied
 * in Yjs must give Java's state. encodeStateAsUpdate bytes (v1 and v2) and every update event are
 * compared exactly, gc on and off, with nothing normalised: each order is compared with what Yjs
 * gives for that same order. The formatting-heavy sessions are in {@link
 * YjsFormattingDifferentialTest}.
 */
class YjsDifferentialTest {
  private static NodeOracle oracle;

  @BeforeAll
  static void start() {
    oracle = NodeOracle.startOrSkip();
  }

  @AfterAll
  static void stop() {
    if (oracle != null) oracle.close();
  }

  static Map<String, Object> options(long seed) {
    return options(seed, false);
  }

  static Map<String, Object> options(long seed, boolean lone) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("seed", seed);
    o.put("clients", 2 + (int) (seed % 3));
    o.put("steps", 20 + (int) (seed % 41));
    o.put("gc", seed % 2 == 0);
    o.put("loneSurrogates", lone);
    return o;
  }

  @Test
  void scriptedSessionsEmitIdenticalUpdates() {
    int n = Scale.of(200);
    List<String> failures = new ArrayList<>();
    for (long seed = 1; seed <= n; seed++) {
      String f;
      try {
        f = replayOne(seed);
      } catch (RuntimeException | StackOverflowError e) {
        f = "threw " + e;
      }
      if (f != null) failures.add("seed " + seed + " " + options(seed) + ": " + f);
    }
    report("(b) scripted replay", n, failures);
  }

  @Test
  void yjsUpdatesAppliedInJavaGiveYjsState() {
    int n = Scale.of(150);
    List<String> failures = new ArrayList<>();
    for (long seed = 1001; seed < 1001 + n; seed++) {
      String f;
      try {
        f = applyOne(seed);
      } catch (RuntimeException | StackOverflowError e) {
        f = "threw " + e;
      }
      if (f != null) failures.add("seed " + seed + " " + options(seed) + ": " + f);
    }
    report("(a) Yjs updates applied in Java", n, failures);
  }

  @Test
  void partialDeliveryWithPendingMatchesYjs() {
    pending(false);
  }

  @Test
  void partialDeliveryWithPendingEncodesLikeYjs() {
    pending(true);
  }

  @Test
  void sessionsWithLoneSurrogatesMatchYjs() {
    int n = Scale.of(60);
    List<String> failures = new ArrayList<>();
    for (long seed = 5001; seed < 5001 + n; seed++) {
      String f;
      try {
        f = replayOne(options(seed, true));
        if (f == null) f = applyOne(options(seed, true));
      } catch (RuntimeException | StackOverflowError e) {
        f = "threw " + e;
      }
      if (f != null) failures.add("seed " + seed + " " + options(seed, true) + ": " + f);
    }
    report("lone-surrogate sessions", n, failures);
  }

  void pending(boolean exactBytes) {
    int n = Scale.of(60);
    List<String> failures = new ArrayList<>();
    for (long seed = 3001; seed < 3001 + n; seed++) {
      String f;
      try {
        f = pendingOne(seed, exactBytes);
      } catch (RuntimeException | StackOverflowError e) {
        f = "threw " + e;
      }
      if (f != null) failures.add("seed " + seed + " " + options(seed) + ": " + f);
    }
    report("(a') half of the updates, shuffled (pending)", n, failures);
  }

  /**
   * Update-level functions on each session's updates: mergeUpdates(V2), convert,
   * encodeStateVectorFromUpdate, diffUpdate.
   */
  @Test
  @SuppressWarnings("unchecked")
  void updateFunctionsMatchYjs() {
    int n = Scale.of(40);
    List<String> failures = new ArrayList<>();
    for (long seed = 7001; seed < 7001 + n; seed++) {
      String f;
      try {
        f = functionsOne(seed);
      } catch (RuntimeException | StackOverflowError e) {
        f = "threw " + e;
      }
      if (f != null) failures.add("seed " + seed + " " + options(seed) + ": " + f);
    }
    report("update functions", n, failures);
  }

  static Map<String, Object> args(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static String cmp(String what, byte[] java, Object yjs) {
    byte[] y = NodeOracle.unb64(yjs);
    return Arrays.equals(java, y)
        ? null
        : what + " differs:\n  java " + Observed.b64(java) + "\n  yjs  " + yjs;
  }

  @SuppressWarnings("unchecked")
  static String functionsOne(long seed) {
    Map<String, Object> s = oracle.session(options(seed));
    List<Object> b64 = (List<Object>) ((Map<String, Object>) s.get("result")).get("local");
    List<byte[]> ups = new ArrayList<>();
    for (Object o : b64) ups.add(NodeOracle.unb64(o));
    Collections.shuffle(ups, new Random(seed));
    List<Object> shuffled = Observed.b64(ups);
    byte[] merged = Updates.mergeUpdates(ups);
    String d = cmp("mergeUpdates", merged, oracle.call("merge", args("updates", shuffled)));
    if (d != null) return d;
    List<byte[]> v2 = new ArrayList<>();
    for (int i = 0; i < ups.size(); i++) {
      byte[] c = Updates.convertUpdateFormatV1ToV2(ups.get(i));
      d =
          cmp(
              "convertUpdateFormatV1ToV2 #" + i,
              c,
              oracle.call("convert", args("update", shuffled.get(i), "to", "v2")));
      if (d != null) return d;
      v2.add(c);
    }
    d =
        cmp(
            "mergeUpdatesV2",
            Updates.mergeUpdatesV2(v2),
            oracle.call("merge", args("updates", Observed.b64(v2), "v2", true)));
    if (d != null) return d;
    d =
        cmp(
            "convertUpdateFormatV2ToV1(merged v2)",
            Updates.convertUpdateFormatV2ToV1(Updates.mergeUpdatesV2(v2)),
            oracle.call(
                "convert",
                args(
                    "update",
                    oracle.call("merge", args("updates", Observed.b64(v2), "v2", true)),
                    "to",
                    "v1")));
    if (d != null) return d;
    d =
        cmp(
            "encodeStateVectorFromUpdate",
            Updates.encodeStateVectorFromUpdate(merged),
            oracle.call("svFromUpdate", args("update", Observed.b64(merged))));
    if (d != null) return d;
    Object halfSv = oracle.apply(ups.subList(0, ups.size() / 2), true, null).get("sv");
    d =
        cmp(
            "diffUpdate",
            Updates.diffUpdate(merged, NodeOracle.unb64(halfSv)),
            oracle.call("diff", args("update", Observed.b64(merged), "sv", halfSv)));
    if (d != null) return d;
    // the merged update applied to a fresh doc gives what all the updates give
    return crossApply(List.of(merged), false, Observed.DEFAULT_ROOTS);
  }

  static void report(String what, int n, List<String> failures) {
    if (!failures.isEmpty()) {
      System.err.println(what + ": " + failures.size() + "/" + n + " sessions differ");
      failures.stream().limit(5).forEach(System.err::println);
    }
    assertTrue(
        failures.isEmpty(),
        () ->
            what
                + ": "
                + failures.size()
                + "/"
                + n
                + " sessions differ; first: "
                + failures.get(0));
  }

  /** (b) and (c) for one seed; returns null or the first difference. */
  @SuppressWarnings("unchecked")
  static String replayOne(long seed) {
    return replayOne(options(seed));
  }

  @SuppressWarnings("unchecked")
  static String replayOne(Map<String, Object> opts) {
    Map<String, Object> s = oracle.session(opts);
    Map<String, Object> script = (Map<String, Object>) s.get("script");
    Map<String, Object> js = (Map<String, Object>) s.get("result");
    boolean gc = Boolean.TRUE.equals(opts.get("gc"));
    JsScriptReplay java = new JsScriptReplay(script).runAll(script);
    List<Object> jsLocal = (List<Object>) js.get("local");
    for (int i = 0; i < Math.max(jsLocal.size(), java.local.size()); i++) {
      if (i >= jsLocal.size() || i >= java.local.size()) {
        return "local update count differs: java " + java.local.size() + " yjs " + jsLocal.size();
      }
      byte[] y = NodeOracle.unb64(jsLocal.get(i));
      if (!Arrays.equals(y, java.local.get(i))) {
        return "local update #"
            + i
            + " differs:\n  java "
            + Observed.b64(java.local.get(i))
            + "\n  yjs  "
            + Observed.b64(y);
      }
    }
    List<Object> jsSyncs = (List<Object>) js.get("stateSyncs");
    for (int i = 0; i < jsSyncs.size(); i++) {
      byte[] y = NodeOracle.unb64(jsSyncs.get(i));
      if (!Arrays.equals(y, java.stateSyncs.get(i))) {
        return "state-sync #"
            + i
            + " differs:\n  java "
            + Observed.b64(java.stateSyncs.get(i))
            + "\n  yjs  "
            + Observed.b64(y);
      }
    }
    List<Object> jsEvents = (List<Object>) js.get("events");
    for (int c = 0; c < jsEvents.size(); c++) {
      List<Object> ev = (List<Object>) jsEvents.get(c);
      List<byte[]> jev = java.events.get(c);
      for (int i = 0; i < Math.max(ev.size(), jev.size()); i++) {
        if (i >= ev.size() || i >= jev.size())
          return "client "
              + c
              + " update-event count differs: java "
              + jev.size()
              + " yjs "
              + ev.size();
        if (!Arrays.equals(NodeOracle.unb64(ev.get(i)), jev.get(i))) {
          return "client "
              + c
              + " update event #"
              + i
              + " differs:\n  java "
              + Observed.b64(jev.get(i))
              + "\n  yjs  "
              + ev.get(i);
        }
      }
    }
    List<Object> jsEventsV2 = (List<Object>) js.get("eventsV2");
    for (int c = 0; jsEventsV2 != null && c < jsEventsV2.size(); c++) {
      List<Object> ev = (List<Object>) jsEventsV2.get(c);
      List<byte[]> jev = java.eventsV2.get(c);
      for (int i = 0; i < Math.max(ev.size(), jev.size()); i++) {
        if (i >= ev.size() || i >= jev.size())
          return "client "
              + c
              + " updateV2-event count differs: java "
              + jev.size()
              + " yjs "
              + ev.size();
        if (!Arrays.equals(NodeOracle.unb64(ev.get(i)), jev.get(i))) {
          return "client "
              + c
              + " updateV2 event #"
              + i
              + " differs:\n  java "
              + Observed.b64(jev.get(i))
              + "\n  yjs  "
              + ev.get(i);
        }
      }
    }
    List<Object> jsDocs = (List<Object>) js.get("docs");
    List<Observed> mine = java.observe();
    for (int c = 0; c < jsDocs.size(); c++) {
      Observed y = Observed.fromOracle((Map<String, Object>) jsDocs.get(c));
      String d = mine.get(c).diff(y, true);
      if (d != null) return "client " + c + ": " + d;
    }
    // (c) Java's own updates, applied in Yjs, give what they give in a fresh Java doc.
    return crossApply(java.local, gc, java.roots);
  }

  /**
   * (a) for one seed: Yjs's updates in emission order, then shuffled (exercises pending structs).
   */
  @SuppressWarnings("unchecked")
  static String applyOne(long seed) {
    return applyOne(options(seed));
  }

  @SuppressWarnings("unchecked")
  static String applyOne(Map<String, Object> opts) {
    long seed = ((Number) opts.get("seed")).longValue();
    Map<String, Object> s = oracle.session(opts);
    boolean gc = Boolean.TRUE.equals(opts.get("gc"));
    List<byte[]> ups = new ArrayList<>();
    for (Object o : (List<Object>) ((Map<String, Object>) s.get("result")).get("local"))
      ups.add(NodeOracle.unb64(o));
    String d = crossApply(ups, gc, Observed.DEFAULT_ROOTS);
    if (d != null) return "in order: " + d;
    List<byte[]> shuffled = new ArrayList<>(ups);
    Collections.shuffle(shuffled, new Random(seed));
    d = crossApply(shuffled, gc, Observed.DEFAULT_ROOTS);
    return d == null ? null : "shuffled: " + d;
  }

  /**
   * Half of the updates, shuffled: both sides keep some pending, and encodeStateAsUpdate must carry
   * it.
   */
  @SuppressWarnings("unchecked")
  static String pendingOne(long seed, boolean exactBytes) {
    Map<String, Object> s = oracle.session(options(seed));
    boolean gc = Boolean.TRUE.equals(options(seed).get("gc"));
    List<byte[]> ups = new ArrayList<>();
    for (Object o : (List<Object>) ((Map<String, Object>) s.get("result")).get("local"))
      ups.add(NodeOracle.unb64(o));
    Collections.shuffle(ups, new Random(seed));
    return crossApply(ups.subList(0, ups.size() / 2), gc, Observed.DEFAULT_ROOTS, exactBytes);
  }

  /**
   * Applies the updates to a fresh Java doc and a fresh Yjs doc; compares observables and events.
   */
  @SuppressWarnings("unchecked")
  static String crossApply(List<byte[]> updates, boolean gc, List<List<String>> roots) {
    return crossApply(updates, gc, roots, true);
  }

  @SuppressWarnings("unchecked")
  static String crossApply(
      List<byte[]> updates, boolean gc, List<List<String>> roots, boolean compareBytes) {
    Map<String, Object> y = oracle.apply(updates, gc, roots);
    Doc d = new Doc(new Doc.Options().clientId(4242).gc(gc));
    for (List<String> r : roots) Observed.root(d, r.get(0), r.get(1));
    List<byte[]> events = new ArrayList<>();
    d.onUpdate((u, o, tr) -> events.add(u));
    for (byte[] u : updates) Updates.applyUpdate(d, u);
    Observed jy = Observed.fromOracle(y);
    Observed mine = Observed.of(d, roots);
    String diff = mine.diff(jy, compareBytes);
    if (diff != null) return diff;
    List<Object> yev = (List<Object>) y.get("events");
    if (yev.size() != events.size())
      return "update-event count on apply differs: java " + events.size() + " yjs " + yev.size();
    for (int i = 0; i < yev.size(); i++) {
      if (!Arrays.equals(NodeOracle.unb64(yev.get(i)), events.get(i))) {
        return "update event #"
            + i
            + " on apply differs:\n  java "
            + Observed.b64(events.get(i))
            + "\n  yjs  "
            + yev.get(i);
      }
    }
    return null;
  }
}
