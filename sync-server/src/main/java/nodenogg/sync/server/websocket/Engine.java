package nodenogg.sync.server.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.drafts.Draft;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. Java-WebSocket 1.6.0 gives one selector thread and N decoder workers; each socket is
 * pinned to one worker. We plug in at three points and keep everything else stock:
 *
 *  1. WireSocket.decode intercepts the request head before the library's handshake parser:
 *     plain HTTP requests (status pages) are answered there, on the same port; upgrades are checked
 *     against the origin allow-list and the routes, then replayed into the library.
 *  2. CountingDraft (per socket) counts bytes queued, CountingChannel counts bytes written; the
 *     difference is the outgoing backlog the library does not expose. Past the cap the socket is
 *     closed hard (1013) and its queue dropped, so a stalled reader cannot grow the heap.
 *  3. A housekeeping thread replaces the library's lost-connection timer: WebSocket pings at a
 *     fixed interval (a socket that has not answered the previous ping is closed), the idle
 *     timeout, and a deadline for sockets that never finish their request head or handshake.
 *
 * Handler callbacks run through ServerConnection's mailbox; onClose is handed to a separate
 * "events" thread so that it never runs inside the library's per-socket monitor (closeConnection
 * is synchronized), which keeps handlers free to close or send to other connections.
 */
final class Engine extends WebSocketServer {

  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final WebServer.Settings settings;
  private final Set<WireSocket> sockets = ConcurrentHashMap.newKeySet();
  /** Opened connections whose handler has not yet returned from onClose. */
  private final Set<ServerConnection> live = ConcurrentHashMap.newKeySet();
  private final CountDownLatch started = new CountDownLatch(1);
  private final AtomicReference<Exception> startFailure = new AtomicReference<>();
  private final ScheduledExecutorService housekeeper;
  private final ExecutorService events;
  private volatile boolean shuttingDown;
  private final FrameMeter.Budget inFlight;

  /** Frames at least this large are charged to the in-flight budget. */
  static final long LARGE_FRAME_BYTES = 64 * 1024;

