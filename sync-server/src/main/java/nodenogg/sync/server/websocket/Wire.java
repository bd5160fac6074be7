package nodenogg.sync.server.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design. One accepted TCP socket, from its request head to its close, and the Connection that
 * handlers see once it is a WebSocket (RFC 6455, server side, no extensions, no subprotocols).
 *
 * Threads. The owning IoLoop's thread does all reading: the request head, frame decoding, and
 * every handler callback, so callbacks for one connection never overlap and need no mailbox.
 * Sending may come from any thread (a document executor broadcasting, a handler): frames are
 * written straight to the socket under this object's lock when nothing is queued, so a broadcast
 * costs no thread hop; only what the socket does not take is queued, and the loop writes it when
 * the socket becomes writable. The queue is capped (slow consumers are dropped with 1013).
 *
 * Lifecycle (state): HEAD (collecting the request head) -> OPEN (WebSocket) or ANSWERED (a plain
 * HTTP response being flushed) -> CLOSING (a close frame sent or queued; nothing more is sent) ->
 * DRAINING (output shut down after the close frame was flushed; input is read and dropped until
 * the peer closes, so unread bytes never turn our close into a reset) -> DONE (socket closed).
 * The handler's onClose runs once, on the loop thread, as soon as the close is decided and the
 * close frame (if any) flushed, with the first close cause recorded.
 *
 * Memory per open socket: this object, its channel and key, lazily a send queue and a frame
 * header buffer; the request head is kept as raw bytes and parsed again only if a handler asks
 * for the headers. Large incoming frames (>= 64 KiB) reserve their size from a server-wide
 * budget while they are being received.
 */
final class Wire implements Connection, IoLoop.Ready {

  private static final Logger LOG = LoggerFactory.getLogger(Wire.class);

  static final int HEAD = 0;
  static final int OPEN = 1;
  static final int ANSWERED = 2;
  static final int CLOSING = 3;
  static final int DRAINING = 4;
  static final int DONE = 5;

  private static final byte[] EMPTY = new byte[0];

  private final Engine engine;
  final IoLoop loop;
  final SocketChannel channel;
  SelectionKey key;
  final long acceptedNanos = System.nanoTime();
  private volatile int state = HEAD;
  private volatile long closingSinceNanos;

  // ---- loop thread only ----
  private byte[] head;
  private int headLength;
  private SocketHandler handler;
  private boolean opened;
  private boolean reported;
  private String path;
  private String query;
  private byte[] rawHead;
  private String remote;
  // frame decoding
  private byte[] frameHead;
  private int frameHeadLength;
  private int frameHeadNeeded;
  private int opcode;
  private boolean fin;
  private int mask;
  private long payloadLeft;
  private byte[] payload;
  private int payloadPos;
  private long reserved;
  private int messageOpcode; // opcode of the fragmented message being assembled, 0 = none
  private byte[] message;
  private int messageLength;
  private boolean refused; // a protocol error was answered: further input is dropped

  // ---- guarded by this ----
  private ArrayDeque<ByteBuffer> out;
  private long queued;
  private boolean outputClosed;
  private boolean writeInterest;
  private boolean shutdownAfterFlush;
  private int closeCode;
  private String closeReason;
  private boolean closeRemote;

  // ---- liveness: loop thread only (received frames and the loop's tick) ----
  private long lastMessageNanos = acceptedNanos;
  private long lastPingNanos = acceptedNanos;
  private boolean awaitingPong;
  private volatile Object attachment;

  Wire(Engine engine, IoLoop loop, SocketChannel channel) {
    this.engine = engine;
    this.loop = loop;
    this.channel = channel;
  }

