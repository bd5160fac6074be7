package nodenogg.sync.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.postgres.PostgresStoreOptions;
import nodenogg.persistence.postgres.PostgresUpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.persistence.sqlite.StoreOptions;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.protocol.SyncDocument;
import nodenogg.sync.server.cluster.RedisCluster;
import nodenogg.sync.server.earthstar.EarthstarSocketHandler;
import nodenogg.sync.server.internal.ConnectionThrottle;
import nodenogg.sync.server.internal.DocumentRegistry;
import nodenogg.sync.server.internal.HocuspocusHandler;
import nodenogg.sync.server.internal.Inspector;
import nodenogg.sync.server.internal.MeteredHandler;
import nodenogg.sync.server.internal.MeteredStore;
import nodenogg.sync.server.internal.ObservingHooks;
import nodenogg.sync.server.internal.ServerContext;
import nodenogg.sync.server.internal.ServerDocument;
import nodenogg.sync.server.internal.Telemetry;
import nodenogg.sync.server.internal.TimedDocument;
import nodenogg.sync.server.internal.YWebsocketHandler;
import nodenogg.sync.server.signal.SignalingHandler;
import nodenogg.sync.server.tracker.TrackerHandler;
import nodenogg.sync.server.tracker.TrackerLimits;
import nodenogg.sync.server.websocket.HttpHandler;
import nodenogg.sync.server.websocket.MemoryBudget;
import nodenogg.sync.server.websocket.OriginPolicy;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yjs sync server on one port: the Hocuspocus protocol on {@code /sync} (what the nodenogg.in web
 * app speaks), the y-webrtc signalling relay on {@code /signal}, optionally Earthstar sync on
 * {@code /earthstar/} ({@link Builder#earthstar}), a WebTorrent tracker on {@code /announce}
 * (trystero's torrent strategy; docs/torrent.md), {@code GET /status} and {@code GET /metrics}
 * (Prometheus), and the y-websocket protocol on every other path ({@code /<room>}). Updates are
 * broadcast to a document's connections as soon as they are applied and acknowledged to their
 * sender only once the {@link UpdateStore} holds them durably (the store's {@code append} future
 * completed).
 *
 * <p>Operators: connections (opened, authenticated, closed), documents (loaded, unloaded) are
 * logged at INFO on {@value Telemetry#ACTIVITY_LOGGER}; refusals (origin, token, throttle, bad
 * input, limits) at WARN on {@value Telemetry#REFUSAL_LOGGER}, rate-limited, with the remote
 * address and document and never the token. With {@link Builder#adminToken} set, {@code /metrics},
 * the details of {@code /status} and the live inspector ({@code /inspect}) need the admin token
 * ({@code Authorization: Bearer <admin token>}; the inspector page asks for it).
 *
 * <pre>{@code
 * try (SyncServer server = SyncServer.builder().port(8787).store(new InMemoryUpdateStore()).build().start()) {
 *   System.out.println("listening on " + server.port());
 *   Thread.currentThread().join();
 * }
 * }</pre>
 *
 * Thread-safe. {@link #close()} shuts down gracefully: stops accepting, lets every update already
 * received become durable (and be acknowledged), closes the connections with 1001, flushes and
 * closes the store.
 */
public final class SyncServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SyncServer.class);

  /** Name reported by {@code GET /status}. */
  public static final String NAME = "nodenogg-sync";

  /** Version reported by {@code GET /status}. */
  public static final String VERSION = "0.1.0";

  private final Builder b;
  private final ExecutorService pool;
  private final ExecutorService heavy;
  private final ScheduledExecutorService timers;
  private final DocumentRegistry registry;
  private final HocuspocusHandler hocuspocus;
  private final YWebsocketHandler ywebsocket;
  private final MemoryBudget budget;
  private volatile Executor eventLoops; // posts to the WebSocket event loops once started
  private final Telemetry telemetry = new Telemetry(System::currentTimeMillis);
  private final MeteredStore store;
  private final SyncServerHooks hooks;
  private final ConnectionThrottle throttle;
  private final Inspector inspector;
  private SocketHandler signal;
  private final TrackerHandler tracker;
  private SocketHandler automerge;
  private volatile WebServer web;
  private volatile boolean closed;

  private SyncServer(Builder b) {
    this.b = b;
    this.pool = Executors.newFixedThreadPool(b.workerThreads, daemon("sync-worker"));
    // large messages and large documents are handled here, never on the WebSocket event loops
    this.heavy =
        Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), daemon("sync-heavy"));
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("sync-timer"));
    this.budget = new MemoryBudget(b.memoryBudget);
    this.store = new MeteredStore(b.store, telemetry);
    this.hooks = new ObservingHooks(b.hooks, telemetry);
    Supplier<SyncDocument> factory = b.documentFactory;
    // document work that starts off the event loops (store completions, timers) is posted to a loop
    Executor offLoop =
        task -> {
          Executor loops = eventLoops;
          (loops != null ? loops : pool).execute(task);
        };
    this.registry =
        new DocumentRegistry(
            pool,
            offLoop,
            heavy,
            timers,
            store,
            hooks,
            () -> new TimedDocument(factory.get(), telemetry));
    registry.onOutOfMemory(this::outOfMemory);
    if (b.cluster != null) {
      registry.cluster(b.cluster.fanout());
    }
    // unauthenticated clients together may hold at most a quarter of the budget
    ServerContext ctx =
        new ServerContext(
            registry,
            hooks,
            pool,
            b.preAuthMaxBytes,
            b.preAuthMaxMessages,
            b.maxPendingDocuments,
            b.authDeadline.toMillis(),
            b.idleTimeout.toMillis(),
            b.implicitAuth,
            budget.child(Math.max(b.preAuthMaxBytes, b.memoryBudget / 4)),
            budget);
    this.hocuspocus = new HocuspocusHandler(ctx);
    this.ywebsocket = new YWebsocketHandler(ctx);
    this.tracker = b.trackerLimits == null ? null : new TrackerHandler(b.trackerLimits);
    this.throttle =
        b.throttleLimit <= 0
            ? null
            : new ConnectionThrottle(
                b.throttleLimit,
                b.throttleBanMinutes,
                this::isDocumentPath,
                System::currentTimeMillis);
    this.inspector =
        b.inspector
            ? new Inspector(registry, b.store, telemetry, pool, timers, b.adminToken, this::isAdmin)
            : null;
  }

  /**
   * Paths whose upgrades are document connections (Hocuspocus and y-websocket), as routed in {@link
   * #start()}.
   */
  boolean isDocumentPath(String p) {
    return !p.equals("/signal")
        && !p.equals("/status")
        && !p.equals("/metrics")
        && !p.equals("/inspect")
        && !(b.earthstar != null && b.earthstar.matches(p))
        && !p.startsWith("/inspect/")
        && !(tracker != null && p.equals("/announce"))
        && !p.equals(AUTOMERGE_PATH);
  }

  /**
   * Where the automerge-repo service is mounted (when the optional automerge-microcosm module is
   * present).
   */
  public static final String AUTOMERGE_PATH = "/automerge";

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port and starts serving. */
  public synchronized SyncServer start() throws IOException {
    WebServer.Builder wb =
        WebServer.builder()
            .bind(b.host, b.port)
            .http("/status", page(this::statusPage))
            .http("/metrics", page(this::metricsPage))
            .socket(
                p -> p.equals("/sync"),
                new MeteredHandler(hocuspocus, telemetry, Telemetry.Protocol.HOCUSPOCUS));
    if (inspector != null) {
      wb.http(p -> p.equals("/inspect") || p.equals("/inspect/"), inspector.page())
          .http(
              "/favicon.ico",
              (method, path, headers) -> new HttpHandler.Response(204, "image/x-icon", new byte[0]))
          .http(p -> p.startsWith("/inspect/api/"), page(inspector::api))
          .socket(
              p -> p.equals("/inspect/live"),
              new MeteredHandler(inspector.live(), telemetry, Telemetry.Protocol.INSPECTOR));
    }
    signal = b.signalHandler != null ? b.signalHandler : defaultSignalHandler();
    if (b.cluster != null && signal instanceof SignalingHandler) {
      b.cluster.fanOutSignalling((SignalingHandler) signal);
    }
    if (signal != null) {
      if (signal instanceof HttpHandler) {
        wb.http("/signal", (HttpHandler) signal); // its status page, as when mounted unwrapped
      }
      wb.socket(
          p -> p.equals("/signal"),
          new MeteredHandler(signal, telemetry, Telemetry.Protocol.SIGNALLING));
    }
    if (tracker != null && b.cluster != null) {
      b.cluster.fanOutTracker(tracker); // swarms span the instances
    }
    EarthstarSocketHandler es = b.earthstar;
    if (es != null) {
      wb.socket(es::matches, es);
    }
    if (tracker != null) {
      wb.socket(
          p -> p.equals("/announce"),
          new MeteredHandler(tracker, telemetry, Telemetry.Protocol.TRACKER));
    }
    automerge =
        b.automergeHandler != null
            ? b.automergeHandler
            : b.automerge ? defaultAutomergeHandler() : null;
    if (automerge != null) {
      wb.socket(
          p -> p.equals(AUTOMERGE_PATH),
          new MeteredHandler(automerge, telemetry, Telemetry.Protocol.AUTOMERGE));
    }
    wb.socket(
            p -> !p.equals("/sync") && isDocumentPath(p),
            new MeteredHandler(ywebsocket, telemetry, Telemetry.Protocol.Y_WEBSOCKET))
        .allowedOrigins(b.allowedOrigins)
        .maxMessageBytes(b.maxMessageBytes)
        .maxBufferedBytes(b.maxBufferedBytes)
        .memoryBudget(budget)
        .onFatalError(b.onFatal)
        .onRefused(
            (reason, method, path, remote, origin) ->
                telemetry.refused(
                    reason,
                    remote,
                    path.equals("/sync") || !isDocumentPath(path) ? null : path.substring(1),
                    refusalText(reason, method, path, origin)));
    if (b.eventLoops > 0) {
      wb.workerThreads(b.eventLoops);
    }
    if (b.corsOrigins != null) {
      wb.corsOrigins(b.corsOrigins);
    }
    if (throttle != null) {
      wb.upgradeGate(throttle);
    }
    web = wb.build().start();
    eventLoops = web.eventLoops(pool);
    timers.scheduleWithFixedDelay(guarded(this::tick), 1, 1, TimeUnit.SECONDS);
    timers.scheduleWithFixedDelay(
        guarded(this::expireAwareness),
        Awareness.CHECK_INTERVAL_MILLIS,
        Awareness.CHECK_INTERVAL_MILLIS,
        TimeUnit.MILLISECONDS);
    if (throttle != null) {
      timers.scheduleWithFixedDelay(guarded(throttle::cleanup), 90, 90, TimeUnit.SECONDS);
    }
    if (inspector != null) {
      timers.scheduleWithFixedDelay(guarded(inspector::refreshLists), 2, 2, TimeUnit.SECONDS);
    }
    LOG.info("sync server listening on {}:{}", b.host, web.port());
    return this;
  }

  private static String refusalText(String reason, String method, String path, String origin) {
    switch (reason) {
      case "origin":
        return "origin " + origin + " is not allowed (" + method + " " + path + ")";
      case "server_full":
        return "connection cap reached (" + method + " " + path + ")";
      case "throttled":
        return "too many connections from this address (" + path + ")";
      default:
        return reason + " (" + method + " " + path + ")";
    }
  }

  /** Whether the request carries the admin token (always true when none is configured). */
  boolean isAdmin(Map<String, String> headers) {
    if (b.adminToken == null) {
      return true;
    }
    String auth = headers.get("authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(
        auth.substring(7).trim().getBytes(StandardCharsets.UTF_8),
        b.adminToken.getBytes(StandardCharsets.UTF_8));
  }

  /** An HTTP handler that sees the whole request. */
  private static HttpHandler page(
      java.util.function.Function<HttpHandler.Request, HttpHandler.Response> f) {
    return new HttpHandler() {
      @Override
      public Response handle(String method, String path, Map<String, String> headers) {
        return f.apply(new Request(method, path, "", headers, "unknown"));
      }

      @Override
      public Response handle(Request request) {
        return f.apply(request);
      }
    };
  }

  private HttpHandler.Response unauthorized(String what, HttpHandler.Request request) {
    telemetry.refused(
        "admin_token", request.remoteAddress(), null, what + " without the admin token");
    return HttpHandler.Response.json(
            401,
            "{\"error\":\"unauthorized\",\"message\":\""
                + what
                + " needs the admin token: send 'Authorization: Bearer <admin token>'\"}")
        .withHeader("WWW-Authenticate", "Bearer realm=\"" + NAME + "\"");
  }

  private HttpHandler.Response statusPage(HttpHandler.Request request) {
    if (!isAdmin(request.headers())) {
      // the liveness answer of the nodenogg.in server stays public (health checks); the details do
      // not
      return HttpHandler.Response.json(
          200, "{\"status\":\"ok\",\"name\":\"" + NAME + "\",\"version\":\"" + VERSION + "\"}");
    }
    String json = status().toJson();
    if (b.earthstar != null) {
      try {
        json =
            json.substring(0, json.lastIndexOf('}'))
                + ",\"earthstar\":"
                + STATUS_JSON.writeValueAsString(b.earthstar.status())
                + "}";
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        LOG.warn("the earthstar status could not be written: {}", e.getMessage());
      }
    }
    return HttpHandler.Response.json(200, json);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper STATUS_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private HttpHandler.Response metricsPage(HttpHandler.Request request) {
    if (!isAdmin(request.headers())) {
      return unauthorized("GET /metrics", request);
    }
    return new HttpHandler.Response(
        200, Telemetry.prometheusContentType(), metrics().getBytes(StandardCharsets.UTF_8));
  }

  /** A snapshot of what {@code GET /status} reports. */
  public ServerStatus status() {
    Map<String, Integer> connections = new LinkedHashMap<>();
    for (Telemetry.Protocol p : Telemetry.Protocol.values()) {
      connections.put(p.label, telemetry.openConnections(p));
    }
    long last = telemetry.lastCommitMillis();
    ServerStatus.Database db = null;
    if (b.store instanceof PostgresUpdateStore) {
      PostgresUpdateStore.Health h = ((PostgresUpdateStore) b.store).health();
      db =
          new ServerStatus.Database(
              h.ok(),
              h.problem(),
              h.ok() ? null : Instant.ofEpochMilli(h.sinceMillis()),
              h.queued());
    }
    ServerStatus.Store st =
        new ServerStatus.Store(
            storeKind(),
            telemetry.storeHealthy(),
            last == 0 ? null : Instant.ofEpochMilli(last),
            telemetry.storeQueueDepth(),
            telemetry.storeCommits(),
            telemetry.storeFailures(),
            db);
    ServerStatus.Cluster cl = null;
    if (b.cluster != null) {
      RedisCluster.Status c = b.cluster.status();
      cl =
          new ServerStatus.Cluster(
              c.instanceId(),
              c.redis(),
              c.redisConnected(),
              c.redisProblem(),
              c.redisConnected() ? null : Instant.ofEpochMilli(c.redisDownSince()),
              c.documentsOpenHere(),
              c.published(),
              c.received(),
              c.dropped(),
              c.resyncs());
    }
    return new ServerStatus(
        NAME,
        VERSION,
        Instant.ofEpochMilli(telemetry.startedMillis()),
        telemetry.uptimeSeconds(),
        connections,
        registry.loaded().size(),
        st,
        signallingRooms(),
        tracker == null ? null : tracker.stats(),
        cl);
  }

  /** The {@code GET /metrics} body (Prometheus text format 0.0.4). */
  public String metrics() {
    return telemetry.prometheus(registry.loaded().size(), signallingRooms());
  }

  private int signallingRooms() {
    return signal instanceof SignalingHandler ? ((SignalingHandler) signal).topicCount() : -1;
  }

  private String storeKind() {
    UpdateStore s = b.store;
    if (s instanceof SqliteUpdateStore) {
      return "sqlite";
    }
    if (s instanceof InMemoryUpdateStore) {
      return "memory";
    }
    if (s instanceof PostgresUpdateStore) {
      return "postgresql";
    }
    return s.getClass().getSimpleName();
  }

  /** Counters and logs (for the inspector and tests in this module). */
  Telemetry telemetry() {
    return telemetry;
  }

  private static SocketHandler defaultSignalHandler() {
    try {
      return (SocketHandler)
          Class.forName("nodenogg.sync.server.signal.SignalingHandler")
              .getConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /**
   * The automerge-repo service (package {@code nodenogg.sync.server.automerge}) if the optional
   * automerge-microcosm module and its native library are present; looked up by name so that the
   * server runs without them.
   */
  private SocketHandler defaultAutomergeHandler() {
    try {
      Class<?> c = Class.forName("nodenogg.sync.server.automerge.AutomergeRepoHandler");
      Object store = c.getMethod("storeFor", UpdateStore.class).invoke(null, b.store);
      Class<?> opts = Class.forName("nodenogg.sync.server.automerge.AutomergeRepoHandler$Options");
      Object o = opts.getMethod("defaults").invoke(null);
      if (b.automergeStorageId != null) {
        o = opts.getMethod("withStorageId", String.class).invoke(o, b.automergeStorageId);
      }
      return (SocketHandler)
          c.getConstructor(
                  UpdateStore.class,
                  SyncServerHooks.class,
                  ExecutorService.class,
                  ScheduledExecutorService.class,
                  opts)
              .newInstance(store, hooks, pool, timers, o);
    } catch (java.lang.reflect.InvocationTargetException e) {
      LOG.warn(
          "automerge-repo service not started on {}: {}",
          AUTOMERGE_PATH,
          e.getCause().getMessage());
      return null;
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.debug(
          "automerge-repo service not available (automerge-microcosm not on the class path): {}",
          e.toString());
      return null;
    }
  }

  /** The automerge-repo handler on {@link #AUTOMERGE_PATH}, if mounted (for status and tests). */
  public SocketHandler automergeHandler() {
    return automerge;
  }

  /**
   * A timer task that survives whatever it throws (a periodic task that throws is never run again).
   */
  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (OutOfMemoryError e) {
        outOfMemory(e);
      } catch (Throwable t) {
        LOG.error("periodic server task failed", t);
      }
    };
  }

  /**
   * Reports an OutOfMemoryError from any thread of the process (e.g. from a default
   * uncaught-exception handler): the server sheds connections, and stops and calls {@code
   * onFatalError} if another comes within 10 s. Thread-safe.
   */
  public void outOfMemory(OutOfMemoryError e) {
    WebServer w = web;
    if (w != null) {
      w.outOfMemory(e);
    }
  }

  /**
   * Bytes held on behalf of clients now (heads, frames, backlogs, pre-auth queues), of the budget.
   */
  public long memoryHeld() {
    return budget.used();
  }

  private void tick() {
    long now = System.currentTimeMillis();
    hocuspocus.sweep(now);
    ywebsocket.sweep(now);
    if (tracker != null) {
      tracker.sweep();
    }
  }

  private void expireAwareness() {
    for (ServerDocument d : registry.loadedDocuments()) {
      d.executor().execute(d::checkAwareness);
    }
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return web.port();
  }

  /** Open WebSocket connections, all paths. */
  public int connectionCount() {
    return web.connectionCount();
  }

  /** The WebTorrent tracker on {@code /announce}, for its counters; null when turned off. */
  public TrackerHandler tracker() {
    return tracker;
  }

  /** Names of the documents currently in memory. */
  public List<String> loadedDocuments() {
    return registry.loaded();
  }

  /**
   * Graceful shutdown: (1) stops accepting connections; (2) waits until every update received so
   * far is durable, so its sender still gets the acknowledgement; (3) tells Hocuspocus clients the
   * server is going away and closes every connection with 1001; (4) waits for writes that arrived
   * meanwhile, flushes and closes the store. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    int open = web == null ? 0 : web.connectionCount();
    LOG.info(
        "sync server shutting down: no new connections; flushing the store, then closing {} connection{}"
            + " with 1001",
        open,
        open == 1 ? "" : "s");
    if (web != null) {
      web.stopAccepting();
    }
    awaitWrites();
    hocuspocus.shutdown();
    ywebsocket.shutdown();
    if (automerge instanceof AutoCloseable a) {
      try {
        a.close(); // its changes received so far become durable before the store closes
      } catch (Exception e) {
        LOG.warn("closing the automerge-repo service failed", e);
      }
    }
    if (web != null) {
      web.close();
    }
    timers.shutdownNow();
    // every write accepted so far completes (or fails) before the store closes
    awaitWrites();
    heavy.shutdown();
    pool.shutdown();
    try {
      heavy.awaitTermination(5, TimeUnit.SECONDS);
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (b.closeStore) {
      b.store.close();
    }
    if (b.cluster != null) {
      b.cluster.close();
    }
    LOG.info(
        "sync server stopped: store flushed ({} durable updates since start, {} failed)",
        telemetry.storeCommits(),
        telemetry.storeFailures());
  }

  private void awaitWrites() {
    for (ServerDocument d : new ArrayList<>(registry.loadedDocuments())) {
      try {
        d.lastWrite().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("a write of '{}' did not complete before shutdown", d.name());
      }
    }
    try {
      b.store.flush().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("flushing the store at shutdown failed", e);
    }
  }

  /**
   * The SQLite store options the server uses by default ({@link Builder#dataDirectory}, {@code
   * ./microcosm serve}): {@link StoreOptions#defaults()} (FULL durability) with a 2 ms group-commit
   * window, so a steady stream of small updates shares commits (measured at 1,960 updates/s: the
   * store writer's CPU falls from 18 % to 12 % of a core; acknowledgements wait at most 2 ms
   * longer; broadcasts do not wait for the store).
   */
  public static StoreOptions defaultStoreOptions() {
    return StoreOptions.defaults().withCommitWindow(Duration.ofMillis(2));
  }

  /**
   * The PostgreSQL store options {@code ./microcosm serve --postgres} uses: {@link
   * PostgresStoreOptions#defaults()} (appends wait up to 60 s, unacknowledged, while the database
   * is unreachable) with a 2 ms group-commit window, each row marked with the instance that
   * received it.
   */
  public static PostgresStoreOptions defaultPostgresOptions(String instanceId) {
    return PostgresStoreOptions.defaults()
        .withCommitWindow(Duration.ofMillis(2))
        .withInstanceId(instanceId);
  }

  /** Configuration; every setting has a safe default. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8787;
    private UpdateStore store;
    private boolean closeStore = true;
    private SyncServerHooks hooks = SyncServerHooks.NONE;
    private Supplier<SyncDocument> documentFactory;
    private List<String> allowedOrigins = List.of();
    private int maxMessageBytes = 16 * 1024 * 1024;
    private long maxBufferedBytes = -1; // default: maxMessageBytes
    private long memoryBudget = -1; // default: MemoryBudget.defaultLimit
    private java.util.function.Consumer<Throwable> onFatal =
        e -> LOG.error("the sync server failed and stopped serving; restart it", e);
    private long preAuthMaxBytes = 5L * 1024 * 1024;
    private int preAuthMaxMessages = 1000;
    private int maxPendingDocuments = 100;
    private Duration authDeadline = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int workerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int eventLoops; // 0: the WebServer default (one per two cores)
    private SocketHandler signalHandler;
    private TrackerLimits trackerLimits = TrackerLimits.DEFAULT;
    private boolean automerge = true;
    private SocketHandler automergeHandler;
    private String automergeStorageId;
    private boolean implicitAuth;
    private EarthstarSocketHandler earthstar;
    private List<String> corsOrigins;
    private int throttleLimit;
    private long throttleBanMinutes = 5;
    private String adminToken;
    private boolean inspector = true;
    private RedisCluster cluster;

    /** Interface to bind; default 127.0.0.1 (use 0.0.0.0 to serve the network). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** Port; default 8787; 0 picks a free port (see {@link SyncServer#port()}). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Where updates are kept; the server closes it on {@link SyncServer#close()}. Default: in
     * memory (checked as Yjs updates for the default engine documents; kept unchecked, {@link
     * UpdateFormat#opaque()}, with a custom {@link #documentFactory}).
     */
    public Builder store(UpdateStore store) {
      this.store = Objects.requireNonNull(store);
      return this;
    }

    /** Whether {@link SyncServer#close()} closes the store too (default true). */
    public Builder closeStoreOnShutdown(boolean close) {
      this.closeStore = close;
      return this;
    }

    public Builder hooks(SyncServerHooks hooks) {
      this.hooks = Objects.requireNonNull(hooks);
      return this;
    }

    /**
     * Keeps documents in SQLite under {@code dataDir/microcosm.db} (created if needed), with {@link
     * #defaultStoreOptions()}.
     */
    public Builder dataDirectory(Path dataDir) {
      return store(SqliteUpdateStore.openDirectory(dataDir, defaultStoreOptions()));
    }

    /**
     * Creates an empty document for each loaded document name (default: an engine {@code Doc}, gc
     * on).
     */
    public Builder documentFactory(Supplier<SyncDocument> factory) {
      this.documentFactory = Objects.requireNonNull(factory);
      return this;
    }

    /**
     * Browser origins allowed to connect ({@code scheme://host[:port]}); empty (default) allows
     * all. Requests without Origin are always allowed.
     *
     * @throws IllegalArgumentException when an entry is not an origin (blank, no scheme, a path, a
     *     wildcard): the message says what to write instead
     */
    public Builder allowedOrigins(List<String> origins) {
      new OriginPolicy(origins); // fails now, not at start()
      this.allowedOrigins = List.copyOf(origins);
      return this;
    }

    /** Largest accepted message (default 16 MiB); bigger ones close the socket with 1009. */
    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * Outgoing backlog per connection, behind the message being written, before the connection is
     * cut as a slow consumer (1013; the client resyncs). At least {@link #maxMessageBytes}, so a
     * largest message can always wait behind another; default maxMessageBytes (16 MiB).
     */
    public Builder maxBufferedBytes(long bytes) {
      this.maxBufferedBytes = bytes;
      return this;
    }

    /**
     * Server-wide budget for memory held on behalf of clients: request heads, incoming messages,
     * outgoing backlogs and messages queued before authentication (those at most a quarter of it).
     * Charged before allocation; a connection whose need does not fit is closed with 1013. Default
     * min(256 MiB, heap / 4), at least maxMessageBytes.
     */
    public Builder memoryBudget(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("memoryBudget must be positive, got " + bytes);
      }
      this.memoryBudget = bytes;
      return this;
    }

    /**
     * Called when the server cannot go on (an OutOfMemoryError again within 10 s of shedding
     * connections for the previous one, or a broken event loop); the server has stopped serving.
     * Default: log it. {@code ./microcosm serve} exits non-zero so its supervisor restarts it.
     */
    public Builder onFatalError(java.util.function.Consumer<Throwable> handler) {
      this.onFatal = Objects.requireNonNull(handler);
      return this;
    }

    /**
     * Bytes and messages a connection may send before its document is authenticated (default 5 MiB
     * / 1000).
     */
    public Builder preAuthLimits(long bytes, int messages, int pendingDocuments) {
      this.preAuthMaxBytes = bytes;
      this.preAuthMaxMessages = messages;
      this.maxPendingDocuments = pendingDocuments;
      return this;
    }

    /** A connection with no authenticated document after this long is closed (default 10 s). */
    public Builder authDeadline(Duration d) {
      this.authDeadline = Objects.requireNonNull(d);
      return this;
    }

    /** A connection that sends nothing for this long is closed (default 60 s). */
    public Builder idleTimeout(Duration d) {
      this.idleTimeout = Objects.requireNonNull(d);
      return this;
    }

    public Builder workerThreads(int n) {
      this.workerThreads = Math.max(1, n);
      return this;
    }

    /**
     * WebSocket event-loop threads (they read, decode and do light document work; heavy work runs
     * on worker threads). Default: one per two cores, at least one.
     */
    public Builder eventLoops(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("eventLoops must be positive, got " + n);
      }
      this.eventLoops = n;
      return this;
    }

    /**
     * Whether a Hocuspocus document whose first message is not Auth is authenticated at once with
     * token "" (default false). Hocuspocus 2.x servers without an auth hook accept providers
     * configured without a token, which send no Auth; turn this on to accept them too (./microcosm
     * serve does when no --token is given).
     */
    public Builder implicitAuthentication(boolean on) {
      this.implicitAuth = on;
      return this;
    }

    /**
     * CORS for plain HTTP responses, with the meaning of the nodenogg.in server's {@code
     * ALLOWED_DOMAINS}: only these origins (compared exactly) get {@code
     * Access-Control-Allow-Origin}, with credentials. Adds headers, refuses nothing; the refusing
     * list is {@link #allowedOrigins}. Default: unset (an allowed Origin is echoed).
     */
    public Builder corsOrigins(List<String> origins) {
      this.corsOrigins = List.copyOf(origins);
      return this;
    }

    /**
     * Per-address connection throttle with the meaning of the nodenogg.in server's {@code
     * THROTTLE_CONNECTIONS} / {@code THROTTLE_BAN_TIME} (Hocuspocus' throttle extension): an
     * address opening more than {@code connectionsPerMinute} document connections within 60 s is
     * refused (HTTP 429) for {@code banMinutes} minutes. 0 connections turns it off (the default).
     */
    public Builder throttle(int connectionsPerMinute, long banMinutes) {
      if (connectionsPerMinute < 0 || banMinutes < 0) {
        throw new IllegalArgumentException(
            "throttle values must be 0 or more, got "
                + connectionsPerMinute
                + " connections per minute, "
                + banMinutes
                + " minutes");
      }
      this.throttleLimit = connectionsPerMinute;
      this.throttleBanMinutes = banMinutes;
      return this;
    }

    /**
     * Token that {@code GET /metrics} and the details of {@code GET /status} require ({@code
     * Authorization: Bearer <token>}); null or empty (default): open.
     */
    public Builder adminToken(String token) {
      this.adminToken = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /**
     * Whether {@code /inspect} (the live inspector page, its socket and export downloads) is served
     * (default true). It shows every document's contents: with document tokens in use, set an
     * {@link #adminToken} or turn it off.
     */
    public Builder inspector(boolean on) {
      this.inspector = on;
      return this;
    }

    /**
     * Whether to serve automerge-repo on {@code /automerge} (default true; effective only when the
     * optional automerge-microcosm module and its native library are present). Documents go to the
     * same store: the SQLite file as a second format, else a separate in-memory store.
     */
    public Builder automerge(boolean on) {
      this.automerge = on;
      return this;
    }

    /**
     * The storage id the automerge-repo service announces (keep it across restarts on the same
     * data).
     */
    public Builder automergeStorageId(String id) {
      this.automergeStorageId = id;
      return this;
    }

    /** A handler for {@code /automerge} instead of the default automerge-repo service. */
    public Builder automergeHandler(SocketHandler handler) {
      this.automergeHandler = handler;
      return this;
    }

    /**
     * Makes this server one instance of a cluster: documents, y-websocket rooms and signalling
     * topics fan out to the other instances on the cluster's Redis (see {@code docs/scale-out.md}).
     * The server closes it.
     */
    public Builder cluster(RedisCluster cluster) {
      this.cluster = Objects.requireNonNull(cluster);
      return this;
    }

    /** Handler for {@code /signal}; default: the y-webrtc signalling relay. */
    public Builder signalHandler(SocketHandler handler) {
      this.signalHandler = handler;
      return this;
    }

    /**
     * Limits of the WebTorrent tracker on {@code /announce} (default {@link
     * TrackerLimits#DEFAULT}); null turns the tracker off ({@code /announce} is then a y-websocket
     * room like any other path).
     */
    public Builder tracker(TrackerLimits limits) {
      this.trackerLimits = limits;
      return this;
    }

    /**
     * Serves Earthstar sync for {@code peer}'s shares at {@code /earthstar/} (and counts it in
     * {@code GET /status}); the caller owns and closes the peer.
     */
    public Builder earthstar(nodenogg.earthstar.EarthstarPeer peer) {
      this.earthstar = new EarthstarSocketHandler(peer, "/earthstar");
      return this;
    }

    public SyncServer build() {
      if (maxBufferedBytes < 0) {
        maxBufferedBytes = maxMessageBytes;
      } else if (maxBufferedBytes < maxMessageBytes) {
        throw new IllegalArgumentException(
            "maxBufferedBytes ("
                + maxBufferedBytes
                + ") must be at least"
                + " maxMessageBytes ("
                + maxMessageBytes
                + "), or a large message could not wait behind another");
      }
      if (memoryBudget < 0) {
        memoryBudget = MemoryBudget.defaultLimit(maxMessageBytes);
      } else if (memoryBudget < maxMessageBytes) {
        throw new IllegalArgumentException(
            "memoryBudget ("
                + memoryBudget
                + ") must be at least maxMessageBytes ("
                + maxMessageBytes
                + "), or the largest message could never be received");
      }
      if (store == null) {
        store =
            documentFactory == null
                ? new InMemoryUpdateStore()
                : new InMemoryUpdateStore(UpdateFormat.opaque());
      }
      if (documentFactory == null) {
        documentFactory = DocSync::newDocument;
      }
      return new SyncServer(this);
    }
  }
}
