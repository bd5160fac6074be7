package nodenogg.sync.server.websocket;

import static nodenogg.sync.server.websocket.SocketState.ANSWERED;
import static nodenogg.sync.server.websocket.SocketState.CLOSING;
import static nodenogg.sync.server.websocket.SocketState.DONE;
import static nodenogg.sync.server.websocket.SocketState.DRAINING;
import static nodenogg.sync.server.websocket.SocketState.HEAD;
import static nodenogg.sync.server.websocket.SocketState.OPEN;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. One accepted TCP socket, from its request head to its close, and the Connection that
 * handlers see once it is a WebSocket (RFC 6455, server side, no extensions, no subprotocols).
 * Decoding is the FrameReader's (bytes in, callbacks out), the output queue the FrameWriter's; this
 * class holds the socket's state (SocketState), reads the request head and routes it, turns decoded
 * frames into handler callbacks, and decides how the connection ends.
 *
 * Threads. The owning IoLoop's thread does all reading: the request head, frame decoding, and
 * every handler callback, so callbacks for one connection never overlap and need no mailbox.
 * Sending may come from any thread (a document executor broadcasting, a handler): frames are
 * written straight to the socket under this object's lock when nothing is queued, so a broadcast
 * costs no thread hop; only what the socket does not take is queued, and the loop writes it when
 * the socket becomes writable. The queue is capped (slow consumers are dropped with 1013).
 *
 * Lifecycle: see SocketState. The handler's onClose runs once, on the loop thread, as soon as the
 * close is decided and the close frame (if any) flushed, with the first close cause recorded.
 *
 * Memory per open socket: this object, its channel and key, lazily a send queue and a frame
 * header buffer; the request head is kept as raw bytes and parsed again only if a handler asks
 * for the headers. Everything else held for the client is charged to the server-wide MemoryBudget
 * before it is allocated: the request head while it is read (and the raw head kept afterwards),
 * every incoming data frame's payload and a fragmented message's reassembly buffer (FrameReader),
 * and every frame waiting in the send queue (FrameWriter; a broadcast frame shared by many sockets
 * is charged once). A charge that does not fit closes this socket with 1013 (before the upgrade:
 * HTTP 503).
 *
 * Slow consumers: a socket is cut when more than maxBufferedBytes wait behind the frame being
 * written, so one message of any size (a large update, a large initial sync) always goes out; the
 * cut drops the backlog and still sends a 1013 close frame after the partly written frame.
 */
final class AcceptedSocket implements Connection, IoLoop.Ready {

  private static final Logger LOG = LoggerFactory.getLogger(AcceptedSocket.class);

  private static final byte[] EMPTY = new byte[0];

  private final SocketServer server;
  final IoLoop loop;
  final SocketChannel channel;
  SelectionKey key;
  final long acceptedNanos = System.nanoTime();
  private volatile SocketState state = HEAD;
  private volatile long closingSinceNanos;

  // ---- loop thread only ----
  private byte[] head;
  private int headLength;
  private long headBufferCharged; // budget bytes held by the head buffer while the head is read
  private long headCharged; // budget bytes held by rawHead (for the connection's life)
  private SocketHandler handler;
  private volatile FrameReader
      reader; // once the socket is a WebSocket (read elsewhere only by heldBytes)
  private boolean opened;
  private boolean reported;
  private String path;
  private String query;
  private byte[] rawHead;
  private String remote;

  // ---- guarded by this ----
  private final FrameWriter writer;
  private boolean writeInterest;
  private boolean readPaused;
  private int closeCode;
  private String closeReason;
  private boolean closeRemote;

  // ---- liveness: loop thread only (received frames and the loop's tick) ----
  private long lastMessageNanos = acceptedNanos;
  private long lastPingNanos = acceptedNanos;
  private boolean awaitingPong;
  private volatile Object attachment;

  AcceptedSocket(SocketServer server, IoLoop loop, SocketChannel channel) {
    this.server = server;
    this.loop = loop;
    this.channel = channel;
    this.writer = new FrameWriter(channel, server.budget(), server.maxBufferedBytes());
  }

  SocketState state() {
    return state;
  }

