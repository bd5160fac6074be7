package nodenogg.crdt.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.AbstractType;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Json;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YText;

/**
 * What the tests compare about one document, the Java twin of {@code observe()} in
 * js/oracle/values.mjs: JSON.stringify text per root, the tagged form per root, text deltas, state
 * vector, encodeStateAsUpdate bytes and whether anything is pending. {@link #diff} names the first
 * difference, or returns null.
 */
public final class Observed {
  public final Map<String, Object> json = new LinkedHashMap<>();
  public final Map<String, Object> typed = new LinkedHashMap<>();
  public final Map<String, Object> deltas = new LinkedHashMap<>();
  public byte[] sv;
  public byte[] update;

  /** encodeStateAsUpdateV2, or null when the other side did not report it. */
  public byte[] updateV2;

  public boolean pending;

  public static final List<List<String>> DEFAULT_ROOTS =
      List.of(List.of("map", "map"), List.of("array", "array"), List.of("text", "text"));

  public static AbstractType<?> root(Doc d, String name, String kind) {
    switch (kind) {
      case "map":
        return d.getMap(name);
      case "array":
        return d.getArray(name);
      case "text":
        return d.getText(name);
      case "xml":
        return d.getXmlFragment(name);
      default:
        throw new IllegalArgumentException("root kind " + kind);
    }
  }

  /** Observes a Java doc. */
  public static Observed of(Doc d, List<List<String>> roots) {
    Observed o = new Observed();
    for (List<String> r : roots) {
      AbstractType<?> t = root(d, r.get(0), r.get(1));
      o.json.put(r.get(0), stringify(t instanceof YText ? t.toString() : t.toJSON()));
      o.typed.put(r.get(0), Typed.of(t));
      if (t instanceof YText) o.deltas.put(r.get(0), Typed.delta(((YText) t).toDelta()));
    }
    o.sv = Updates.encodeStateVector(d);
    o.update = Updates.encodeStateAsUpdate(d);
    o.updateV2 = Updates.encodeStateAsUpdateV2(d);
    o.pending = d.hasPending();
    return o;
  }

  /** Json.stringify, or null where JSON.stringify throws too (a bigint). */
  static String stringify(Object v) {
    try {
      return Json.stringify(v);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Reads the oracle's observation of a JS doc. */
  @SuppressWarnings("unchecked")
  public static Observed fromOracle(Map<String, Object> m) {
    Observed o = new Observed();
    o.json.putAll((Map<String, Object>) m.get("json"));
    o.typed.putAll((Map<String, Object>) Typed.canon(m.get("typed")));
    o.deltas.putAll((Map<String, Object>) Typed.canon(m.get("deltas")));
    o.sv = NodeOracle.unb64(m.get("sv"));
    o.update = NodeOracle.unb64(m.get("update"));
    o.updateV2 = m.get("updateV2") == null ? null : NodeOracle.unb64(m.get("updateV2"));
    o.pending = Boolean.TRUE.equals(m.get("pending"));
    return o;
  }

  /**
   * First difference between this (Java) and {@code js}, or null. {@code exactBytes} false compares
   * everything but the encodeStateAsUpdate bytes (the caller then compares normalised bytes).
   */
  public String diff(Observed js, boolean exactBytes) {
    for (String k : js.typed.keySet()) {
      if (!js.typed.get(k).equals(typed.get(k)))
        return "root '"
            + k
            + "' differs:\n  java "
            + MiniJsonSafe.write(typed.get(k))
            + "\n  yjs  "
            + MiniJsonSafe.write(js.typed.get(k));
      Object jj = js.json.get(k);
      if (jj != null && !jj.equals(json.get(k)))
        return "JSON.stringify of root '"
            + k
            + "' differs:\n  java "
            + json.get(k)
            + "\n  yjs  "
            + jj;
    }
    for (String k : js.deltas.keySet()) {
      if (!js.deltas.get(k).equals(deltas.get(k)))
        return "delta of '"
            + k
            + "' differs:\n  java "
            + MiniJsonSafe.write(deltas.get(k))
            + "\n  yjs  "
            + MiniJsonSafe.write(js.deltas.get(k));
    }
    if (!Arrays.equals(sv, js.sv))
      return "state vector differs: java " + b64(sv) + " yjs " + b64(js.sv);
    if (pending != js.pending) return "pending differs: java " + pending + " yjs " + js.pending;
    if (exactBytes && !Arrays.equals(update, js.update))
      return "encodeStateAsUpdate differs:\n  java " + b64(update) + "\n  yjs  " + b64(js.update);
    if (exactBytes && js.updateV2 != null && !Arrays.equals(updateV2, js.updateV2)) {
      return "encodeStateAsUpdateV2 differs:\n  java "
          + b64(updateV2)
          + "\n  yjs  "
          + b64(js.updateV2);
    }
    return null;
  }

  public static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** Writes typed forms for messages (never throws). */
  static final class MiniJsonSafe {
    static String write(Object v) {
      try {
        return MiniJson.write(v);
      } catch (RuntimeException e) {
        return String.valueOf(v);
      }
    }
  }

  /** Base64 list helper for oracle calls. */
  public static List<Object> b64(List<byte[]> l) {
    List<Object> out = new ArrayList<>();
    for (byte[] b : l) out.add(b64(b));
    return out;
  }
}
