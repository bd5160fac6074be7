package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Connection} handlers see. Handler callbacks go through a small per-connection
 * mailbox: whichever thread finds the mailbox idle runs queued callbacks in order, so callbacks
 * for one connection never overlap and no lock is held while a handler runs. Thread-safe.
 */
final class ServerConnection implements Connection {

  private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

  private final WireSocket wire;
  private final Engine engine;
  private final SocketHandler handler;
  private final String path;
  private final String query;
  private final Map<String, String> headers;
  private final String remoteAddress;
  private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closeReported = new AtomicBoolean();
  private final AtomicBoolean slowClosing = new AtomicBoolean();
  private final java.util.concurrent.CountDownLatch closeDelivered = new java.util.concurrent.CountDownLatch(1);
  private volatile boolean opened;
  private volatile Object attachment;

  // Liveness bookkeeping, read and written by the engine's housekeeping thread.
  volatile long openedNanos;
  volatile long lastMessageNanos;
  volatile long lastPingNanos;
  volatile boolean awaitingPong;

  ServerConnection(WireSocket wire, Engine engine, SocketHandler handler, HttpHead request,
      String remoteAddress) {
    this.wire = wire;
    this.engine = engine;
    this.handler = handler;
    this.path = request.path;
    this.query = request.query;
    this.headers = request.headers;
    this.remoteAddress = remoteAddress;
  }

  WireSocket wire() {
    return wire;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String query() {
    return query;
  }

  @Override
  public Map<String, String> headers() {
    return headers;
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  @Override
  public void send(byte[] message) {
    if (!isOpen()) {
      return;
    }
    try {
      wire.send(message);
    } catch (WebsocketNotConnectedException e) {
      return;
    }
    checkBacklog();
  }

  @Override
  public void send(SharedMessage message) {
    if (!isOpen()) {
      return;
    }
    try {
      wire.sendFrame(new SharedFrame(message));
    } catch (WebsocketNotConnectedException e) {
      return;
    }
    checkBacklog();
  }

  @Override
  public void send(String message) {
    if (!isOpen()) {
      return;
    }
    try {
      wire.send(message);
    } catch (WebsocketNotConnectedException e) {
      return;
    }
    checkBacklog();
  }

  private void checkBacklog() {
    long backlog = wire.backlog();
    if (backlog > engine.maxBufferedBytes() && slowClosing.compareAndSet(false, true)) {
      LOG.info("closing slow consumer {} on {}: {} bytes queued", remoteAddress, path, backlog);
      engine.closeAbruptlyLater(wire, 1013,
          "slow consumer: more than " + engine.maxBufferedBytes() + " bytes queued");
    }
  }

  @Override
  public void close(int code, String reason) {
    wire.close(code, fitCloseReason(reason));
  }

  /** A close frame's reason must fit in 123 UTF-8 bytes (RFC 6455 5.5); longer ones are cut. */
  static String fitCloseReason(String reason) {
    if (reason == null) {
      return "";
    }
    if (reason.length() <= 41) {
      return reason; // 41 chars * 3 bytes < 123
    }
    StringBuilder out = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < reason.length(); ) {
      int cp = reason.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (bytes + n > 123) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  @Override
  public boolean isOpen() {
    return wire.isOpen() && !slowClosing.get();
  }

  @Override
  public long bufferedBytes() {
    return wire.backlog();
  }

  @Override
  public Object attachment() {
    return attachment;
  }

  @Override
  public void attach(Object attachment) {
    this.attachment = attachment;
  }

  @Override
  public String toString() {
    return "Connection[" + remoteAddress + " " + path + "]";
  }

  // ---- events from the engine ----

  void opened() {
    long now = System.nanoTime();
    openedNanos = now;
    lastMessageNanos = now;
    lastPingNanos = now;
    // Queue onOpen before marking the connection opened, so a concurrent close always queues
    // its onClose behind it.
    mailbox.add(() -> handler.onOpen(this));
    engine.remember(this);
    opened = true;
    drain();
  }

  void text(String message) {
    lastMessageNanos = System.nanoTime();
    deliver(() -> handler.onText(this, message));
  }

  void binary(ByteBuffer message) {
    lastMessageNanos = System.nanoTime();
    deliver(() -> handler.onBinary(this, message));
  }

  void pong() {
    awaitingPong = false;
  }

  /** Called once the socket is closed; the handler's onClose runs after any queued callback. */
  void closed(int code, String reason, boolean remote) {
    if (!opened || !closeReported.compareAndSet(false, true)) {
      return;
    }
    mailbox.add(() -> {
      try {
        handler.onClose(this, code, reason == null ? "" : reason, remote);
      } finally {
        closeDelivered.countDown();
        engine.forget(this);
      }
    });
    engine.drainLater(this);
  }

  /** Waits until the handler's onClose has returned (false if it did not within the time). */
  boolean awaitCloseDelivered(long millis) throws InterruptedException {
    return closeDelivered.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private void deliver(Runnable callback) {
    if (closeReported.get()) {
      return;
    }
    mailbox.add(callback);
    drain();
  }

  /** Runs queued callbacks unless another thread is already doing so. */
  void drain() {
    while (!mailbox.isEmpty()) {
      if (!draining.compareAndSet(false, true)) {
        return;
      }
      try {
        Runnable next;
        while ((next = mailbox.poll()) != null) {
          runGuarded(next);
        }
      } finally {
        draining.set(false);
      }
    }
  }

  private void runGuarded(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | AssertionError e) {
      LOG.warn("handler failed on {}; closing that connection (1011)", this, e);
      try {
        wire.close(1011, "internal server error");
      } catch (RuntimeException ignored) {
        // the socket is already going away
      }
    }
  }
}
