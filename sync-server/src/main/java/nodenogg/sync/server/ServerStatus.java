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
 * @param connections open WebSocket connections by protocol ({@code hocuspocus}, {@code
 *     y-websocket}, {@code signalling}, {@code inspector}, {@code automerge-repo})
 * @param documentsOpen documents in memory
 * @param store the store's health
 * @param signallingRooms signalling topics with subscribers on {@code /signal}; -1 when not mounted
 * @param tracker the WebTorrent tracker's counters on {@code /announce}; null when not mounted
 * @param cluster this instance in a cluster ({@code serve --redis}); null for a server alone
 */
public record ServerStatus(
    String name,
    String version,
    Instant startedAt,
    double uptimeSeconds,
    Map<String, Integer> connections,
    int documentsOpen,
    Store store,
    int signallingRooms,
    TrackerStats tracker,
    Cluster cluster) {

  public ServerStatus {
    connections = Map.copyOf(connections);
  }

  /** A server alone (no cluster). */
  public ServerStatus(
      String name,
      String version,
      Instant startedAt,
      double uptimeSeconds,
      Map<String, Integer> connections,
      int documentsOpen,
      Store store,
      int signallingRooms,
      TrackerStats tracker) {
    this(
        name,
        version,
        startedAt,
        uptimeSeconds,
        connections,
        documentsOpen,
        store,
        signallingRooms,
        tracker,
        null);
  }

  /**
   * This instance in a cluster ({@code ./microcosm serve --redis}); null for a server alone.
   *
   * @param instanceId this instance's id
   * @param redis the Redis URL (no password)
   * @param redisConnected whether the link to Redis is up
   * @param redisProblem what is wrong with it, or null
   * @param redisDownSince since when it is down, or null
   * @param documentsOpenHere the documents this instance has open
   * @param published messages published to Redis
   * @param received messages received from Redis
   * @param dropped messages dropped (malformed, unknown sender)
   * @param resyncs state-vector resyncs started (repairs of missed messages)
   */
  public record Cluster(
      String instanceId,
      String redis,
      boolean redisConnected,
      String redisProblem,
      Instant redisDownSince,
      java.util.List<String> documentsOpenHere,
      long published,
      long received,
      long dropped,
      long resyncs) {
    public Cluster {
      documentsOpenHere = java.util.List.copyOf(documentsOpenHere);
    }
  }

  /**
   * The PostgreSQL store's reachability (null for other stores).
   *
   * @param reachable the last use of the database succeeded
   * @param problem what failed, or null
   * @param since since when it fails, or null
   * @param queued appends waiting, unacknowledged, for the database
   */
  public record Database(boolean reachable, String problem, Instant since, int queued) {}

  /** True when the store, its database and (in a cluster) Redis are all fine. */
  public boolean healthy() {
    return store.healthy()
        && (store.database() == null || store.database().reachable())
        && (cluster == null || cluster.redisConnected());
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
  public record Store(
      String kind,
      boolean healthy,
      Instant lastCommit,
      int queueDepth,
      long commits,
      long failures,
      Database database) {

    public Store(
        String kind,
        boolean healthy,
        Instant lastCommit,
        int queueDepth,
        long commits,
        long failures) {
      this(kind, healthy, lastCommit, queueDepth, commits, failures, null);
    }
  }

  private static void putNullable(ObjectNode o, String key, String value) {
    if (value == null) {
      o.putNull(key);
    } else {
      o.put(key, value);
    }
  }

  /** Total open connections. */
  public int connectionCount() {
    return connections.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The {@code GET /status} body: {@code status, name, version} (as the nodenogg.in server) and the
   * rest.
   */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", healthy() ? "ok" : "degraded");
    o.put("name", name);
    o.put("version", version);
    o.put("started_at", startedAt.toString());
    o.put("uptime_seconds", Math.round(uptimeSeconds * 1000) / 1000.0);
    ObjectNode c = o.putObject("connections");
    c.put("total", connectionCount());
    for (String p :
        new String[] {
          "hocuspocus", "y-websocket", "signalling", "tracker", "inspector", "automerge-repo"
        }) {
      if (!p.equals("tracker")
          || tracker != null) { // no tracker entries at all when it is not mounted
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
    if (store.database() != null) {
      ObjectNode db = s.putObject("postgresql");
      db.put("reachable", store.database().reachable());
      putNullable(db, "problem", store.database().problem());
      putNullable(
          db,
          "unreachable_since",
          store.database().since() == null ? null : store.database().since().toString());
      db.put("waiting_appends", store.database().queued());
    }
    if (cluster != null) {
      ObjectNode cl = o.putObject("cluster");
      cl.put("instance_id", cluster.instanceId());
      ObjectNode r = cl.putObject("redis");
      r.put("url", cluster.redis());
      r.put("connected", cluster.redisConnected());
      putNullable(r, "problem", cluster.redisProblem());
      putNullable(
          r,
          "down_since",
          cluster.redisDownSince() == null ? null : cluster.redisDownSince().toString());
      if (store.database() != null) {
        cl.put(
            "postgresql",
            store.database().reachable()
                ? "reachable"
                : "unreachable: " + store.database().problem());
      }
      com.fasterxml.jackson.databind.node.ArrayNode docs = cl.putArray("documents_open_here");
      cluster.documentsOpenHere().forEach(docs::add);
      ObjectNode m = cl.putObject("messages");
      m.put("published", cluster.published());
      m.put("received", cluster.received());
      m.put("dropped", cluster.dropped());
      cl.put("resyncs", cluster.resyncs());
    }
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