  int state() {
    return state;
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
      enqueue(Frames.data(2, message, 0, message.length), false);
    }
  }

  @Override
  public void send(SharedMessage message) {
    if (state == OPEN) {
      enqueue(message.frameView(), false);
    }
  }

  @Override
  public void send(String message) {
    if (state == OPEN) {
      byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
      enqueue(Frames.data(1, utf8, 0, utf8.length), false);
    }
  }

  @Override
  public void close(int code, String reason) {
    if (code == 1006) {
      abort(1006, reason); // "abnormal closure" is never sent in a frame: drop the socket
      return;
    }
    closeWith(Frames.validCloseCode(code) ? code : 1011, Frames.fitCloseReason(reason), false);
  }

  @Override
  public boolean isOpen() {
    return state == OPEN;
  }

  @Override
  public synchronized long bufferedBytes() {
    return queued;
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
   * Writes the frame now if nothing is queued, else queues it. Returns false when output is
   * closed. Past the backlog cap the connection is dropped as a slow consumer.
   */
  private synchronized boolean enqueue(ByteBuffer frame, boolean last) {
    if (outputClosed) {
      return false;
    }
    if (last) {
      outputClosed = true;
    }
    if (out == null || out.isEmpty()) {
      try {
        channel.write(frame);
      } catch (IOException e) {
        brokenLocked(e);
        return false;
      }
      if (!frame.hasRemaining()) {
        if (last) {
          afterCloseFrameFlushedLocked();
        }
        return true;
      }
    }
    if (out == null) {
      out = new ArrayDeque<>(4);
    }
    out.add(frame);
    queued += frame.remaining();
    if (queued > engine.maxBufferedBytes() && !last) {
      long backlog = queued;
      LOG.info("closing slow consumer {} on {}: {} bytes queued", remoteAddress(), path, backlog);
      abortLocked(1013, "slow consumer: more than " + engine.maxBufferedBytes() + " bytes queued");
      return false;
    }
    if (last) {
      shutdownAfterFlush = true;
    }
    wantWrite(true);
    return true;
  }

  private void wantWrite(boolean on) {
    if (writeInterest == on) {
      return;
    }
    writeInterest = on;
    try {
      key.interestOps(on ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    } catch (CancelledKeyException e) {
      return;
    }
    if (on) {
      loop.wakeup();
    }
  }

  /** The loop's writable event: flushes the queue. */
  private synchronized void flush() {
    if (out == null) {
      wantWrite(false);
      return;
    }
    ByteBuffer next;
    while ((next = out.peek()) != null) {
      int before = next.remaining();
      try {
        channel.write(next);
      } catch (IOException e) {
        brokenLocked(e);
        return;
      }
      queued -= before - next.remaining();
      if (next.hasRemaining()) {
        return;
      }
      out.poll();
    }
    out = null;
    wantWrite(false);
    if (shutdownAfterFlush) {
      shutdownAfterFlush = false;
      afterCloseFrameFlushedLocked();
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
      if (outputClosed || (state != OPEN && state != ANSWERED && state != HEAD)) {
        return;
      }
      causeLocked(code, reason, remote);
      if (state != OPEN) {
        abortLocked(code, reason); // nothing to hand shake with
        return;
      }
      state = CLOSING;
      closingSinceNanos = System.nanoTime();
      enqueue(Frames.close(remote && code == 1005 ? -1 : code, reason), true);
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
    outputClosed = true;
    out = null;
    queued = 0;
    if (state != DONE) {
      state = CLOSING;
      if (closingSinceNanos == 0) {
        closingSinceNanos = System.nanoTime();
      }
    }
    loop.execute(this::finish);
  }

  /** Any thread: drops the connection now (no close frame). */
  synchronized void abort(int code, String reason) {
    if (state != DONE) {
      abortLocked(code, reason);
    }
  }

  private void brokenLocked(IOException e) {
    LOG.debug("write to {} failed: {}", this, e.toString());
    abortLocked(1006, "");
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
        causeLocked(1006, "", true);
      }
      finish();
      return;
    }
    if (n == 0) {
      return;
    }
    byte[] bytes = buffer.array();
    int s = state;
    if (s == HEAD) {
      readHead(bytes, n);
    } else if ((s == OPEN || s == CLOSING) && !refused) {
      readFrames(bytes, 0, n);
    }
    // ANSWERED, DRAINING: input is dropped
  }

  private void readHead(byte[] bytes, int n) {
    if (head == null) {
      head = new byte[Math.max(512, n)];
    }
    if (headLength + n > engine.maxHeadBytes()) {
      answer(HttpReply.text(431, "request head too large", null));
      return;
    }
    if (headLength + n > head.length) {
      head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + n));
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
    Engine.Route route = engine.route(request, this);
    if (route.reply != null) {
      answer(route.reply);
      return;
    }
    byte[] rest = Arrays.copyOfRange(head, end, headLength);
    rawHead = Arrays.copyOf(head, end);
    head = null;
    path = request.path;
    query = request.query;
    handler = route.handler;
    synchronized (this) {
      state = OPEN;
      enqueue(route.upgrade, false);
    }
    if (state != OPEN) {
      return; // the 101 could not be written
    }
    opened = true;
    engine.opened();
    frameHead = new byte[14];
    deliver(CALLBACK_OPEN, null, 0, 0);
    if (rest.length > 0 && state == OPEN) {
      readFrames(rest, 0, rest.length);
    }
  }

  /** Answers a plain HTTP request (or refuses an upgrade) and closes after the response. */
  private void answer(ByteBuffer reply) {
    head = null;
    synchronized (this) {
      state = ANSWERED;
      closingSinceNanos = System.nanoTime();
      enqueue(reply, true);
    }
  }

  private void readFrames(byte[] b, int off, int end) {
    while (off < end) {
      if (payloadLeft > 0) {
        int take = (int) Math.min(payloadLeft, end - off);
        byte[] dst = payload;
        int pos = payloadPos;
        int m = mask;
        int phase = frameOffset();
        for (int i = 0; i < take; i++) {
          int shift = 24 - (((phase + i) & 3) << 3);
          dst[pos + i] = (byte) (b[off + i] ^ (m >>> shift));
        }
        off += take;
        payloadPos = pos + take;
        payloadLeft -= take;
        if (payloadLeft == 0) {
          frameComplete();
          if (state != OPEN && state != CLOSING) {
            return;
          }
        }
        continue;
      }
      frameHead[frameHeadLength++] = b[off++];
      if (frameHeadLength == 2) {
        if ((frameHead[1] & 0x80) == 0) {
          frameHeadLength = 0;
          protocolError(1002, "client frames must be masked");
          return;
        }
        int len7 = frameHead[1] & 0x7f;
        frameHeadNeeded = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
      }
      if (frameHeadLength >= 2 && frameHeadLength == frameHeadNeeded) {
        frameHeadLength = 0;
        if (!frameHeader()) {
          return;
        }
        if (payloadLeft == 0) {
          frameComplete();
          if (state != OPEN && state != CLOSING) {
            return;
          }
        }
      }
      if (refused) {
        return;
      }
    }
  }

  private int frameStart; // payloadPos at which the current frame's payload began

  private int frameOffset() {
    return payloadPos - frameStart;
  }

  /** Validates a complete frame header and prepares its payload buffer; false if refused. */
  private boolean frameHeader() {
    int b0 = frameHead[0] & 0xff;
    int b1 = frameHead[1] & 0xff;
    fin = (b0 & 0x80) != 0;
    opcode = b0 & 0x0f;
    if ((b0 & 0x70) != 0) {
      return protocolError(1002, "reserved bits set without a negotiated extension");
    }
    int len7 = b1 & 0x7f;
    long length;
    int at;
    if (len7 < 126) {
      length = len7;
      at = 2;
    } else if (len7 == 126) {
      length = ((frameHead[2] & 0xff) << 8) | (frameHead[3] & 0xff);
      at = 4;
    } else {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = (length << 8) | (frameHead[i] & 0xff);
      }
      if (length < 0) {
        return protocolError(1002, "frame length out of range");
      }
      at = 10;
    }
    mask = ((frameHead[at] & 0xff) << 24) | ((frameHead[at + 1] & 0xff) << 16)
        | ((frameHead[at + 2] & 0xff) << 8) | (frameHead[at + 3] & 0xff);
    boolean control = opcode >= 8;
    if (control) {
      if (opcode > 10) {
        return protocolError(1002, "unknown opcode " + opcode);
      }
      if (!fin || length > 125) {
        return protocolError(1002, "control frames must be final and at most 125 bytes");
      }
      payload = length == 0 ? EMPTY : new byte[(int) length];
      payloadPos = 0;
      frameStart = 0;
      payloadLeft = length;
      return true;
    }
    if (opcode > 2) {
      return protocolError(1002, "unknown opcode " + opcode);
    }
    if (opcode == 0 && messageOpcode == 0) {
      return protocolError(1002, "continuation frame without a message to continue");
    }
    if (opcode != 0 && messageOpcode != 0) {
      return protocolError(1002, "new message before the previous one was finished");
    }
    long total = (opcode == 0 ? messageLength : 0) + length;
    if (total > engine.maxMessageBytes()) {
      return protocolError(1009, "message too big: limit is " + engine.maxMessageBytes() + " bytes");
    }
    if (length >= Engine.LARGE_FRAME_BYTES) {
      if (!engine.budget().tryReserve(length)) {
        return protocolError(1013, "server busy: too many large messages in flight; retry later");
      }
      reserved = length;
    }
    if (opcode != 0 && fin) {
      payload = length == 0 ? EMPTY : new byte[(int) length]; // a whole message in one frame
      payloadPos = 0;
    } else {
      if (opcode != 0) {
        messageOpcode = opcode;
        messageLength = 0;
        message = new byte[(int) Math.max(256, length)];
      } else if (message.length < total) {
        message = Arrays.copyOf(message, (int) Math.min(engine.maxMessageBytes(),
            Math.max(total, 2L * message.length)));
      }
      payload = message;
      payloadPos = messageLength;
    }
    frameStart = payloadPos;
    payloadLeft = length;
    return true;
  }

  private void frameComplete() {
    if (reserved > 0) {
      engine.budget().release(reserved);
      reserved = 0;
    }
    int op = opcode;
    if (op >= 8) {
      control(op, payload, payloadPos);
      payload = null;
      return;
    }
    byte[] data = payload;
    int length;
    int messageOp;
    if (op != 0) {
      if (!fin) {
        messageLength = payloadPos;
        payload = null;
        return;
      }
      messageOp = op;
      length = payloadPos;
    } else {
      messageLength = payloadPos;
      if (!fin) {
        payload = null;
        return;
      }
      messageOp = messageOpcode;
      length = messageLength;
      messageOpcode = 0;
      message = null;
      messageLength = 0;
    }
    payload = null;
    if (state != OPEN) {
      return; // after our close frame, data is dropped
    }
    lastMessageNanos = System.nanoTime();
    if (messageOp == 1) {
      deliver(CALLBACK_TEXT, data, 0, length);
    } else {
      deliver(CALLBACK_BINARY, data, 0, length);
    }
  }

  private void control(int op, byte[] data, int length) {
    if (op == 10) {
      awaitingPong = false;
      return;
    }
    if (op == 9) {
      if (state == OPEN) {
        enqueue(Frames.data(10, data, 0, length), false);
      }
      return;
    }
    // close
    int code;
    String reason = "";
    if (length == 0) {
      code = 1005;
    } else if (length == 1) {
      protocolError(1002, "close frame with a one-byte payload");
      return;
    } else {
      code = ((data[0] & 0xff) << 8) | (data[1] & 0xff);
      if (!Frames.validCloseCode(code)) {
        protocolError(1002, "invalid close code " + code);
        return;
      }
      try {
        reason = decodeUtf8(data, 2, length - 2);
      } catch (CharacterCodingException e) {
        protocolError(1007, "close reason is not valid UTF-8");
        return;
      }
    }
    if (state == OPEN) {
      closeWith(code, reason, true);
    } else {
      finish(); // the answer to our own close frame
    }
  }

  /** Refuses what the peer sent: close frame with the code, then the socket closes. */
  private boolean protocolError(int code, String reason) {
    LOG.debug("closing {} with {}: {}", this, code, reason);
    refused = true;
    if (reserved > 0) {
      engine.budget().release(reserved);
      reserved = 0;
    }
    payload = null;
    payloadLeft = 0;
    message = null;
    if (state == OPEN) {
      closeWith(code, Frames.fitCloseReason(reason), false);
    } else {
      abort(code, reason);
    }
    return false;
  }

  private static final int CALLBACK_OPEN = 0;
  private static final int CALLBACK_TEXT = 1;
  private static final int CALLBACK_BINARY = 2;

  /** Runs one handler callback; a handler that throws gets this connection closed with 1011. */
  private void deliver(int callback, byte[] data, int off, int length) {
    try {
      switch (callback) {
        case CALLBACK_OPEN:
          handler.onOpen(this);
          break;
        case CALLBACK_TEXT:
          String text;
          try {
            text = decodeUtf8(data, off, length);
          } catch (CharacterCodingException e) {
            protocolError(1007, "text message is not valid UTF-8");
            return;
          }
          handler.onText(this, text);
          break;
        default:
          handler.onBinary(this, ByteBuffer.wrap(data, off, length));
          break;
      }
    } catch (RuntimeException | AssertionError e) {
      LOG.warn("handler failed on {}; closing that connection (1011)", this, e);
      close(1011, "internal server error");
    }
  }

  private static String decodeUtf8(byte[] b, int off, int length) throws CharacterCodingException {
    if (length == 0) {
      return "";
    }
    boolean ascii = true;
    for (int i = off; i < off + length; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, off, length, StandardCharsets.ISO_8859_1);
    }
    CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(b, off, length));
    return chars.toString();
  }

  /** Loop thread: tells the handler the connection closed (once), after the close frame went out. */
  void report() {
    if (reported || !opened) {
      return;
    }
    reported = true;
    int code;
    String reason;
    boolean remoteClose;
    synchronized (this) {
      code = closeCode == 0 ? 1006 : closeCode;
      reason = closeReason == null ? "" : closeReason;
      remoteClose = closeRemote;
    }
    try {
      handler.onClose(this, code, reason, remoteClose);
    } catch (RuntimeException | AssertionError e) {
      LOG.warn("handler failed in onClose on {}", this, e);
    } finally {
      engine.closed();
    }
  }

  /** Loop thread: closes the socket and reports the close. Idempotent. */
  void finish() {
    synchronized (this) {
      if (state == DONE) {
        return;
      }
      state = DONE;
      outputClosed = true;
      out = null;
      queued = 0;
      causeLocked(1006, "", false);
    }
    if (reserved > 0) {
      engine.budget().release(reserved);
      reserved = 0;
    }
    payload = null;
    message = null;
    head = null;
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing a socket failed", e);
    }
    engine.released();
    report();
  }

  /** Loop tick: pings, idle timeout, and deadlines for heads, answers and close handshakes. */
  void tick(long now, long handshakeNanos, long pingNanos, long idleNanos, long pingMillis) {
    int s = state;
    if (s == HEAD) {
      if (now - acceptedNanos > handshakeNanos) {
        abort(1006, "request not completed in time");
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
      close(1000, "idle timeout");
      return;
    }
    if (pingNanos > 0 && now - lastPingNanos >= pingNanos) {
      if (awaitingPong) {
        abort(1006, "no pong within " + pingMillis + " ms");
        return;
      }
      awaitingPong = true;
      lastPingNanos = now;
      enqueue(Frames.data(9, EMPTY, 0, 0), false);
    }
  }
}