  /** Bytes this socket holds charged to the budget (approximate when read from another thread). */
  long heldBytes() {
    long q;
    synchronized (this) {
      q = writer.queued();
    }
    FrameReader r = reader;
    return q + (r == null ? 0 : r.heldBytes()) + headBufferCharged + headCharged;
  }

  // =====================================================================================
  // Connection
  // =====================================================================================

  @Override
  public String path() {
    return path;
  }

  @Override
  public String query() {
    return query;
  }

  /** Parsed again from the raw request head on every call (the head is kept compact). */
  @Override
  public Map<String, String> headers() {
    byte[] raw = rawHead;
    if (raw == null) {
      return Collections.emptyMap();
    }
    try {
      return HttpHead.parse(raw, raw.length).headers;
    } catch (HttpHead.MalformedException e) {
      return Collections.emptyMap(); // it parsed once; cannot happen
    }
  }

  @Override
  public String remoteAddress() {
    String r = remote;
    if (r == null) {
      try {
        InetSocketAddress a = (InetSocketAddress) channel.getRemoteAddress();
        r = a == null ? "unknown" : a.getAddress().getHostAddress() + ":" + a.getPort();
      } catch (IOException | RuntimeException e) {
        r = "unknown";
      }
      remote = r;
    }
    return r;
  }

  @Override
  public void send(byte[] message) {
    if (state == OPEN) {
      enqueue(Frames.data(WebSocketCodes.OP_BINARY, message, 0, message.length), null, false);
    }
  }

  @Override
  public void send(SharedMessage message) {
    if (state == OPEN) {
      enqueue(message.frameView(), message, false);
    }
  }

  @Override
  public void send(String message) {
    if (state == OPEN) {
      byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
      enqueue(Frames.data(WebSocketCodes.OP_TEXT, utf8, 0, utf8.length), null, false);
    }
  }

  @Override
  public void close(int code, String reason) {
    if (code == WebSocketCodes.ABNORMAL) {
      abort(
          WebSocketCodes.ABNORMAL,
          reason); // "abnormal closure" is never sent in a frame: drop the socket
      return;
    }
    closeWith(
        WebSocketCodes.isSendable(code) ? code : WebSocketCodes.INTERNAL_ERROR,
        Frames.fitCloseReason(reason),
        false);
  }

  @Override
  public boolean isOpen() {
    return state == OPEN;
  }

  @Override
  public synchronized long bufferedBytes() {
    return writer.queued();
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
    return "Connection[" + remoteAddress() + " " + path + "]";
  }

  // =====================================================================================
  // Output (any thread)
  // =====================================================================================

  /**
   * Writes the frame now if nothing is queued, else queues it (charging the budget). Returns false
   * when output is closed. A socket with more than maxBufferedBytes behind the frame being written
   * is cut as a slow consumer (1013), and so is one whose backlog does not fit in the budget.
   */
  private synchronized boolean enqueue(ByteBuffer frame, SharedMessage shared, boolean last) {
    int size = frame.remaining();
    switch (writer.send(frame, shared, last)) {
      case WRITTEN:
        return true;
      case LAST_WRITTEN:
        afterCloseFrameFlushedLocked();
        return true;
      case QUEUED:
        wantWrite(true);
        return true;
      case BROKEN:
        brokenLocked(writer.error());
        return false;
      case OVER_BUDGET:
        LOG.info(
            "closing {} on {}: {} more bytes of backlog do not fit in the server's memory budget",
            remoteAddress(),
            path,
            size);
        cutLocked(
            WebSocketCodes.TRY_AGAIN_LATER,
            "server busy: memory budget exhausted; try again later");
        return false;
      case SLOW_CONSUMER:
        LOG.info(
            "closing slow consumer {} on {}: more than {} bytes queued behind the frame being written",
            remoteAddress(),
            path,
            server.maxBufferedBytes());
        cutLocked(
            WebSocketCodes.TRY_AGAIN_LATER,
            "slow consumer: more than " + server.maxBufferedBytes() + " bytes queued");
        return false;
      default: // CLOSED
        return false;
    }
  }

  private void wantWrite(boolean on) {
    if (writeInterest == on) {
      return;
    }
    writeInterest = on;
    updateInterestLocked(on);
  }

