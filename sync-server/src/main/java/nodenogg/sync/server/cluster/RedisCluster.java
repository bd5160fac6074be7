package nodenogg.sync.server.cluster;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import nodenogg.persistence.postgres.CompactionLock;
import nodenogg.sync.server.cluster.internal.Fanout;
import nodenogg.sync.server.cluster.internal.RedisLink;
import nodenogg.sync.server.cluster.internal.TrackerFanout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's membership in a cluster of sync servers sharing one Redis (and usually one
 * PostgreSQL store): documents, y-websocket rooms and signalling topics fan out to the other
 * instances, on the wire of {@code @hocuspocus/extension-redis} 4.7.0 so Node Hocuspocus instances
 * can join (see {@code docs/scale-out.md}). Give it to {@code SyncServer.Builder.cluster}; the
 * server closes it.
 *
 * <pre>{@code
 * RedisCluster cluster = RedisCluster.builder(URI.create("redis://127.0.0.1:6379")).instanceId("web-1").connect();
 * PostgresUpdateStore store = PostgresUpdateStore.open(url, SyncServer.defaultPostgresOptions("web-1")
 *     .withCompactionLock(cluster.compactionLock()));
 * SyncServer server = SyncServer.builder().store(store).cluster(cluster).build().start();
 * }</pre>
 *
 * Thread-safe.
 */
