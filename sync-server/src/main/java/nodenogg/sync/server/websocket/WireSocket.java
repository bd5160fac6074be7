package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Role;
import org.java_websocket.framing.CloseFrame;

/**
 * One accepted TCP connection as the WebSocket library sees it. Before the library parses
 * anything, {@link #decode} collects the request head itself and lets {@link Engine} decide: a
 * plain HTTP request is answered here (response queued, then the socket closes after flushing);
 * an allowed, routed upgrade is replayed into the library's own handshake code. Decoding for one
 * socket runs on one library worker thread at a time.
 */
final class WireSocket extends WebSocketImpl {

  enum Phase { HEAD, WEBSOCKET, ANSWERED }

  /** Reported as this socket's draft once a plain HTTP answer is queued, so the library closes
   * the socket after flushing it (it does so only for server-role drafts). */
  private static final Draft ANSWERED_DRAFT = answeredDraft();

  private final Engine engine;
  private final AtomicLong written = new AtomicLong();
  final long acceptedNanos = System.nanoTime();
  private volatile Phase phase = Phase.HEAD;
  private byte[] head = new byte[512];
  private int headLength;
  private final FrameMeter meter;
  private boolean refused;
  /** Set when the request head routed this socket to a {@link SocketHandler}. */
  volatile ServerConnection connection;

  WireSocket(Engine engine, List<Draft> drafts) {
    super(engine, drafts);
    this.engine = engine;
    this.meter = engine.newFrameMeter();
  }

  FrameMeter meter() {
    return meter;
  }

  private volatile long stalledSinceNanos;

  /** When housekeeping first saw this socket not open (its acceptance, if it never opened). */
  long stalledSince(long now) {
    if (connection == null || phase != Phase.WEBSOCKET) {
      return acceptedNanos;
    }
    if (stalledSinceNanos == 0) {
      stalledSinceNanos = now;
    }
    return stalledSinceNanos;
  }

  Phase phase() {
    return phase;
  }

  void addWritten(long n) {
    written.addAndGet(n);
  }

  /** Bytes produced for this socket and not yet written to it. */
  long backlog() {
    Draft draft = super.getDraft();
    if (!(draft instanceof CountingDraft)) {
      return 0;
    }
    return Math.max(0, ((CountingDraft) draft).produced() - written.get());
  }

  @Override
  public void decode(ByteBuffer socketBuffer) {
    Phase p = phase;
    if (p == Phase.WEBSOCKET) {
      if (admit(socketBuffer)) {
        super.decode(socketBuffer);
      }
      return;
    }
    if (p == Phase.ANSWERED) {
      socketBuffer.position(socketBuffer.limit());
      return;
    }
    int n = socketBuffer.remaining();
    if (headLength + n > engine.maxHeadBytes()) {
      answer(HttpReply.text(431, "request head too large", null));
      return;
    }
    if (headLength + n > head.length) {
      head = Arrays.copyOf(head, Math.max(head.length * 2, headLength + n));
    }
    socketBuffer.get(head, headLength, n);
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
    ByteBuffer reply = engine.route(this, request);
    if (reply != null) {
      answer(reply);
      return;
    }
    phase = Phase.WEBSOCKET;
    ByteBuffer all = ByteBuffer.wrap(head, 0, headLength);
    ByteBuffer frames = ByteBuffer.wrap(head, end, headLength - end);
    head = null;
    if (admit(frames)) {
      super.decode(all);
    }
  }

  /** Charges large incoming frames to the server-wide budget; refuses the socket past it. */
  private boolean admit(ByteBuffer bytes) {
    if (refused) {
      bytes.position(bytes.limit());
      return false;
    }
    if (meter.scan(bytes)) {
      return true;
    }
    refused = true;
    bytes.position(bytes.limit());
    close(1013, "server busy: too many large messages in flight; retry later");
    return false;
  }

  /** Queues a complete HTTP response and closes the socket once it is flushed. */
  private void answer(ByteBuffer reply) {
    phase = Phase.ANSWERED;
    head = null;
    outQueue.add(reply);
    engine.onWriteDemand(this);
    flushAndClose(CloseFrame.NORMAL, "plain HTTP request answered", false);
  }

  @Override
  public Draft getDraft() {
    Draft draft = super.getDraft();
    if (draft == null && phase == Phase.ANSWERED) {
      return ANSWERED_DRAFT;
    }
    return draft;
  }

  private static Draft answeredDraft() {
    Draft draft = new Draft_6455();
    draft.setParseMode(Role.SERVER);
    return draft;
  }
}
