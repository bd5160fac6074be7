package nodenogg.sync.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import nodenogg.crdt.sync.Awareness;
import nodenogg.crdt.sync.DocSync;
import nodenogg.crdt.sync.SyncDocument;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.persistence.sqlite.StoreOptions;
import nodenogg.sync.server.earthstar.EarthstarSocketHandler;
import nodenogg.sync.server.internal.DocumentRegistry;
import nodenogg.sync.server.internal.HocuspocusHandler;
import nodenogg.sync.server.internal.ServerContext;
import nodenogg.sync.server.internal.ServerDocument;
import nodenogg.sync.server.internal.YWebsocketHandler;
import nodenogg.sync.server.signal.SignalingHandler;
import nodenogg.sync.server.websocket.HttpHandler;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yjs sync server on one port: the Hocuspocus protocol on {@code /sync} (what the nodenogg.in web
 * app speaks), the y-webrtc signalling relay on {@code /signal}, {@code GET /status}, optionally
 * Earthstar sync on {@code /earthstar/} ({@link Builder#earthstar}),
 * and the y-websocket protocol on every other path ({@code /<room>}). Updates are broadcast to a
 * document's connections as soon as they are applied and acknowledged to their sender only once the
 * {@link UpdateStore} holds them durably (the store's {@code append} future completed).
 *
 * <pre>{@code
 * try (SyncServer server = SyncServer.builder().port(8787).store(new InMemoryUpdateStore()).build().start()) {
 *   System.out.println("listening on " + server.port());
 *   Thread.currentThread().join();
 * }
 * }</pre>
 *
 * Thread-safe. {@link #close()} stops accepting, closes connections, waits for in-flight writes and
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
  private final ScheduledExecutorService timers;
  private final DocumentRegistry registry;
  private final HocuspocusHandler hocuspocus;
  private final YWebsocketHandler ywebsocket;
  private WebServer web;
  private volatile boolean closed;

  private SyncServer(Builder b) {
    this.b = b;
    this.pool = Executors.newFixedThreadPool(b.workerThreads, daemon("sync-worker"));
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("sync-timer"));
    this.registry = new DocumentRegistry(pool, b.store, b.hooks, b.documentFactory);
    ServerContext ctx = new ServerContext(registry, b.hooks, pool, b.preAuthMaxBytes, b.preAuthMaxMessages,
        b.maxPendingDocuments, b.authDeadline.toMillis(), b.idleTimeout.toMillis(), b.implicitAuth);
    this.hocuspocus = new HocuspocusHandler(ctx);
    this.ywebsocket = new YWebsocketHandler(ctx);
  }

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
    WebServer.Builder wb = WebServer.builder().bind(b.host, b.port)
        .http("/status", (method, path, headers) -> HttpHandler.Response.json(200, statusJson()))
        .socket(p -> p.equals("/sync"), hocuspocus);
    EarthstarSocketHandler es = b.earthstar;
    if (es != null) {
      wb.socket(es::matches, es);
    }
    SocketHandler signal = b.signalHandler != null ? b.signalHandler : defaultSignalHandler();
    if (signal != null) {
      wb.socket(p -> p.equals("/signal"), signal);
    }
    wb.socket(p -> !p.equals("/sync") && !p.equals("/signal") && !p.equals("/status"), ywebsocket)
        .allowedOrigins(b.allowedOrigins)
        .maxMessageBytes(b.maxMessageBytes)
        .maxBufferedBytes(b.maxBufferedBytes);
    web = wb.build().start();
    timers.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    timers.scheduleWithFixedDelay(this::expireAwareness, Awareness.CHECK_INTERVAL_MILLIS,
        Awareness.CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    LOG.info("sync server listening on {}:{}", b.host, web.port());
    return this;
  }

  private String statusJson() {
    String base = "{\"status\":\"ok\",\"name\":\"" + NAME + "\",\"version\":\"" + VERSION + "\"";
    if (b.earthstar == null) {
      return base + "}";
    }
    try {
      return base + ",\"earthstar\":" + STATUS_JSON.writeValueAsString(b.earthstar.status()) + "}";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return base + "}";
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper STATUS_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static SocketHandler defaultSignalHandler() {
    try {
      return (SocketHandler) Class.forName("nodenogg.sync.server.signal.SignalingHandler")
          .getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  private void tick() {
    long now = System.currentTimeMillis();
    hocuspocus.sweep(now);
    ywebsocket.sweep(now);
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

  /** Names of the documents currently in memory. */
  public List<String> loadedDocuments() {
    return registry.loaded();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    hocuspocus.shutdown();
    ywebsocket.shutdown();
    if (web != null) {
      web.close();
    }
    timers.shutdownNow();
    // every write accepted so far completes (or fails) before the store closes
    List<ServerDocument> docs = new ArrayList<>(registry.loadedDocuments());
    for (ServerDocument d : docs) {
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
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (b.closeStore) {
      b.store.close();
    }
    LOG.info("sync server stopped");
  }

  /**
   * The SQLite store options the server uses by default ({@link Builder#dataDirectory}, {@code ./microcosm
   * serve}): {@link StoreOptions#defaults()} (FULL durability) with a 2 ms group-commit window, so a steady
   * stream of small updates shares commits (measured at 1,960 updates/s: the store writer's CPU falls from
   * 18 % to 12 % of a core; acknowledgements wait at most 2 ms longer; broadcasts do not wait for the store).
   */
  public static StoreOptions defaultStoreOptions() {
    return StoreOptions.defaults().withCommitWindow(Duration.ofMillis(2));
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
    private long maxBufferedBytes = 8L * 1024 * 1024;
    private long preAuthMaxBytes = 5L * 1024 * 1024;
    private int preAuthMaxMessages = 1000;
    private int maxPendingDocuments = 100;
    private Duration authDeadline = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int workerThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private SocketHandler signalHandler;
    private boolean implicitAuth;
    private EarthstarSocketHandler earthstar;

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
     * Where updates are kept; the server closes it on {@link SyncServer#close()}. Default: in memory (checked
     * as Yjs updates for the default engine documents; kept unchecked, {@link UpdateFormat#opaque()}, with a
     * custom {@link #documentFactory}).
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

    /** Keeps documents in SQLite under {@code dataDir/microcosm.db} (created if needed), with {@link #defaultStoreOptions()}. */
    public Builder dataDirectory(Path dataDir) {
      return store(SqliteUpdateStore.openDirectory(dataDir, defaultStoreOptions()));
    }

    /** Creates an empty document for each loaded document name (default: an engine {@code Doc}, gc on). */
    public Builder documentFactory(Supplier<SyncDocument> factory) {
      this.documentFactory = Objects.requireNonNull(factory);
      return this;
    }

    /** Browser origins allowed to connect; empty (default) allows all. Requests without Origin are always allowed. */
    public Builder allowedOrigins(List<String> origins) {
      this.allowedOrigins = List.copyOf(origins);
      return this;
    }

    /** Largest accepted message (default 16 MiB); bigger ones close the socket with 1009. */
    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    /** Outgoing backlog per connection before it is cut as a slow consumer (default 8 MiB). */
    public Builder maxBufferedBytes(long bytes) {
      this.maxBufferedBytes = bytes;
      return this;
    }

    /** Bytes and messages a connection may send before its document is authenticated (default 5 MiB / 1000). */
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
     * Whether a Hocuspocus document whose first message is not Auth is authenticated at once with
     * token "" (default false). Hocuspocus 2.x servers without an auth hook accept providers configured
     * without a token, which send no Auth; turn this on to accept them too (./microcosm serve does when
     * no --token is given).
     */
    public Builder implicitAuthentication(boolean on) {
      this.implicitAuth = on;
      return this;
    }

    /** Handler for {@code /signal}; default: the y-webrtc signalling relay. */
    public Builder signalHandler(SocketHandler handler) {
      this.signalHandler = handler;
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
      if (store == null) {
        store = documentFactory == null ? new InMemoryUpdateStore() : new InMemoryUpdateStore(UpdateFormat.opaque());
      }
      if (documentFactory == null) {
        documentFactory = DocSync::newDocument;
      }
      return new SyncServer(this);
    }
  }
}