public final class RedisCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisCluster.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Redlock's release script (delete the key only if it still holds our value), as extension-redis
   * runs it.
   */
  private static final String RELEASE =
      "redis.pcall(\"SELECT\", tonumber(ARGV[1]))\n"
          + "local count = 0\nfor i, key in ipairs(KEYS) do\n  if redis.call(\"get\", key) == ARGV[2] then\n"
          + "    redis.pcall(\"del\", key)\n    count = count + 1\n  end\nend\nreturn count\n";

  private final Builder b;
  private final ScheduledExecutorService timer;
  private final ExecutorService blocking;
  private final RedisLink link;
  private final Fanout fanout;

  private RedisCluster(Builder b) throws IOException {
    this.b = b;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "redis-cluster-timer");
              t.setDaemon(true);
              return t;
            });
    this.blocking =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "redis-cluster-store-reads");
              t.setDaemon(true);
              return t;
            });
    this.fanout =
        new Fanout(
            b.instanceId,
            b.prefix,
            b.initialSyncTimeout.toMillis(),
            b.resyncInterval.toMillis(),
            timer,
            blocking,
            b.sharedStore);
    this.link = new RedisLink(b.redis, fanout, timer);
    try {
      link.start();
      fanout.start(link);
    } catch (IOException | RuntimeException e) {
      link.close();
      timer.shutdownNow();
      blocking.shutdownNow();
      throw new IOException(
          "cannot connect to Redis at "
              + link.display()
              + ": "
              + e.getMessage()
              + " (is redis-server running there?)",
          e);
    }
    LOG.info(
        "joined the cluster on {} as instance '{}' (channels {}:<document>, {}#reply:{})",
        link.display(),
        b.instanceId,
        b.prefix,
        b.prefix,
        b.instanceId);
  }

  /** A cluster on the Redis at {@code redis} ({@code redis://[:password@]HOST:PORT[/DB]}). */
  public static Builder builder(URI redis) {
    return new Builder(redis);
  }

  public String instanceId() {
    return b.instanceId;
  }

  /**
   * The lock {@code @hocuspocus/extension-redis} takes before a document is stored ({@code
   * <prefix>:<document>:lock}, {@code SET NX PX} with a random value, released by the Redlock
   * script), for the PostgreSQL store's compactions: only one instance — Java or Node — runs a
   * store/compaction step for a document at a time.
   */
  public CompactionLock compactionLock() {
    return document -> {
      String key = b.prefix + ":" + document + ":lock";
      String value = HexFormat.of().formatHex(random16());
      Object r;
      try {
        r =
            link.command("SET", key, value, "NX", "PX", b.lockTimeout.toMillis())
                .get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("Redis lock " + key + " unavailable: " + e.getMessage(), e);
      }
      if (!"OK".equals(r)) {
        return Optional.empty();
      }
      return Optional.of(() -> link.command("EVAL", RELEASE, 1, key, 0, value));
    };
  }

  private static byte[] random16() {
    byte[] v = new byte[16];
    RANDOM.nextBytes(v);
    return v;
  }

  /**
   * Fans the y-webrtc signalling topics of {@code handler} out to the other instances: channel
   * {@code <prefix>#signal:<topic>} (subscribed while the topic has a local subscriber), the
   * instance-id framing of the documents, then the JSON text as the client published it. Node
   * Hocuspocus instances have no signalling and ignore these channels. Called by the server.
   */
  public void fanOutSignalling(nodenogg.sync.server.signal.SignalingHandler handler) {
    String channelPrefix = b.prefix + "#signal:";
    handler.relay(
        new nodenogg.sync.server.signal.SignalingHandler.Relay() {
          @Override
          public void subscribed(String topic) {
            link.subscribe(channelPrefix + topic);
          }

          @Override
          public void unsubscribed(String topic) {
            link.unsubscribe(channelPrefix + topic);
          }

          @Override
          public void published(String topic, String text) {
            link.publish(
                channelPrefix + topic,
                fanout.frame(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          }
        });
    fanout.extraChannels(
        channelPrefix,
        (channel, payload) -> {
          int n = payload[0] & 0xff;
          String text =
              new String(
                  payload, 1 + n, payload.length - 1 - n, java.nio.charset.StandardCharsets.UTF_8);
          if (!handler.deliverRemote(channel.substring(channelPrefix.length()), text)) {
            fanout.drop(channel, "a signalling message that is not a JSON object");
          }
        });
  }

  /**
   * Makes the swarms of the WebTorrent tracker {@code handler} span the instances (see {@link
   * TrackerFanout}): channels {@code <prefix>#tracker:<info hash in hex>} (membership, subscribed
   * while the swarm has a local peer) and {@code <prefix>#tracker-to:<instance id>} (offers and
   * answers forwarded to this instance's peers). Node Hocuspocus instances have no tracker and
   * never subscribe these. Called by the server.
   */
  public void fanOutTracker(nodenogg.sync.server.tracker.TrackerHandler handler) {
    TrackerFanout t = new TrackerFanout(fanout, link, timer, b.prefix, handler);
    try {
      t.start();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The fan-out itself (the server wires it into its documents). Internal. */
  public Fanout fanout() {
    return fanout;
  }

  /** Internal: the Redis link (signalling subscribes its topics through it). */
  public RedisLink link() {
    return link;
  }

  /** A snapshot for {@code GET /status}. */
  public Status status() {
    return new Status(
        b.instanceId,
        link.display(),
        link.connected(),
        link.problem(),
        link.connected() ? 0 : link.downSince(),
        link.reconnects(),
        fanout.openDocuments(),
        fanout.published(),
        fanout.received(),
        fanout.dropped(),
        fanout.resyncs());
  }

  /**
   * The cluster as this instance sees it.
   *
   * @param instanceId this instance's id
   * @param redis the Redis URL (no password)
   * @param redisConnected both Redis connections are up
   * @param redisProblem what failed, or null
   * @param redisDownSince epoch millis since Redis is unreachable, 0 when connected
   * @param reconnects times the link came back
   * @param documentsOpenHere documents this instance has open (subscribed)
   * @param published messages published
   * @param received messages received
   * @param dropped messages dropped (malformed, unknown sender, unexpected type)
   * @param resyncs state-vector resyncs started (after reconnects and on the timer)
   */
  public record Status(
      String instanceId,
      String redis,
      boolean redisConnected,
      String redisProblem,
      long redisDownSince,
      long reconnects,
      List<String> documentsOpenHere,
      long published,
      long received,
      long dropped,
      long resyncs) {}

  @Override
  public void close() {
    link.close();
    timer.shutdownNow();
    blocking.shutdownNow();
  }

  /** Settings; every one has the extension's default. */
  public static final class Builder {
    private final URI redis;
    private String instanceId = "host-" + UUID.randomUUID();
    private String prefix = "hocuspocus";
    private Duration initialSyncTimeout = Duration.ofSeconds(1);
    private Duration resyncInterval = Duration.ofSeconds(10);
    private Duration lockTimeout = Duration.ofSeconds(30);
    private boolean sharedStore = true;

    private Builder(URI redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
    }

    /**
     * This instance's id (1-255 bytes of UTF-8, unique in the cluster); default {@code host-<uuid>}
     * as the extension.
     */
    public Builder instanceId(String id) {
      if (id == null
          || id.isEmpty()
          || id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
        throw new IllegalArgumentException(
            "an instance id is 1 to 255 bytes of UTF-8, got '" + id + "'");
      }
      this.instanceId = id;
      return this;
    }

    /** Channel and key prefix (extension-redis {@code prefix}); default {@code hocuspocus}. */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix);
      return this;
    }

    /**
     * How long a load waits for another instance's state (extension {@code
     * awaitInitialSyncTimeout}); 1 s.
     */
    public Builder initialSyncTimeout(Duration d) {
      this.initialSyncTimeout = Objects.requireNonNull(d);
      return this;
    }

    /**
     * Every this often, documents that changed publish a SyncStep1 (repairs missed messages); 10 s,
     * 0 = off.
     */
    public Builder resyncInterval(Duration d) {
      this.resyncInterval = Objects.requireNonNull(d);
      return this;
    }

    /** Expiry of the compaction lock in Redis; 30 s. */
    public Builder lockTimeout(Duration d) {
      this.lockTimeout = Objects.requireNonNull(d);
      return this;
    }

    /**
     * Whether the instances write one shared store (default true): a client update that changes
     * nothing here is then made durable before it is acknowledged (it may repeat changes another
     * instance received and never stored). Turn off when each instance keeps its own store.
     */
    public Builder sharedStore(boolean shared) {
      this.sharedStore = shared;
      return this;
    }

    /** Connects to Redis and subscribes this instance's reply channel. */
    public RedisCluster connect() throws IOException {
      return new RedisCluster(this);
    }
  }
}