  Engine(WebServer.Settings settings) {
    super(new InetSocketAddress(settings.host, settings.port), settings.workerThreads,
        List.of(new CountingDraft(settings.maxMessageBytes)));
    this.settings = settings;
    this.inFlight = new FrameMeter.Budget(settings.inFlightBudget());
    setReuseAddr(true);
    setTcpNoDelay(true);
    setDaemon(true);
    setConnectionLostTimeout(0);
    housekeeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "websocket-housekeeper"));
    events = Executors.newSingleThreadExecutor(r -> daemon(r, "websocket-events"));
    Engine self = this;
    setWebSocketFactory(new WebSocketServerFactory() {
      @Override
      public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
        return createWebSocket(a, List.of(d));
      }

      @Override
      public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> drafts) {
        WireSocket socket = new WireSocket(self, drafts);
        sockets.add(socket);
        return socket;
      }

      @Override
      public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) {
        return new CountingChannel(channel, (WireSocket) key.attachment());
      }

      @Override
      public void close() {}
    });
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, "nodenogg-" + name);
    t.setDaemon(true);
    return t;
  }

  FrameMeter newFrameMeter() {
    return new FrameMeter(inFlight, LARGE_FRAME_BYTES);
  }

  /** Bytes of the large-frame budget not reserved right now. */
  long inFlightAvailable() {
    return inFlight.available();
  }

  int maxHeadBytes() {
    return settings.maxHeadBytes;
  }

  long maxBufferedBytes() {
    return settings.maxBufferedBytes;
  }

  // ---- lifecycle ----

  void startAndAwait() throws IOException {
    start();
    try {
      if (!started.await(10, TimeUnit.SECONDS)) {
        throw new IOException("WebSocket server did not start within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the WebSocket server", e);
    }
    Exception failure = startFailure.get();
    if (failure != null) {
      throw new IOException("cannot listen on " + settings.host + ":" + settings.port + ": "
          + failure.getMessage() + " (is the port in use? choose another port, or 0 for any free one)",
          failure);
    }
    long tick = settings.tickMillis();
    housekeeper.scheduleWithFixedDelay(this::housekeep, tick, tick, TimeUnit.MILLISECONDS);
  }

  void shutdown(long graceMillis) {
    shuttingDown = true;
    try {
      stop((int) Math.max(1, graceMillis), "server shutting down");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (WireSocket socket : new ArrayList<>(sockets)) {
      socket.closeConnection(1001, "server shut down");
      socket.outQueue.clear();
    }
    sockets.clear();
    housekeeper.shutdownNow();
    events.shutdown();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis + 1000);
      events.awaitTermination(graceMillis + 1000, TimeUnit.MILLISECONDS);
      // A callback still running on another thread delivers onClose right after it returns.
      for (ServerConnection c : new ArrayList<>(live)) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (!c.awaitCloseDelivered(Math.max(1, left))) {
          LOG.warn("handler for {} did not finish onClose in time", c);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    live.clear();
  }

  void remember(ServerConnection c) {
    live.add(c);
  }

  void forget(ServerConnection c) {
    live.remove(c);
  }

  int openConnections() {
    return getConnections().size();
  }

  // ---- routing (called from WireSocket.decode on a worker thread) ----

  /** Returns a complete HTTP response to send, or null to let the upgrade proceed. */
  ByteBuffer route(WireSocket socket, HttpHead request) {
    if (shuttingDown) {
      return HttpReply.text(503, "server shutting down", null);
    }
    if (sockets.size() > settings.maxConnections) {
      return HttpReply.text(503, "too many connections; try again later", null);
    }
    String origin = request.origin();
    if (!settings.origins.allows(origin)) {
      LOG.debug("refused {} {} from origin {}", request.method, request.path, origin);
      return HttpReply.text(403, "Origin denied", null);
    }
    if (request.isUpgrade()) {
      if (!"GET".equals(request.method)) {
        return HttpReply.text(400, "WebSocket upgrades must use GET", null);
      }
      SocketHandler handler = settings.socketRoute(request.path);
      if (handler == null) {
        return HttpReply.text(404, "no WebSocket endpoint at " + request.path, null);
      }
      socket.connection = new ServerConnection(socket, this, handler, request, remote(socket));
      return null;
    }
    if ("OPTIONS".equals(request.method)) {
      String extra = "Access-Control-Allow-Methods: GET, HEAD, OPTIONS\r\n"
          + "Access-Control-Max-Age: 600\r\n"
          + (request.headers.containsKey("access-control-request-headers")
              ? "Access-Control-Allow-Headers: "
                  + request.headers.get("access-control-request-headers") + "\r\n"
              : "");
      return HttpReply.render(204, "text/plain", new byte[0], false, origin, extra);
    }
    HttpHandler handler = settings.httpRoute(request.path);
    if (handler == null) {
      SocketHandler socketHandler = settings.socketRoute(request.path);
      if (socketHandler instanceof HttpHandler) {
        handler = (HttpHandler) socketHandler;
      } else if (socketHandler != null) {
        return HttpReply.render(426, "text/plain; charset=utf-8",
            "this path expects a WebSocket upgrade\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            true, origin, "Upgrade: websocket\r\n");
      } else {
        return HttpReply.text(404, "not found: " + request.path, origin);
      }
    }
    HttpHandler.Response response;
    try {
      response = handler.handle(request.method, request.path, request.headers);
    } catch (RuntimeException e) {
      LOG.warn("HTTP handler failed for {} {}", request.method, request.path, e);
      return HttpReply.text(500, "internal server error", origin);
    }
    if (response == null) {
      return HttpReply.text(500, "internal server error: handler returned no response", origin);
    }
    byte[] body = response.body() == null ? new byte[0] : response.body();
    return HttpReply.render(response.status(), response.contentType(), body,
        !"HEAD".equals(request.method), origin, null);
  }

  private static String remote(WireSocket socket) {
    InetSocketAddress address = socket.getRemoteSocketAddress();
    if (address == null) {
      return "unknown";
    }
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  // ---- library callbacks ----

  @Override
  public void onStart() {
    started.countDown();
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    ServerConnection c = ((WireSocket) conn).connection;
    if (c != null) {
      c.opened();
    }
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    ServerConnection c = ((WireSocket) conn).connection;
    if (c != null) {
      c.text(message);
    }
  }

  @Override
  public void onMessage(WebSocket conn, ByteBuffer message) {
    ServerConnection c = ((WireSocket) conn).connection;
    if (c != null) {
      c.binary(message);
    }
  }

  @Override
  public void onWebsocketPong(WebSocket conn, Framedata f) {
    ServerConnection c = ((WireSocket) conn).connection;
    if (c != null) {
      c.pong();
    }
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    ServerConnection c = ((WireSocket) conn).connection;
    if (c != null) {
      c.closed(code, reason, remote);
    }
  }

  @Override
  protected boolean removeConnection(WebSocket ws) {
    sockets.remove(ws);
    ((WireSocket) ws).meter().close();
    return super.removeConnection(ws);
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    if (conn == null && started.getCount() > 0) {
      startFailure.compareAndSet(null, ex);
      started.countDown();
      return;
    }
    LOG.debug("WebSocket error on {}", conn, ex);
  }

  // ---- deferred work ----

  void drainLater(ServerConnection connection) {
    try {
      events.execute(connection::drain);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      connection.drain();
    }
  }

  void closeAbruptlyLater(WireSocket socket, int code, String reason) {
    Runnable close = () -> {
      socket.closeConnection(code, reason);
      socket.outQueue.clear();
    };
    try {
      housekeeper.execute(close);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      close.run();
    }
  }

  private void housekeep() {
    try {
      long now = System.nanoTime();
      long handshakeNanos = settings.handshakeTimeout.toNanos();
      long pingNanos = settings.pingInterval.toNanos();
      long idleNanos = settings.idleTimeout.toNanos();
      for (WireSocket socket : sockets) {
        if (socket.isClosed()) {
          sockets.remove(socket);
          continue;
        }
        ServerConnection c = socket.connection;
        if (!socket.isOpen() || c == null) {
          // Request head, handshake, HTTP answer or closing handshake still pending.
          long since = socket.stalledSince(now);
          if (now - since > handshakeNanos) {
            socket.closeConnection(1006, "request or close not completed in time");
            socket.outQueue.clear();
          }
          continue;
        }
        if (idleNanos > 0 && now - c.lastMessageNanos > idleNanos) {
          socket.close(1000, "idle timeout");
          continue;
        }
        if (pingNanos > 0 && now - c.lastPingNanos >= pingNanos) {
          if (c.awaitingPong) {
            socket.closeConnection(1006, "no pong within " + settings.pingInterval.toMillis() + " ms");
            socket.outQueue.clear();
            continue;
          }
          c.awaitingPong = true;
          c.lastPingNanos = now;
          try {
            socket.sendPing();
          } catch (RuntimeException e) {
            // closed concurrently
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("WebSocket housekeeping failed", e);
    }
  }
}
