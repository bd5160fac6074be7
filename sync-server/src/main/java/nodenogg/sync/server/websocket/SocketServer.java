package nodenogg.sync.server.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. The core behind WebServer: it listens, accepts and deals sockets out, routes request heads,
 * keeps the memory budget and the OutOfMemoryError policy, and shuts down. Our own non-blocking
 * WebSocket server on java.nio, shaped like Node's: a few event loops (IoLoop), each owning a share
 * of the sockets; the first also accepts and deals new sockets out round-robin. An AcceptedSocket is
 * read, decoded (FrameReader) and handed to its handler on its loop's thread;
 * sends write straight to the socket from whichever thread sends (under the socket's lock) and
 * queue only what the kernel does not take, so a broadcast from a document thread reaches the
 * network without a thread hop. Each loop's tick runs housekeeping for its own sockets: pings,
 * idle timeouts and deadlines for request heads and closing handshakes.
 *
 * Routing happens here, once a request head is complete: plain HTTP requests are answered on the
 * same port (status pages), upgrades are checked (origin allow-list, route, RFC 6455 headers)
 * and answered with 101, everything else gets a 4xx/5xx and the socket closes.
 */
final class SocketServer implements IoLoop.Failures {

  private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

  /** The outcome of routing a request head: an HTTP reply, or an upgrade to a handler. */
  static final class Route {
    final ByteBuffer reply;
    final SocketHandler handler;
    final ByteBuffer upgrade;

    private Route(ByteBuffer reply, SocketHandler handler, ByteBuffer upgrade) {
      this.reply = reply;
      this.handler = handler;
      this.upgrade = upgrade;
    }

    static Route answer(ByteBuffer reply) {
      return new Route(reply, null, null);
    }
  }

  private final WebServer.Settings settings;
  private final MemoryBudget budget;
  private final List<IoLoop> loops = new ArrayList<>();

  /** Every accepted socket not yet finished (for shedding from any thread). */
  private final java.util.Set<AcceptedSocket> accepted =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Object oomLock = new Object();
  private long lastShedNanos; // guarded by oomLock
  private volatile boolean fatal;
  private final AtomicInteger sockets = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();

  /** Opened connections whose handler has not yet had onClose. */
  private final AtomicInteger unreported = new AtomicInteger();

  private ServerSocketChannel server;
  private int nextLoop;
  private volatile boolean shuttingDown;
  private volatile int port;

  SocketServer(WebServer.Settings settings) {
    this.settings = settings;
    this.budget = settings.budget();
  }

  MemoryBudget budget() {
    return budget;
  }

  long inFlightAvailable() {
    return budget.available();
  }

  int maxHeadBytes() {
    return settings.maxHeadBytes;
  }

  int maxMessageBytes() {
    return settings.maxMessageBytes;
  }

  long maxBufferedBytes() {
    return settings.maxBufferedBytes;
  }

  int getPort() {
    return port;
  }

  int openConnections() {
    return open.get();
  }

  // ---- lifecycle ----

  void startAndAwait() throws IOException {
    try {
      server = ServerSocketChannel.open();
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(new InetSocketAddress(settings.host, settings.port), 1024);
      server.configureBlocking(false);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      throw new IOException(
          "cannot listen on "
              + settings.host
              + ":"
              + settings.port
              + ": "
              + e.getMessage()
              + " (is the port in use? choose another port, or 0 for any free one)",
          e);
    }
    port = ((InetSocketAddress) server.getLocalAddress()).getPort();
    long tick = settings.tickMillis();
    for (int i = 0; i < settings.workerThreads; i++) {
      loops.add(new IoLoop("nodenogg-websocket-" + (i + 1), tick, this::housekeep, this));
    }
    IoLoop first = loops.get(0);
    server.register(first.selector, SelectionKey.OP_ACCEPT, (IoLoop.Ready) k -> accept());
    for (IoLoop loop : loops) {
      loop.thread.start();
    }
  }

  private void accept() {
    while (true) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        LOG.warn("accepting a connection failed: {}", e.toString());
        return;
      }
      if (channel == null) {
        return;
      }
      try {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      } catch (IOException e) {
        closeQuietly(channel);
        continue;
      }
      sockets.incrementAndGet();
      IoLoop loop = loops.get(nextLoop);
      nextLoop = (nextLoop + 1) % loops.size();
      AcceptedSocket wire = new AcceptedSocket(this, loop, channel);
      accepted.add(wire);
      if (loop.inLoop()) {
        register(wire);
      } else {
        loop.execute(() -> register(wire));
      }
    }
  }

  private void register(AcceptedSocket wire) {
    try {
      wire.key = wire.channel.register(wire.loop.selector, SelectionKey.OP_READ, wire);
    } catch (IOException | RuntimeException e) {
      closeQuietly(wire.channel);
      released(wire);
      return;
    }
    if (shuttingDown) {
      wire.finish();
    }
  }

  /**
   * Closes the listening socket (new connections are refused by the OS) and answers requests still
   * in their head with 503; open connections carry on. Waits until the socket is closed.
   */
  void stopAccepting() {
    shuttingDown = true;
    if (loops.isEmpty()) {
      closeQuietly(server);
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    runOn(
        loops.get(0),
        () -> {
          closeQuietly(server);
          done.countDown();
        });
    try {
      done.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void shutdown(long graceMillis) {
    shuttingDown = true;
    if (loops.isEmpty()) {
      closeQuietly(server);
      return;
    }
    CountDownLatch stoppedAccepting = new CountDownLatch(1);
    loops
        .get(0)
        .execute(
            () -> {
              closeQuietly(server);
              stoppedAccepting.countDown();
            });
    for (IoLoop loop : loops) {
      runOn(
          loop,
          () ->
              forEachSocket(
                  loop,
                  w -> {
                    if (w.state() == SocketState.OPEN) {
                      w.close(1001, "server shutting down");
                    } else if (w.state() == SocketState.HEAD) {
                      w.abort(1001, "server shutting down");
                    }
                  }));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
    try {
      stoppedAccepting.await(graceMillis + 1000, TimeUnit.MILLISECONDS);
      while ((unreported.get() > 0 || sockets.get() > 0) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (IoLoop loop : loops) {
      runOn(
          loop,
          () -> {
            forEachSocket(
                loop,
                w -> {
                  w.abort(1001, "server shut down");
                  w.finish();
                });
            loop.stop();
          });
    }
    for (IoLoop loop : loops) {
      if (loop.inLoop()) {
        continue;
      }
      try {
        loop.thread.join(graceMillis + 2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (loop.thread.isAlive()) {
        LOG.warn("{} did not stop in time (a handler may be blocking it)", loop.thread.getName());
      }
    }
  }

  /**
   * Runs the task on the loop: inline when called from that loop (e.g. a handler closing the
   * server).
   */
  private static void runOn(IoLoop loop, Runnable task) {
    if (loop.inLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  private static void forEachSocket(
      IoLoop loop, java.util.function.Consumer<AcceptedSocket> action) {
    List<AcceptedSocket> found = new ArrayList<>();
    try {
      for (SelectionKey k : loop.selector.keys()) {
        if (k.attachment() instanceof AcceptedSocket) {
          found.add((AcceptedSocket) k.attachment());
        }
      }
    } catch (java.nio.channels.ClosedSelectorException e) {
      return;
    }
    for (AcceptedSocket w : found) {
      action.accept(w);
    }
  }

  private void housekeep(IoLoop loop) {
    long now = System.nanoTime();
    long handshakeNanos = settings.handshakeTimeout.toNanos();
    long pingNanos = settings.pingInterval.toNanos();
    long idleNanos = settings.idleTimeout.toNanos();
    long pingMillis = settings.pingInterval.toMillis();
    forEachSocket(loop, w -> w.tick(now, handshakeNanos, pingNanos, idleNanos, pingMillis));
  }

  private final AtomicInteger nextPost = new AtomicInteger();

  /**
   * Runs a short task on one of the event loops (round robin), or returns false when they are not
   * running (not started, or shutting down). For continuations that start on other threads (a store
   * completing a write), so they do not wait behind blocking work on a worker pool.
   */
  boolean post(Runnable task) {
    if (shuttingDown || loops.isEmpty()) {
      return false;
    }
    IoLoop loop = loops.get(Math.floorMod(nextPost.getAndIncrement(), loops.size()));
    if (loop.stopping() || !loop.thread.isAlive()) {
      return false;
    }
    loop.execute(task);
    return true;
  }

  // ---- bookkeeping from sockets ----

  void opened() {
    open.incrementAndGet();
    unreported.incrementAndGet();
  }

  void closed() {
    open.decrementAndGet();
    unreported.decrementAndGet();
  }

  void released(AcceptedSocket wire) {
    if (wire == null || accepted.remove(wire)) {
      sockets.decrementAndGet();
    }
  }

  // ---- failures escaping an event loop (IoLoop.Failures): they never end a loop ----

  @Override
  public void failed(Object source, Throwable t) {
    try {
      LOG.error(
          "WebSocket event handling failed{}",
          source instanceof AcceptedSocket ? " on " + source + "; closing it" : "",
          t);
    } catch (Throwable ignored) {
      // logging itself failed; carry on
    }
    if (source instanceof AcceptedSocket) {
      ((AcceptedSocket) source).abort(WebSocketCodes.INTERNAL_ERROR, "internal server error");
    }
  }

  /**
   * An OutOfMemoryError: the socket being handled (if any) is dropped and the newest connections
   * holding memory are shed (1013) so the heap recovers. A second one within 10 s of shedding means
   * the process cannot recover: the server stops and the fatal-error handler runs (./microcosm
   * serve then exits non-zero, so a supervisor restarts it instead of it living on as a zombie).
   */
  @Override
  public void outOfMemory(Object source, OutOfMemoryError e) {
    if (source instanceof AcceptedSocket) {
      ((AcceptedSocket) source).abort(WebSocketCodes.TRY_AGAIN_LATER, "server out of memory");
    }
    long now = System.nanoTime();
    boolean again;
    synchronized (oomLock) {
      again = lastShedNanos != 0 && now - lastShedNanos < TimeUnit.SECONDS.toNanos(10);
      lastShedNanos = now;
    }
    if (again) {
      fatal(e);
      return;
    }
    int shed = shed();
    try {
      LOG.error(
          "out of memory ({}); shed {} connections to recover (memory held for clients now {} of {} bytes)",
          e.getMessage(),
          shed,
          budget.used(),
          budget.limit());
    } catch (Throwable ignored) {
      // nothing more we can do about it here
    }
  }

  @Override
  public void loopBroken(IoLoop loop, Throwable t) {
    fatal(t);
  }

  /**
   * Closes (1013) the newest connections that hold charged memory until half of it is released, or,
   * when clients hold little, the newest tenth of all connections. Returns how many were shed.
   */
  int shed() {
    List<AcceptedSocket> all = new ArrayList<>(accepted);
    all.sort((a, b) -> Long.compare(b.acceptedNanos, a.acceptedNanos));
    long target = budget.used() / 2;
    long freed = 0;
    int count = 0;
    if (target > 0) {
      for (AcceptedSocket w : all) {
        if (freed >= target) {
          break;
        }
        long held = w.heldBytes();
        if (held > 0 && w.state() != SocketState.DONE && w.state() != SocketState.CLOSING) {
          freed += held;
          count++;
          w.shed(1013, "server out of memory; retry later");
        }
      }
    }
    if (freed < target || target == 0) {
      int tenth = Math.max(1, all.size() / 10);
      for (int i = 0; i < all.size() && tenth > 0; i++) {
        SocketState st = all.get(i).state();
        if (st != SocketState.DONE && st != SocketState.CLOSING) {
          all.get(i).shed(1013, "server out of memory; retry later");
          count++;
          tenth--;
        }
      }
    }
    return count;
  }

  /** The server cannot go on: stop accepting, drop every connection, and tell the owner. Once. */
  private void fatal(Throwable cause) {
    synchronized (oomLock) {
      if (fatal) {
        return;
      }
      fatal = true;
    }
    shuttingDown = true;
    try {
      LOG.error("the WebSocket server cannot recover ({}); stopping it", cause.toString(), cause);
    } catch (Throwable ignored) {
      // logging failed
    }
    closeQuietly(server);
    for (AcceptedSocket w : new ArrayList<>(accepted)) {
      w.abort(1011, "server failed");
    }
    java.util.function.Consumer<Throwable> handler = settings.onFatal;
    if (handler != null) {
      handler.accept(cause);
    }
  }

  boolean failedFatally() {
    return fatal;
  }

  // ---- routing (loop thread) ----

  Route route(HttpHead request, Connection socket) {
    if (shuttingDown) {
      return Route.answer(HttpReply.text(503, "server shutting down", null));
    }
    String origin = request.origin();
    if (sockets.get() > settings.maxConnections) {
      refused("server_full", request, socket, origin);
      return Route.answer(HttpReply.text(503, "too many connections; try again later", null));
    }
    if (!settings.origins.allows(origin)) {
      refused("origin", request, socket, origin);
      return Route.answer(HttpReply.text(403, "Origin denied", null));
    }
    if (request.isUpgrade()) {
      RequestGate gate = settings.gate;
      RequestGate.Refusal no =
          gate == null ? null : gate.check(request.path, request.headers, socket.remoteAddress());
      if (no != null) {
        refused(no.reason(), request, socket, origin);
        return Route.answer(
            HttpReply.render(
                no.status(),
                "text/plain; charset=utf-8",
                (no.message() + "\n").getBytes(StandardCharsets.UTF_8),
                true,
                null,
                no.retryAfterSeconds() > 0
                    ? "Retry-After: " + no.retryAfterSeconds() + "\r\n"
                    : null));
      }
      return upgrade(request);
    }
    CorsPolicy cors = settings.cors;
    String allowOrigin = cors == null ? origin : cors.allowOrigin(origin);
    String corsHeaders = cors == null ? null : cors.responseHeaders();
    if ("OPTIONS".equals(request.method)) {
      String extra =
          cors != null
              ? corsHeaders + cors.preflightHeaders()
              : "Access-Control-Allow-Methods: GET, HEAD, OPTIONS\r\n"
                  + "Access-Control-Max-Age: 600\r\n"
                  + (request.headers.containsKey("access-control-request-headers")
                      ? "Access-Control-Allow-Headers: "
                          + request.headers.get("access-control-request-headers")
                          + "\r\n"
                      : "");
      return Route.answer(
          HttpReply.render(204, "text/plain", new byte[0], false, allowOrigin, extra));
    }
    origin = allowOrigin;
    HttpHandler handler = settings.httpRoute(request.path);
    if (handler == null) {
      SocketHandler socketHandler = settings.socketRoute(request.path);
      if (socketHandler instanceof HttpHandler) {
        handler = (HttpHandler) socketHandler;
      } else if (socketHandler != null) {
        return Route.answer(
            HttpReply.render(
                426,
                "text/plain; charset=utf-8",
                "this path expects a WebSocket upgrade\n".getBytes(StandardCharsets.UTF_8),
                true,
                origin,
                "Upgrade: websocket\r\n"));
      } else {
        return Route.answer(HttpReply.text(404, "not found: " + request.path, origin));
      }
    }
    HttpHandler.Response response;
    try {
      response =
          handler.handle(
              new HttpHandler.Request(
                  request.method,
                  request.path,
                  request.query,
                  request.headers,
                  socket.remoteAddress()));
    } catch (RuntimeException e) {
      LOG.warn("HTTP handler failed for {} {}", request.method, request.path, e);
      return Route.answer(HttpReply.text(500, "internal server error", origin));
    }
    if (response == null) {
      return Route.answer(
          HttpReply.text(500, "internal server error: handler returned no response", origin));
    }
    byte[] body = response.body() == null ? new byte[0] : response.body();
    StringBuilder extra = new StringBuilder(corsHeaders == null ? "" : corsHeaders);
    for (java.util.Map.Entry<String, String> h : response.headers().entrySet()) {
      extra.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    return Route.answer(
        HttpReply.render(
            response.status(),
            response.contentType(),
            body,
            !"HEAD".equals(request.method),
            origin,
            extra.length() == 0 ? null : extra.toString()));
  }

  private void refused(String reason, HttpHead request, Connection socket, String origin) {
    try {
      settings.refusals.refused(
          reason, request.method, request.path, socket.remoteAddress(), origin);
    } catch (RuntimeException e) {
      LOG.warn("refusal listener failed", e);
    }
  }

  private Route upgrade(HttpHead request) {
    if (!"GET".equals(request.method)) {
      return Route.answer(HttpReply.text(400, "WebSocket upgrades must use GET", null));
    }
    SocketHandler handler = settings.socketRoute(request.path);
    if (handler == null) {
      return Route.answer(HttpReply.text(404, "no WebSocket endpoint at " + request.path, null));
    }
    String version = request.headers.get("sec-websocket-version");
    if (version == null || !version.trim().equals("13")) {
      return Route.answer(
          HttpReply.render(
              426,
              "text/plain; charset=utf-8",
              "only WebSocket version 13 (RFC 6455) is supported\n"
                  .getBytes(StandardCharsets.UTF_8),
              true,
              null,
              "Sec-WebSocket-Version: 13\r\n"));
    }
    String connection = request.headers.get("connection");
    if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
      return Route.answer(
          HttpReply.text(400, "a WebSocket upgrade needs 'Connection: Upgrade'", null));
    }
    String key = request.headers.get("sec-websocket-key");
    if (!Frames.validKey(key == null ? null : key.trim())) {
      return Route.answer(HttpReply.text(400, "missing or malformed Sec-WebSocket-Key", null));
    }
    return new Route(null, handler, Frames.switchingProtocols(key.trim()));
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      LOG.debug("close failed", e);
    }
  }
}
