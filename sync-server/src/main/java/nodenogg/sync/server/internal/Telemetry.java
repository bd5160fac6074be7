package nodenogg.sync.server.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the server counts and tells its operator: connections, messages and bytes per protocol,
 * update apply and store commit latencies, refusals by reason; and the log lines for connections
 * (opened, authenticated, closed), documents (loaded, unloaded) and refusals.
 *
 * <p>Logs: activity at INFO on the logger {@value #ACTIVITY_LOGGER} (turn that logger down to
 * silence per-connection lines), refusals at WARN on {@value #REFUSAL_LOGGER}, at most {@value
 * #REFUSAL_LINES_PER_WINDOW} lines per reason every 10 s (the rest are counted and the count is
 * reported with the next line). Log lines carry key-value pairs (SLF4J 2) and name the remote
 * address and document; never a token or a query string.
 *
 * <p>Thread-safe; recording is lock-free except for the per-connection document sets.
 */
public final class Telemetry {
  public static final String ACTIVITY_LOGGER = "nodenogg.sync.server.activity";
  public static final String REFUSAL_LOGGER = "nodenogg.sync.server.refused";
  static final int REFUSAL_LINES_PER_WINDOW = 10;

  private static final Logger ACTIVITY = LoggerFactory.getLogger(ACTIVITY_LOGGER);
  private static final Logger REFUSED = LoggerFactory.getLogger(REFUSAL_LOGGER);

  /** Connection kinds, one per socket route. */
  public enum Protocol {
    HOCUSPOCUS("hocuspocus"),
    Y_WEBSOCKET("y-websocket"),
    SIGNALLING("signalling"),
    INSPECTOR("inspector"),
    TRACKER("tracker"),
    AUTOMERGE("automerge-repo");

    public final String label;

    Protocol(String label) {
      this.label = label;
    }
  }

  /** Counters of one protocol. */
  static final class Traffic {
    final AtomicInteger open = new AtomicInteger();
    final LongAdder opened = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
  }

  private final LongSupplier wallClock;
  private final long startedMillis;
  private final long startedNanos = System.nanoTime();
  private final Traffic[] traffic = new Traffic[Protocol.values().length];
  private final Histogram applyTime = new Histogram(Histogram.LATENCY_BOUNDS);
  private final Histogram commitTime = new Histogram(Histogram.LATENCY_BOUNDS);
  private final LongAdder updatesApplied = new LongAdder();
  private final LongAdder updateBytes = new LongAdder();
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private final LongAdder commits = new LongAdder();
  private final LongAdder commitFailures = new LongAdder();
  private final AtomicInteger storeQueue = new AtomicInteger();
  private volatile long lastCommitMillis;
  private volatile long lastFailureMillis;
  private final LongAdder documentsLoaded = new LongAdder();
  private final LongAdder documentsUnloaded = new LongAdder();

  /** Remote address of an open connection → the documents it joined. */
  private final Map<String, Set<String>> documentsOf = new ConcurrentHashMap<>();

  private final RateLimitedLog refusalLog;

  /** Remote addresses of open inspector pages (not counted as a document's connections). */
  private final Set<String> inspectors = ConcurrentHashMap.newKeySet();

  /** Updates applied per document since start (for the inspector). */
  private final Map<String, DocumentActivity> activity = new ConcurrentHashMap<>();

  /** What changed a document since the server started. */
  public record DocumentActivity(long updates, long bytes, long lastChangeMillis) {}

  public Telemetry(LongSupplier wallClock) {
    this.wallClock = wallClock;
    this.startedMillis = wallClock.getAsLong();
    for (int i = 0; i < traffic.length; i++) {
      traffic[i] = new Traffic();
    }
    this.refusalLog = new RateLimitedLog(REFUSAL_LINES_PER_WINDOW, 10_000, wallClock);
  }

  Traffic traffic(Protocol p) {
    return traffic[p.ordinal()];
  }

  public long startedMillis() {
    return startedMillis;
  }

