package nodenogg.sync.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
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
import nodenogg.sync.server.internal.DocumentRegistry;
import nodenogg.sync.server.internal.HocuspocusHandler;
import nodenogg.sync.server.internal.ServerContext;
import nodenogg.sync.server.internal.ServerDocument;
import nodenogg.sync.server.internal.YWebsocketHandler;
import nodenogg.sync.server.signal.SignalingHandler;
import nodenogg.sync.server.websocket.HttpHandler;
import nodenogg.sync.server.websocket.MemoryBudget;
import nodenogg.sync.server.websocket.OriginPolicy;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Yjs sync server on one port: the Hocuspocus protocol on {@code /sync} (what the nodenogg.in web
 * app speaks), the y-webrtc signalling relay on {@code /signal}, {@code GET /status},
 * and the y-websocket protocol on every other path ({@code /<room>}). Updates are broadcast to a
 * document's connections as soon as they are applied and acknowledged to their sender only once the
 * {@link DocumentStore} holds them durably.
 *
 * <pre>{@code
 * try (SyncServer server = SyncServer.builder().port(8787).store(DocumentStore.inMemory()).build().start()) {
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
  private final ExecutorService heavy;
  private final ScheduledExecutorService timers;
  private final DocumentRegistry registry;
  private final HocuspocusHandler hocuspocus;
  private final YWebsocketHandler ywebsocket;
  private final MemoryBudget budget;
  private volatile WebServer web;
  private volatile Executor eventLoops; // posts to the WebSocket event loops once started
  private volatile boolean closed;

  private SyncServer(Builder b) {
    this.b = b;
    this.pool = Executors.newFixedThreadPool(b.workerThreads, daemon("sync-worker"));
    // large messages and large documents are handled here, never on the WebSocket event loops
    this.heavy = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        daemon("sync-heavy"));
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("sync-timer"));
    this.budget = new MemoryBudget(b.memoryBudget);
    // document work that starts off the event loops (store completions, timers) is posted to a loop
    Executor offLoop = task -> {
      Executor loops = eventLoops;
      (loops != null ? loops : pool).execute(task);
    };
    this.registry = new DocumentRegistry(pool, offLoop, heavy, timers, b.store, b.hooks, b.documentFactory);
    registry.onOutOfMemory(this::outOfMemory);
    // unauthenticated clients together may hold at most a quarter of the budget
    ServerContext ctx = new ServerContext(registry, b.hooks, pool, b.preAuthMaxBytes, b.preAuthMaxMessages,
        b.maxPendingDocuments, b.authDeadline.toMillis(), b.idleTimeout.toMillis(), b.implicitAuth,
        budget.child(Math.max(b.preAuthMaxBytes, b.memoryBudget / 4)), budget);
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
        .http("/status", (method, path, headers) -> HttpHandler.Response.json(200,
            "{\"status\":\"ok\",\"name\":\"" + NAME + "\",\"version\":\"" + VERSION + "\"}"))
        .socket(p -> p.equals("/sync"), hocuspocus);
    SocketHandler signal = b.signalHandler != null ? b.signalHandler : defaultSignalHandler();
    if (signal != null) {
      wb.socket(p -> p.equals("/signal"), signal);
    }
    wb.socket(p -> !p.equals("/sync") && !p.equals("/signal") && !p.equals("/status"), ywebsocket)
        .allowedOrigins(b.allowedOrigins)
        .maxMessageBytes(b.maxMessageBytes)
        .maxBufferedBytes(b.maxBufferedBytes)
        .memoryBudget(budget)
        .onFatalError(b.onFatal);
    if (b.eventLoops > 0) {
      wb.workerThreads(b.eventLoops);
    }
    web = wb.build().start();
    eventLoops = web.eventLoops(pool);
    timers.scheduleWithFixedDelay(guarded(this::tick), 1, 1, TimeUnit.SECONDS);
    timers.scheduleWithFixedDelay(guarded(this::expireAwareness), Awareness.CHECK_INTERVAL_MILLIS,
        Awareness.CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    LOG.info("sync server listening on {}:{}", b.host, web.port());
    return this;
  }

  private static SocketHandler defaultSignalHandler() {
    try {
      return (SocketHandler) Class.forName("nodenogg.sync.server.signal.SignalingHandler")
          .getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /** A timer task that survives whatever it throws (a periodic task that throws is never run again). */
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
   * Reports an OutOfMemoryError from any thread of the process (e.g. from a default uncaught-exception
   * handler): the server sheds connections, and stops and calls {@code onFatalError} if another comes
   * within 10 s. Thread-safe.
   */
  public void outOfMemory(OutOfMemoryError e) {
    WebServer w = web;
    if (w != null) {
      w.outOfMemory(e);
    }
  }

  /** Bytes held on behalf of clients now (heads, frames, backlogs, pre-auth queues), of the budget. */
  public long memoryHeld() {
    return budget.used();
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
    LOG.info("sync server stopped");
  }

  /** Configuration; every setting has a safe default. Not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8787;
    private DocumentStore store;
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
    private boolean implicitAuth;

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

    /** Where updates are kept; the server closes it on {@link SyncServer#close()}. Default: in memory. */
    public Builder store(DocumentStore store) {
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

    /** Keeps documents in SQLite under {@code dataDir/microcosm.db} (created if needed). */
    public Builder dataDirectory(java.nio.file.Path dataDir) {
      return store(SqliteDocumentStore.openDirectory(dataDir));
    }

    /** Creates an empty document for each loaded document name (default: an engine {@code Doc}, gc on). */
    public Builder documentFactory(Supplier<SyncDocument> factory) {
      this.documentFactory = Objects.requireNonNull(factory);
      return this;
    }

    /**
     * Browser origins allowed to connect ({@code scheme://host[:port]}); empty (default) allows all.
     * Requests without Origin are always allowed.
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
     * Outgoing backlog per connection, behind the message being written, before the connection is cut
     * as a slow consumer (1013; the client resyncs). At least {@link #maxMessageBytes}, so a largest
     * message can always wait behind another; default maxMessageBytes (16 MiB).
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
     * WebSocket event-loop threads (they read, decode and do light document work; heavy work runs on
     * worker threads). Default: one per two cores, at least one.
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

    public SyncServer build() {
      if (maxBufferedBytes < 0) {
        maxBufferedBytes = maxMessageBytes;
      } else if (maxBufferedBytes < maxMessageBytes) {
        throw new IllegalArgumentException("maxBufferedBytes (" + maxBufferedBytes + ") must be at least"
            + " maxMessageBytes (" + maxMessageBytes + "), or a large message could not wait behind another");
      }
      if (memoryBudget < 0) {
        memoryBudget = MemoryBudget.defaultLimit(maxMessageBytes);
      } else if (memoryBudget < maxMessageBytes) {
        throw new IllegalArgumentException("memoryBudget (" + memoryBudget + ") must be at least maxMessageBytes ("
            + maxMessageBytes + "), or the largest message could never be received");
      }
      if (store == null) {
        store = DocumentStore.inMemory();
      }
      if (documentFactory == null) {
        documentFactory = DocSync::newDocument;
      }
      return new SyncServer(this);
    }
  }
}
