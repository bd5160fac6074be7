package nodenogg.benchmarks;

import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Subscription;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YText;

/**
 * Replays a {@link Trace} through the engine the way Yjs's own benchmark does, and the way {@code
 * js/bench/replay.mjs} does for the JS libraries:
 *
 * <ol>
 *   <li>local ops: one {@code doc.transact} per trace transaction ({@code delete(pos, del)} then
 *       {@code insert(pos, ins)}), collecting the v1 update each transaction emits;
 *   <li>remote apply: all those updates applied one by one to a fresh document;
 *   <li>encode: {@code encodeStateAsUpdate} of the local document (v1; v2 size when available);
 *   <li>parse: the v1 encoding loaded into a fresh document; live heap it holds after GC.
 * </ol>
 *
 * Every phase checks the text against the trace's {@code endContent}.
 *
 * <p>Not thread-safe; use one instance per thread.
 */
public final class TraceReplay {
  /** The client id Yjs's golden B4 file was produced with, so the encoded bytes can be compared. */
  public static final long CLIENT_ID = 3_000_000_001L;

  private final Trace trace;
  private byte[] lastEncoded;

  public TraceReplay(Trace trace) {
    this.trace = trace;
  }

  /** Thrown when a replayed text differs from the trace's expected text. */
  public static final class MismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MismatchException(String message) {
      super(message);
    }
  }

  /** Replays the trace into a new document (client id {@link #CLIENT_ID}), local ops only. */
  public Doc replayLocal(List<byte[]> updatesOut) {
    Doc doc = new Doc(new Doc.Options().clientId(CLIENT_ID));
    YText text = doc.getText("text");
    Subscription sub =
        updatesOut == null ? null : doc.onUpdate((u, origin, tr) -> updatesOut.add(u));
    if (!trace.startContent().isEmpty()) {
      doc.transact(tr -> text.insert(0, trace.startContent()));
    }
    int txns = trace.txnCount();
    for (int t = 0; t < txns; t++) {
      final int from = trace.txnStart(t);
      final int to = trace.txnStart(t + 1);
      doc.transact(
          tr -> {
            for (int p = from; p < to; p++) {
              int del = trace.del(p);
              if (del > 0) {
                text.delete(trace.pos(p), del);
              }
              String ins = trace.ins(p);
              if (!ins.isEmpty()) {
                text.insert(trace.pos(p), ins);
              }
            }
          });
    }
    if (sub != null) {
      sub.close();
    }
    return doc;
  }

  /** One full measured replay (see the class comment). */
  public ReplayResult run(int runNumber) {
    double[] times = new double[6];
    byte[][] encoded = timedPhases(times);
    byte[] v1 = encoded[0];
    byte[] v2 = encoded[1];
    lastEncoded = v1;
    // the local and remote docs died with timedPhases' frame: the heap delta counts the parsed doc
    // only
    long before = HeapMeter.liveHeap();
    Clock c = new Clock();
    Doc loaded = new Doc();
    Updates.applyUpdate(loaded, v1);
    double parseMs = c.wallMs();
    double parseCpuMs = c.cpuMs();
    long heap = HeapMeter.liveHeap() - before;
    String text = loaded.getText("text").toString();
    check("parsed", text);
    return new ReplayResult(
        trace.name(),
        runNumber,
        trace.txnCount(),
        times[0],
        times[1],
        times[2],
        parseMs,
        v1.length,
        v2 == null ? null : v2.length,
        heap,
        text.length(),
        times[3],
        times[4],
        times[5],
        parseCpuMs);
  }

  /** Local ops, remote apply and encode; fills {@code times} and returns {v1, v2 or null}. */
  private byte[][] timedPhases(double[] times) {
    List<byte[]> updates = new ArrayList<>(trace.txnCount() + 1);
    Clock c = new Clock();
    Doc doc = replayLocal(updates);
    times[0] = c.wallMs();
    times[3] = c.cpuMs();
    check("local", doc.getText("text").toString());

    Doc remote = new Doc();
    c = new Clock();
    for (byte[] u : updates) {
      Updates.applyUpdate(remote, u);
    }
    times[1] = c.wallMs();
    times[4] = c.cpuMs();
    check("remote", remote.getText("text").toString());

    c = new Clock();
    byte[] v1 = Updates.encodeStateAsUpdate(doc);
    times[2] = c.wallMs();
    times[5] = c.cpuMs();
    return new byte[][] {v1, EngineV2.encode(doc)};
  }

  /** The v1 encoding produced by the last {@link #run}. */
  public byte[] lastEncoded() {
    return lastEncoded;
  }

  private void check(String phase, String actual) {
    if (!actual.equals(trace.endContent())) {
      int i = 0;
      String want = trace.endContent();
      while (i < actual.length() && i < want.length() && actual.charAt(i) == want.charAt(i)) {
        i++;
      }
      throw new MismatchException(
          trace.name()
              + ": "
              + phase
              + " text differs from endContent at index "
              + i
              + " (length "
              + actual.length()
              + ", expected "
              + want.length()
              + ")");
    }
  }

  static double millisSince(long t0) {
    return (System.nanoTime() - t0) / 1e6;
  }
}