  /**
   * Applies the read and write interest to the selection key (wakes the loop when adding interest).
   */
  private void updateInterestLocked(boolean wake) {
    if (key == null) {
      return;
    }
    try {
      key.interestOps(
          (readPaused ? 0 : SelectionKey.OP_READ) | (writeInterest ? SelectionKey.OP_WRITE : 0));
    } catch (CancelledKeyException e) {
      return;
    }
    if (wake) {
      loop.wakeup();
    }
  }

  @Override
  public synchronized void pauseReading() {
    if (!readPaused) {
      readPaused = true;
      updateInterestLocked(false);
    }
  }

  @Override
  public synchronized void resumeReading() {
    if (readPaused) {
      readPaused = false;
      updateInterestLocked(true);
    }
  }

  /**
   * Cuts a connection whose output cannot keep up or does not fit: drops the backlog (the rest of a
   * partly written frame must still go out, or the stream would be corrupt), then sends the close
   * frame; the socket closes once it is flushed, or at the closing deadline if the peer never
   * reads.
   */
  private void cutLocked(int code, String reason) {
    if (state != OPEN) {
      abortLocked(code, reason);
      return;
    }
    writer.drop(true);
    causeLocked(code, reason, false);
    state = CLOSING;
    closingSinceNanos = System.nanoTime();
    enqueue(Frames.close(code, reason), null, true);
    // the handler hears of it now, not once a reader that may never read again took the close frame
    loop.execute(this::report);
  }

  /** The loop's writable event: flushes the queue. */
  private synchronized void flush() {
    switch (writer.flush()) {
      case BROKEN:
        brokenLocked(writer.error());
        return;
      case QUEUED:
        return;
      case LAST_WRITTEN:
        wantWrite(false);
        afterCloseFrameFlushedLocked();
        return;
      default: // WRITTEN
        wantWrite(false);
    }
  }

  /** Records why the connection closes, unless a cause is already recorded. */
  private void causeLocked(int code, String reason, boolean remote) {
    if (closeCode == 0) {
      closeCode = code;
      closeReason = reason == null ? "" : reason;
      closeRemote = remote;
    }
  }

  /** Starts a close handshake: queues the close frame; nothing else is sent afterwards. */
  private void closeWith(int code, String reason, boolean remote) {
    synchronized (this) {
      if (writer.isClosed() || (state != OPEN && state != ANSWERED && state != HEAD)) {
        return;
      }
      causeLocked(code, reason, remote);
      if (state != OPEN) {
        abortLocked(code, reason); // nothing to hand shake with
        return;
      }
      state = CLOSING;
      closingSinceNanos = System.nanoTime();
      enqueue(
          Frames.close(remote && code == WebSocketCodes.NO_STATUS ? -1 : code, reason), null, true);
    }
  }

