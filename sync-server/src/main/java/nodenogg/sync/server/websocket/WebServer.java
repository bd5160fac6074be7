package nodenogg.sync.server.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A WebSocket server on one port that also answers plain HTTP requests (status pages, health
 * checks) on the same port. Connections are routed by request path to a {@link SocketHandler}
 * (upgrades) or an {@link HttpHandler} (everything else). Our own RFC 6455 implementation on
 * java.nio: a few event-loop threads read and decode, handlers run on them, and sends from any
 * thread go straight to the socket (only what the kernel does not take is queued).
 *
 * <pre>{@code
 * try (WebServer server = WebServer.builder()
 *     .bind("127.0.0.1", 0)
 *     .socket(path -> path.equals("/echo"), echoHandler)
 *     .http("/status", (method, path, headers) -> HttpHandler.Response.json(200, "{\"status\":\"ok\"}"))
 *     .allowedOrigins(List.of("https://nodenogg.in"))
 *     .build()
 *     .start()) {
 *   System.out.println("listening on " + server.port());
 * }
 * }</pre>
 *
 * <p>Protections: the origin allow-list (a browser request whose Origin is not listed gets 403,
 * upgrade or not; requests without Origin are allowed); a message size cap (close 1009); an
 * outgoing backlog cap per connection (a reader with more than {@code maxBufferedBytes} waiting
 * behind the frame being written is closed with 1013 and its queue dropped; one message of any size
 * always goes out); one server-wide {@link MemoryBudget} for everything held on behalf of clients
 * (request heads, incoming frames and messages, outgoing backlogs), charged before allocation, the
 * socket whose need does not fit closed with 1013; no throwable ends an event loop (an {@link
 * OutOfMemoryError} sheds connections, a second one within 10 s stops the server and calls the
 * fatal-error handler); WebSocket pings every {@code pingInterval}, a connection that has not
 * answered the previous ping by the next one is closed; an optional idle timeout (no message
 * received); a deadline for sockets that do not complete their request; a total connection cap; a
 * request head size cap. A handler that throws gets only that connection closed (1011).
 *
 * <p>A plain request on a path with no {@code http} route but a {@code socket} route is answered by
 * that socket handler when it also implements {@link HttpHandler} (so one mount serves both, as the
 * signalling status page needs), else with 426 Upgrade Required.
 *
 * <p>Plain HTTP responses always close the connection ({@code Connection: close}); a request with
 * an allowed Origin gets it echoed in {@code Access-Control-Allow-Origin}; {@code OPTIONS}
 * preflights are answered 204; {@code HEAD} gets the headers only.
 *
 * <p>Threads are daemon threads: a program that only serves must keep its main thread alive.
 * Thread-safe: {@link #start()}, {@link #port()} and {@link #close()} may be called from any
 * thread; a server starts once.
 */
public final class WebServer implements AutoCloseable {

  private final Settings settings;
  private final SocketServer engine;
  private volatile boolean started;
  private volatile boolean closed;

  private WebServer(Settings settings) {
    this.settings = settings;
    this.engine = new SocketServer(settings);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds and starts serving. Returns this server.
   *
   * @throws IOException when the address cannot be bound (for example, the port is in use)
   * @throws IllegalStateException when called twice or after {@link #close()}
   */
  public synchronized WebServer start() throws IOException {
    if (started || closed) {
      throw new IllegalStateException("a WebServer starts once; build a new one");
    }
    started = true;
    try {
      engine.startAndAwait();
    } catch (IOException e) {
      engine.shutdown(100);
      closed = true;
      throw e;
    }
    return this;
  }

  /** The bound port (the actual one when built with port 0). Valid after {@link #start()}. */
  public int port() {
    if (!started) {
      throw new IllegalStateException("the server is not started; call start() first");
    }
    return engine.getPort();
  }

  /** The bind host given to the builder. */
  public String host() {
    return settings.host;
  }

  /** Bytes of the memory budget not charged right now (for tests). */
  long inFlightAvailable() {
    return engine.inFlightAvailable();
  }

  /**
   * Sheds connections after an {@link OutOfMemoryError} that happened outside the event loops (for
   * example on a document thread): the newest connections holding memory are closed with 1013. If
   * this happens again within 10 s, the server is stopped and the fatal-error handler runs.
   */
  public void outOfMemory(OutOfMemoryError e) {
    engine.outOfMemory(null, e);
  }

  /**
   * An executor for short, non-blocking tasks submitted from other threads: they run on one of the
   * event loops (round robin) while the server runs, else on {@code fallback}. Thread-safe.
   */
  public java.util.concurrent.Executor eventLoops(java.util.concurrent.Executor fallback) {
    Objects.requireNonNull(fallback, "fallback");
    return task -> {
      if (!started || closed || !engine.post(task)) {
        fallback.execute(task);
      }
    };
  }

  /** Number of open WebSocket connections. */
  public int connectionCount() {
    return engine.openConnections();
  }

  /**
   * Stops accepting connections (the listening socket closes; requests not yet answered get 503);
   * open connections carry on until {@link #close()}. The first step of a graceful shutdown.
   */
  public synchronized void stopAccepting() {
    if (started && !closed) {
      engine.stopAccepting();
    }
  }

  /**
   * Closes every connection with 1001 (going away), waits up to the builder's grace period for
   * close handshakes, then drops what remains and stops all threads. Every opened connection's
   * handler gets {@code onClose} before this returns. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (started) {
      engine.shutdown(settings.closeGrace.toMillis());
    }
  }

  /** Configuration; immutable once built. */
  static final class Settings {
    String host = "127.0.0.1";
    int port = 0;
    final List<Predicate<String>> socketPaths = new ArrayList<>();
    final List<SocketHandler> socketHandlers = new ArrayList<>();
    final List<Predicate<String>> httpPaths = new ArrayList<>();
    final List<HttpHandler> httpHandlers = new ArrayList<>();
    OriginPolicy origins = new OriginPolicy(List.of());
    CorsPolicy cors; // null: echo an allowed Origin (no credentials)
    RequestGate gate;
    RefusalListener refusals = (reason, method, path, remote, origin) -> {};
    int maxMessageBytes = 16 * 1024 * 1024;
    long maxBufferedBytes = 8L * 1024 * 1024;
    Duration pingInterval = Duration.ofSeconds(30);
    Duration idleTimeout = Duration.ZERO;
    Duration handshakeTimeout = Duration.ofSeconds(10);
    Duration closeGrace = Duration.ofSeconds(2);
    int maxConnections = 10_000;
    long maxInFlightBytes = 0; // 0 = derived from the heap, see budget()
    MemoryBudget budget; // shared with the caller (e.g. the sync server's handlers), or null
    java.util.function.Consumer<Throwable> onFatal;
    int maxHeadBytes = 16 * 1024;
    int workerThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    SocketHandler socketRoute(String path) {
      for (int i = 0; i < socketPaths.size(); i++) {
        if (socketPaths.get(i).test(path)) {
          return socketHandlers.get(i);
        }
      }
      return null;
    }

    HttpHandler httpRoute(String path) {
      for (int i = 0; i < httpPaths.size(); i++) {
        if (httpPaths.get(i).test(path)) {
          return httpHandlers.get(i);
        }
      }
      return null;
    }

    /**
     * The budget given to the builder, else one of maxInFlightBytes, else derived from the heap.
     */
    MemoryBudget budget() {
      if (budget != null) {
        return budget;
      }
      if (maxInFlightBytes > 0) {
        return new MemoryBudget(Math.max(maxInFlightBytes, maxMessageBytes));
      }
      return new MemoryBudget(MemoryBudget.defaultLimit(maxMessageBytes));
    }

    long tickMillis() {
      long shortest = handshakeTimeout.toMillis();
      if (!pingInterval.isZero()) {
        shortest = Math.min(shortest, pingInterval.toMillis());
      }
      if (!idleTimeout.isZero()) {
        shortest = Math.min(shortest, idleTimeout.toMillis());
      }
      return Math.max(10, Math.min(1000, shortest / 5));
    }
  }

  /** Builds a {@link WebServer}. Not thread-safe. Routes are tried in the order added. */
  public static final class Builder {
    private final Settings s = new Settings();
    private boolean built;

    private Builder() {}

    /**
     * Bind address and port; port 0 picks a free port (see {@link WebServer#port()}). Default
     * 127.0.0.1:0.
     */
    public Builder bind(String host, int port) {
      host(host);
      return port(port);
    }

    public Builder host(String host) {
      s.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "port must be 0..65535 (0 = any free port), got " + port);
      }
      s.port = port;
      return this;
    }

    /** Routes WebSocket upgrades whose path (no query string) matches to the handler. */
    public Builder socket(Predicate<String> path, SocketHandler handler) {
      s.socketPaths.add(Objects.requireNonNull(path, "path"));
      s.socketHandlers.add(Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /** Routes plain HTTP requests for exactly this path (no query string) to the handler. */
    public Builder http(String path, HttpHandler handler) {
      Objects.requireNonNull(path, "path");
      return http(path::equals, handler);
    }

    /** Routes plain HTTP requests whose path matches to the handler. */
    public Builder http(Predicate<String> path, HttpHandler handler) {
      s.httpPaths.add(Objects.requireNonNull(path, "path"));
      s.httpHandlers.add(Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /**
     * Origins allowed to connect, e.g. {@code https://nodenogg.in} (trailing slashes and case are
     * ignored). Empty (the default) allows all.
     *
     * @throws IllegalArgumentException when an entry is not an origin ({@code
     *     scheme://host[:port]}): blank, no scheme, a path, a wildcard; the message says what to
     *     write instead
     */
    public Builder allowedOrigins(Collection<String> origins) {
      s.origins = new OriginPolicy(Objects.requireNonNull(origins, "origins"));
      return this;
    }

    /**
     * CORS for plain HTTP responses, as the nodenogg.in server's {@code ALLOWED_DOMAINS}: only
     * these origins (compared exactly) get {@code Access-Control-Allow-Origin}, with credentials
     * allowed; preflights get {@code POST,GET,OPTIONS}. It refuses nothing (that is {@link
     * #allowedOrigins}). Unset (the default): a request whose Origin passed the allow-list gets it
     * echoed, without credentials.
     */
    public Builder corsOrigins(Collection<String> origins) {
      s.cors = new CorsPolicy(Objects.requireNonNull(origins, "origins"));
      return this;
    }

    /**
     * Checks each WebSocket upgrade before it is answered (see {@link RequestGate}). Default: none.
     */
    public Builder upgradeGate(RequestGate gate) {
      s.gate = gate;
      return this;
    }

    /** Told about each request refused before a handler saw it (see {@link RefusalListener}). */
    public Builder onRefused(RefusalListener listener) {
      s.refusals = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Largest incoming message (all fragments together); larger ones close with 1009. Default 16
     * MiB.
     */
    public Builder maxMessageBytes(int bytes) {
      if (bytes < 125) {
        throw new IllegalArgumentException("maxMessageBytes must be at least 125, got " + bytes);
      }
      s.maxMessageBytes = bytes;
      return this;
    }

    /**
     * Outgoing backlog per connection above which it is closed as a slow consumer. Default 8 MiB.
     */
    public Builder maxBufferedBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxBufferedBytes must be at least 1024, got " + bytes);
      }
      s.maxBufferedBytes = bytes;
      return this;
    }

    /** WebSocket ping interval; Duration.ZERO disables pings. Default 30 s. */
    public Builder pingInterval(Duration interval) {
      s.pingInterval = nonNegative(interval, "pingInterval");
      return this;
    }

    /** Close connections that sent no message for this long; Duration.ZERO (default) disables. */
    public Builder idleTimeout(Duration timeout) {
      s.idleTimeout = nonNegative(timeout, "idleTimeout");
      return this;
    }

    /** Deadline for a socket to send its request head and finish the handshake. Default 10 s. */
    public Builder handshakeTimeout(Duration timeout) {
      s.handshakeTimeout = positive(timeout, "handshakeTimeout");
      return this;
    }

    /** How long {@link WebServer#close()} waits for close handshakes. Default 2 s. */
    public Builder closeGrace(Duration grace) {
      s.closeGrace = positive(grace, "closeGrace");
      return this;
    }

    /**
     * Server-wide budget for memory held on behalf of clients: request heads, incoming frames and
     * messages being reassembled (charged at their declared size, from the frame header to the
     * delivery), and outgoing backlogs. A socket whose need does not fit is closed with 1013 (HTTP
     * 503 before the upgrade). At least maxMessageBytes. Default min(256 MiB, heap / 4).
     */
    public Builder maxInFlightBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxInFlightBytes must be positive, got " + bytes);
      }
      s.maxInFlightBytes = bytes;
      return this;
    }

    /**
     * Shares a budget for memory held on behalf of clients with other parts of the program (the
     * sync server charges its pre-authentication queues to a child of the same budget); replaces
     * {@link #maxInFlightBytes}.
     */
    public Builder memoryBudget(MemoryBudget budget) {
      s.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * Called (once, on the thread that found it) when the server cannot go on: an {@link
     * OutOfMemoryError} came back within 10 s of shedding connections for the previous one. The
     * server has stopped serving by then; a program that only serves should exit non-zero so that
     * its supervisor restarts it. Default: log it.
     */
    public Builder onFatalError(java.util.function.Consumer<Throwable> handler) {
      s.onFatal = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Sockets accepted at once (open or handshaking); more get 503. Default 10,000. */
    public Builder maxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnections must be positive, got " + max);
      }
      s.maxConnections = max;
      return this;
    }

    /**
     * Event-loop threads; sockets are spread over them and every handler callback runs on its
     * socket's loop, so handlers must not block. Default: half the CPU count, at least one (work
     * that starts from a message runs on the loop that read it, and sends go straight to the
     * socket, so one loop per two cores leaves room for storage, GC and the other threads).
     */
    public Builder workerThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("workerThreads must be positive, got " + threads);
      }
      s.workerThreads = threads;
      return this;
    }

    public WebServer build() {
      if (built) {
        throw new IllegalStateException("build() may be called once per builder");
      }
      built = true;
      return new WebServer(s);
    }

    private static Duration nonNegative(Duration d, String name) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be zero or positive, got " + d);
      }
      return d;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }
}