  public double uptimeSeconds() {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  // ---- connections ----

  void connectionOpened(Protocol p, String remote, String path) {
    Traffic t = traffic(p);
    t.open.incrementAndGet();
    t.opened.increment();
    documentsOf.put(remote, new LinkedHashSet<>());
    if (p == Protocol.INSPECTOR) {
      inspectors.add(remote);
    }
    ACTIVITY
        .atInfo()
        .addKeyValue("protocol", p.label)
        .addKeyValue("remote", remote)
        .addKeyValue("path", path)
        .log("connection opened");
  }

  void connectionClosed(
      Protocol p, String remote, int code, String reason, boolean byClient, long openMillis) {
    traffic(p).open.decrementAndGet();
    inspectors.remove(remote);
    Set<String> docs = documentsOf.remove(remote);
    List<String> documents = docs == null ? List.of() : snapshot(docs);
    ACTIVITY
        .atInfo()
        .addKeyValue("protocol", p.label)
        .addKeyValue("remote", remote)
        .addKeyValue("documents", documents)
        .addKeyValue("code", code)
        .addKeyValue("reason", reason)
        .addKeyValue("by", byClient ? "client" : "server")
        .addKeyValue("duration_ms", openMillis)
        .log("connection closed");
    String refusal = byClient ? null : refusalOfCloseCode(code);
    if (refusal != null) {
      refused(
          refusal,
          remote,
          documents.isEmpty() ? null : String.join(",", documents),
          "connection closed by the server: " + code + " " + reason);
    }
  }

  private static List<String> snapshot(Set<String> docs) {
    synchronized (docs) {
      return new ArrayList<>(docs);
    }
  }

  /**
   * The refusal reason a server-side close code stands for, or null for ordinary closes (1000
   * normal, 1001 going away, 1006 the socket dropped, 4401 already logged as a token refusal).
   */
  static String refusalOfCloseCode(int code) {
    switch (code) {
      case 1002:
      case 1007:
        return "bad_input";
      case 1003:
      case 1008:
        return "policy";
      case 1009:
        return "too_big";
      case 1011:
        return "internal_error";
      case 1013:
        return "overloaded";
      case 4205:
        return "pre_auth_limit";
      case 4408:
        return "timeout";
      default:
        return null;
    }
  }

  void messageIn(Protocol p, int bytes) {
    Traffic t = traffic(p);
    t.messagesIn.increment();
    t.bytesIn.add(bytes);
  }

  void messageOut(Protocol p, int bytes) {
    Traffic t = traffic(p);
    t.messagesOut.increment();
    t.bytesOut.add(bytes);
  }

  public int openConnections(Protocol p) {
    return traffic(p).open.get();
  }

  // ---- documents and authentication (from the hooks) ----

  void authenticated(String protocol, String document, String remote, boolean readOnly) {
    joined(document, remote);
    ACTIVITY
        .atInfo()
        .addKeyValue("protocol", protocol)
        .addKeyValue("remote", remote)
        .addKeyValue("document", document)
        .addKeyValue("access", readOnly ? "read-only" : "read-write")
        .log("connection authenticated");
  }

  /**
   * Notes that the open connection at {@code remote} uses {@code document} (authenticated or
   * joined); ignored when that connection is gone (only open connections have an entry, so nothing
   * leaks).
   */
  void joined(String document, String remote) {
    Set<String> docs = documentsOf.get(remote);
    if (docs != null) {
      synchronized (docs) {
        docs.add(document);
      }
    }
  }

  void documentLoaded(String document, int storedUpdates) {
    documentsLoaded.increment();
    ACTIVITY
        .atInfo()
        .addKeyValue("document", document)
        .addKeyValue("stored_updates", storedUpdates)
        .log("document loaded");
  }

  void documentUnloaded(String document) {
    documentsUnloaded.increment();
    ACTIVITY.atInfo().addKeyValue("document", document).log("document unloaded");
  }

  /** A client's update changed {@code document}. */
  void documentChanged(String document, int bytes) {
    long now = wallClock.getAsLong();
    activity.merge(
        document,
        new DocumentActivity(1, bytes, now),
        (a, b) -> new DocumentActivity(a.updates() + 1, a.bytes() + b.bytes(), now));
  }

  public DocumentActivity activity(String document) {
    return activity.get(document);
  }

  /** Open connections that use {@code document}. */
  public int connectionsTo(String document) {
    int n = 0;
    for (Map.Entry<String, Set<String>> c : documentsOf.entrySet()) {
      if (inspectors.contains(c.getKey())) {
        continue;
      }
      Set<String> docs = c.getValue();
      synchronized (docs) {
        if (docs.contains(document)) {
          n++;
        }
      }
    }
    return n;
  }

  // ---- refusals ----

  /**
   * Counts a refusal and logs it at WARN (rate-limited per reason).
   *
   * @param document the document concerned, or null when not known (an upgrade refused before any
   *     message)
   */
  public void refused(String reason, String remote, String document, String what) {
    refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
    long held = refusalLog.admit(reason);
    if (held < 0 || !REFUSED.isWarnEnabled()) {
      return;
    }
    var line = REFUSED.atWarn().addKeyValue("reason", reason).addKeyValue("remote", remote);
    if (document != null) {
      line = line.addKeyValue("document", document);
    }
    if (held > 0) {
      line = line.addKeyValue("suppressed", held);
    }
    line.log(what + (held > 0 ? " (" + held + " similar lines held back)" : ""));
  }

  public long refusalCount(String reason) {
    LongAdder a = refusals.get(reason);
    return a == null ? 0 : a.sum();
  }

  // ---- updates and store ----

  void updateApplied(long nanos, int bytes) {
    applyTime.recordNanos(nanos);
    updatesApplied.increment();
    updateBytes.add(bytes);
  }

  void storeAppendStarted() {
    storeQueue.incrementAndGet();
  }

  void storeAppendFinished(long nanos, boolean ok) {
    storeQueue.decrementAndGet();
    if (ok) {
      commitTime.recordNanos(nanos);
      commits.increment();
      lastCommitMillis = wallClock.getAsLong();
    } else {
      commitFailures.increment();
      lastFailureMillis = wallClock.getAsLong();
    }
  }

  /** No store failure since start, or a commit succeeded after the last one. */
  public boolean storeHealthy() {
    long f = lastFailureMillis;
    return f == 0 || lastCommitMillis > f;
  }

  public int storeQueueDepth() {
    return storeQueue.get();
  }

  /** Wall-clock time of the last durable append, 0 when none since start. */
  public long lastCommitMillis() {
    return lastCommitMillis;
  }

  public long storeCommits() {
    return commits.sum();
  }

  public long storeFailures() {
    return commitFailures.sum();
  }

  public long updatesApplied() {
    return updatesApplied.sum();
  }

  // ---- Prometheus ----

  /**
   * The metrics in the Prometheus text format.
   *
   * @param documentsOpen documents in memory right now
   * @param signallingRooms signalling topics with subscribers right now (-1: no signalling mounted)
   */
  public String prometheus(int documentsOpen, int signallingRooms) {
    StringBuilder o = new StringBuilder(4096);
    String ns = "nodenogg_sync_";
    Prometheus.header(o, ns + "uptime_seconds", "gauge", "Seconds since the server started.");
    Prometheus.sample(o, ns + "uptime_seconds", null, Math.round(uptimeSeconds() * 1000) / 1000.0);
    Prometheus.header(o, ns + "connections", "gauge", "Open WebSocket connections by protocol.");
    for (Protocol p : Protocol.values()) {
      Prometheus.sample(
          o, ns + "connections", Prometheus.label("protocol", p.label), traffic(p).open.get());
    }
    counter(
        o,
        ns + "connections_opened_total",
        "WebSocket connections accepted since start, by protocol.",
        t -> t.opened.sum());
    counter(
        o,
        ns + "messages_received_total",
        "WebSocket messages received, by protocol.",
        t -> t.messagesIn.sum());
    counter(
        o,
        ns + "messages_sent_total",
        "WebSocket messages sent, by protocol.",
        t -> t.messagesOut.sum());
    counter(
        o,
        ns + "received_bytes_total",
        "Payload bytes of the messages received, by protocol.",
        t -> t.bytesIn.sum());
    counter(
        o,
        ns + "sent_bytes_total",
        "Payload bytes of the messages sent, by protocol.",
        t -> t.bytesOut.sum());
    Prometheus.header(o, ns + "documents_open", "gauge", "Documents in memory.");
    Prometheus.sample(o, ns + "documents_open", null, documentsOpen);
    Prometheus.header(
        o,
        ns + "documents_loaded_total",
        "counter",
        "Documents loaded from the store since start.");
    Prometheus.sample(o, ns + "documents_loaded_total", null, documentsLoaded.sum());
    Prometheus.header(
        o, ns + "updates_applied_total", "counter", "Client updates applied to documents.");
    Prometheus.sample(o, ns + "updates_applied_total", null, updatesApplied.sum());
    Prometheus.header(
        o, ns + "update_bytes_total", "counter", "Bytes of the client updates applied.");
    Prometheus.sample(o, ns + "update_bytes_total", null, updateBytes.sum());
    Prometheus.header(
        o,
        ns + "update_apply_seconds",
        "histogram",
        "Time to apply one client update to its document.");
    applyTime.render(o, ns + "update_apply_seconds");
    Prometheus.header(
        o,
        ns + "store_commit_seconds",
        "histogram",
        "Time from handing an update to the store until it is durable.");
    commitTime.render(o, ns + "store_commit_seconds");
    Prometheus.header(
        o, ns + "store_queue_depth", "gauge", "Updates handed to the store and not yet durable.");
    Prometheus.sample(o, ns + "store_queue_depth", null, storeQueue.get());
    Prometheus.header(o, ns + "store_failures_total", "counter", "Store appends that failed.");
    Prometheus.sample(o, ns + "store_failures_total", null, commitFailures.sum());
    Prometheus.header(
        o,
        ns + "store_last_commit_timestamp_seconds",
        "gauge",
        "Unix time of the last durable append (0: none since start).");
    Prometheus.sample(
        o, ns + "store_last_commit_timestamp_seconds", null, lastCommitMillis / 1000.0);
    Prometheus.header(
        o, ns + "refusals_total", "counter", "Requests and connections refused, by reason.");
    for (Map.Entry<String, LongAdder> r : new TreeMap<>(refusals).entrySet()) {
      Prometheus.sample(
          o, ns + "refusals_total", Prometheus.label("reason", r.getKey()), r.getValue().sum());
    }
    if (signallingRooms >= 0) {
      Prometheus.header(
          o, ns + "signalling_rooms", "gauge", "Signalling topics with at least one subscriber.");
      Prometheus.sample(o, ns + "signalling_rooms", null, signallingRooms);
    }
    return o.toString();
  }

  private void counter(
      StringBuilder o, String name, String help, java.util.function.ToLongFunction<Traffic> f) {
    Prometheus.header(o, name, "counter", help);
    for (Protocol p : Protocol.values()) {
      Prometheus.sample(o, name, Prometheus.label("protocol", p.label), f.applyAsLong(traffic(p)));
    }
  }

  public static String prometheusContentType() {
    return Prometheus.CONTENT_TYPE;
  }
}