  /** Runs under the lock once the close frame (or an HTTP answer) is fully written. */
  private void afterCloseFrameFlushedLocked() {
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      // the peer is gone already; the read side will see it
    }
    if (state != DONE) {
      state = DRAINING;
      if (closingSinceNanos == 0) {
        closingSinceNanos = System.nanoTime();
      }
    }
    loop.execute(this::report);
  }

  /** Drops the connection now without a close frame; the loop closes the socket. */
  private void abortLocked(int code, String reason) {
    causeLocked(code, reason, false);
    writer.drop(false);
    if (state != DONE) {
      state = CLOSING;
      if (closingSinceNanos == 0) {
        closingSinceNanos = System.nanoTime();
      }
    }
    loop.execute(this::finish);
  }

  /**
   * Any thread: closes the connection to free memory: the backlog is dropped and a close frame with
   * {@code code} sent (as for a slow consumer), and its incoming buffers are dropped on its loop.
   */
  void shed(int code, String reason) {
    synchronized (this) {
      if (state == DONE) {
        return;
      }
      cutLocked(code, reason);
    }
    loop.execute(this::dropIncoming);
  }

  /** Loop thread: drops a half-received frame or message; further input is ignored. */
  private void dropIncoming() {
    if (reader != null) {
      reader.stop();
    }
  }

  /** Any thread: drops the connection now (no close frame). */
  synchronized void abort(int code, String reason) {
    if (state != DONE) {
      abortLocked(code, reason);
    }
  }

  private void brokenLocked(IOException e) {
    LOG.debug("write to {} failed: {}", this, e.toString());
    abortLocked(WebSocketCodes.ABNORMAL, "");
  }

  // =====================================================================================
  // Loop thread: events
  // =====================================================================================

  @Override
  public void ready(SelectionKey k) {
    if (k.isValid() && k.isWritable()) {
      flush();
    }
    if (k.isValid() && k.isReadable()) {
      read();
    }
  }

  private void read() {
    ByteBuffer buffer = loop.readBuffer;
    buffer.clear();
    int n;
    try {
      n = channel.read(buffer);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      synchronized (this) {
        causeLocked(WebSocketCodes.ABNORMAL, "", true);
      }
      finish();
      return;
    }
    if (n == 0) {
      return;
    }
    byte[] bytes = buffer.array();
    SocketState s = state;
    if (s == HEAD) {
      readHead(bytes, n);
    } else if ((s == OPEN || s == CLOSING) && reader != null) {
      reader.read(bytes, 0, n);
    }
    // ANSWERED, DRAINING: input is dropped
  }

  private void readHead(byte[] bytes, int n) {
    if (headLength + n > server.maxHeadBytes()) {
      answer(HttpReply.text(431, "request head too large", null));
      return;
    }
    if (head == null) {
      int capacity = Math.max(512, n);
      if (!chargeHead(capacity)) {
        answer(HttpReply.text(503, "server busy; try again later", null));
        return;
      }
      head = new byte[capacity];
    }
    if (headLength + n > head.length) {
      int capacity = Math.min(server.maxHeadBytes(), Math.max(head.length * 2, headLength + n));
      if (!chargeHead(capacity - head.length)) {
        answer(HttpReply.text(503, "server busy; try again later", null));
        return;
      }
      head = Arrays.copyOf(head, capacity);
    }
    System.arraycopy(bytes, 0, head, headLength, n);
    headLength += n;
    int end = HttpHead.endOfHead(head, headLength);
    if (end < 0) {
      return;
    }
    HttpHead request;
    try {
      request = HttpHead.parse(head, end);
    } catch (HttpHead.MalformedException e) {
      answer(HttpReply.text(400, "bad request: " + e.getMessage(), null));
      return;
    }
    SocketServer.Route route = server.route(request, this);
    if (route.reply != null) {
      answer(route.reply);
      return;
    }
    byte[] rest = Arrays.copyOfRange(head, end, headLength);
    rawHead = Arrays.copyOf(head, end);
    head = null;
    headCharged = end; // the head's charge covers the raw head kept for headers(); the rest returns
    headBufferCharged -= end;
    releaseHead();
    path = request.path;
    query = request.query;
    handler = route.handler;
    synchronized (this) {
      state = OPEN;
      enqueue(route.upgrade, null, false);
    }
    if (state != OPEN) {
      return; // the 101 could not be written
    }
    opened = true;
    server.opened();
    reader = new FrameReader(server.maxMessageBytes(), server.budget(), new Incoming());
    try {
      handler.onOpen(this);
    } catch (RuntimeException | AssertionError e) {
      handlerFailed(e);
    }
    if (rest.length > 0 && state == OPEN) {
      reader.read(rest, 0, rest.length);
    }
  }

  /** Answers a plain HTTP request (or refuses an upgrade) and closes after the response. */
  private void answer(ByteBuffer reply) {
    head = null;
    releaseHead();
    synchronized (this) {
      state = ANSWERED;
      closingSinceNanos = System.nanoTime();
      enqueue(reply, null, true);
    }
  }

  /**
   * Charges request-head buffer bytes to the budget before they are allocated; false if they do not
   * fit.
   */
  private boolean chargeHead(long bytes) {
    if (!server.budget().tryCharge(bytes)) {
      return false;
    }
    headBufferCharged += bytes;
    return true;
  }

  private void releaseHead() {
    if (headBufferCharged > 0) {
      server.budget().release(headBufferCharged);
      headBufferCharged = 0;
    }
  }

  /** A handler callback threw: only this connection is closed (1011). */
  private void handlerFailed(Throwable e) {
    LOG.warn("handler failed on {}; closing that connection (1011)", this, e);
    close(WebSocketCodes.INTERNAL_ERROR, "internal server error");
  }

  /**
   * What the frame reader decodes, on the loop thread: handler callbacks and the close handshake.
   */
  private final class Incoming implements FrameReader.Callbacks {
    @Override
    public void onText(String text) {
      lastMessageNanos = System.nanoTime();
      try {
        handler.onText(AcceptedSocket.this, text);
      } catch (RuntimeException | AssertionError e) {
        handlerFailed(e);
      }
    }

    @Override
    public void onBinary(byte[] data, int length) {
      lastMessageNanos = System.nanoTime();
      try {
        handler.onBinary(AcceptedSocket.this, ByteBuffer.wrap(data, 0, length));
      } catch (RuntimeException | AssertionError e) {
        handlerFailed(e);
      }
    }

    @Override
    public void onPing(byte[] data, int length) {
      if (state == OPEN) {
        enqueue(Frames.data(WebSocketCodes.OP_PONG, data, 0, length), null, false);
      }
    }

    @Override
    public void onPong() {
      awaitingPong = false;
    }

    @Override
    public void onClose(int code, String reason) {
      if (state == OPEN) {
        closeWith(code, reason, true);
      } else {
        finish(); // the answer to our own close frame
      }
    }

    /** Refuses what the peer sent: close frame with the code, then the socket closes. */
    @Override
    public void onError(int code, String reason) {
      if (code == WebSocketCodes.TRY_AGAIN_LATER) {
        LOG.info(
            "closing {}: an incoming message does not fit in the server's memory budget",
            AcceptedSocket.this);
      } else {
        LOG.debug("closing {} with {}: {}", AcceptedSocket.this, code, reason);
      }
      if (state == OPEN) {
        closeWith(code, Frames.fitCloseReason(reason), false);
      } else {
        abort(code, reason);
      }
    }

    @Override
    public boolean reading() {
      SocketState s = state;
      return s == OPEN || s == CLOSING;
    }

    @Override
    public boolean acceptingMessages() {
      return state == OPEN;
    }
  }

  /**
   * Loop thread: tells the handler the connection closed (once), after the close frame went out.
   */
  void report() {
    if (reported || !opened) {
      return;
    }
    reported = true;
    int code;
    String reason;
    boolean remoteClose;
    synchronized (this) {
      code = closeCode == 0 ? WebSocketCodes.ABNORMAL : closeCode;
      reason = closeReason == null ? "" : closeReason;
      remoteClose = closeRemote;
    }
    try {
      handler.onClose(this, code, reason, remoteClose);
    } catch (RuntimeException | AssertionError e) {
      LOG.warn("handler failed in onClose on {}", this, e);
    } finally {
      server.closed();
    }
  }

  /** Loop thread: closes the socket and reports the close. Idempotent. */
  void finish() {
    synchronized (this) {
      if (state == DONE) {
        return;
      }
      state = DONE;
      writer.drop(false);
      causeLocked(WebSocketCodes.ABNORMAL, "", false);
    }
    if (reader != null) {
      reader.stop();
    }
    releaseHead();
    if (headCharged > 0) {
      server.budget().release(headCharged);
      headCharged = 0;
    }
    head = null;
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing a socket failed", e);
    }
    server.released(this);
    report();
  }

  /** Loop tick: pings, idle timeout, and deadlines for heads, answers and close handshakes. */
  void tick(long now, long handshakeNanos, long pingNanos, long idleNanos, long pingMillis) {
    SocketState s = state;
    if (s == HEAD) {
      if (now - acceptedNanos > handshakeNanos) {
        abort(WebSocketCodes.ABNORMAL, "request not completed in time");
      }
      return;
    }
    if (s != OPEN) {
      long since = closingSinceNanos;
      if (since != 0 && now - since > handshakeNanos) {
        finish();
      }
      return;
    }
    if (idleNanos > 0 && now - lastMessageNanos > idleNanos) {
      close(WebSocketCodes.NORMAL, "idle timeout");
      return;
    }
    if (pingNanos > 0 && now - lastPingNanos >= pingNanos) {
      if (awaitingPong) {
        abort(WebSocketCodes.ABNORMAL, "no pong within " + pingMillis + " ms");
        return;
      }
      awaitingPong = true;
      lastPingNanos = now;
      enqueue(Frames.data(WebSocketCodes.OP_PING, EMPTY, 0, 0), null, false);
    }
  }
}
