package nodenogg.sync.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import nodenogg.sync.server.tracker.TrackerStats;

/**
 * What {@code GET /status} reports: version, uptime, open connections by protocol, documents in
 * memory, the store's health and the signalling rooms. A snapshot; immutable.
 *
 * @param name server name ({@value SyncServer#NAME})
 * @param version server version
 * @param startedAt when the server started
 * @param uptimeSeconds seconds since then
 * @param connections open WebSocket connections by protocol ({@code hocuspocus}, {@code y-websocket},
 *     {@code signalling}, {@code inspector}, {@code automerge-repo})
 * @param documentsOpen documents in memory
 * @param store the store's health
 * @param signallingRooms signalling topics with subscribers on {@code /signal}; -1 when not mounted
 * @param tracker the WebTorrent tracker's counters on {@code /announce}; null when not mounted
 */
public record ServerStatus(String name, String version, Instant startedAt, double uptimeSeconds,
    Map<String, Integer> connections, int documentsOpen, Store store, int signallingRooms, TrackerStats tracker) {

  public ServerStatus {
    connections = Map.copyOf(connections);
  }

  /**
   * The store's health.
   *
   * @param kind {@code sqlite}, {@code memory} or the store's class name
   * @param healthy no append failed since start, or one succeeded after the last failure
   * @param lastCommit when the last append became durable; null when none since start
   * @param queueDepth appends handed to the store and not yet durable
   * @param commits appends made durable since start
   * @param failures appends that failed since start
   */
  public record Store(String kind, boolean healthy, Instant lastCommit, int queueDepth, long commits, long failures) {}

  /** Total open connections. */
  public int connectionCount() {
    return connections.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The {@code GET /status} body: {@code status, name, version} (as the nodenogg.in server) and the rest. */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", store.healthy() ? "ok" : "degraded");
    o.put("name", name);
    o.put("version", version);
    o.put("started_at", startedAt.toString());
    o.put("uptime_seconds", Math.round(uptimeSeconds * 1000) / 1000.0);
    ObjectNode c = o.putObject("connections");
    c.put("total", connectionCount());
    for (String p : new String[] {"hocuspocus", "y-websocket", "signalling", "tracker", "inspector", "automerge-repo"}) {
      if (!p.equals("tracker") || tracker != null) { // no tracker entries at all when it is not mounted
        c.put(p, connections.getOrDefault(p, 0));
      }
    }
    o.put("documents_open", documentsOpen);
    ObjectNode s = o.putObject("store");
    s.put("kind", store.kind());
    s.put("healthy", store.healthy());
    if (store.lastCommit() != null) {
      s.put("last_commit", store.lastCommit().toString());
    } else {
      s.putNull("last_commit");
    }
    s.put("queue_depth", store.queueDepth());
    s.put("commits", store.commits());
    s.put("failures", store.failures());
    ObjectNode sig = o.putObject("signalling");
    sig.put("mounted", signallingRooms >= 0);
    sig.put("rooms", Math.max(0, signallingRooms));
    if (tracker != null) {
      try {
        o.set("tracker", JSON.readTree(tracker.toJson()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("tracker counters are not JSON: " + tracker.toJson(), e);
      }
    }
    return o.toString();
  }
}
