package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows the frame boundaries of one connection's incoming byte stream (without consuming it) so
 * that large frames can be charged to a server-wide budget before the WebSocket library sees
 * them. The library allocates a frame's whole declared payload as soon as its header arrives;
 * without a shared budget, N sockets that each send one large header and then trickle bytes
 * would hold N times the message cap. A frame whose declared payload is at least
 * {@code threshold} bytes reserves that many bytes until its last byte has arrived.
 * Scanning runs on the connection's decoding thread only; {@link #close()} may come from any
 * thread, so reservations are guarded by this object's monitor.
 */
final class FrameMeter {

  /** The server-wide budget shared by all connections. Thread-safe. */
  static final class Budget {
    private final AtomicLong available;

    Budget(long bytes) {
      available = new AtomicLong(bytes);
    }

    boolean tryReserve(long bytes) {
      while (true) {
        long now = available.get();
        if (now < bytes) {
          return false;
        }
        if (available.compareAndSet(now, now - bytes)) {
          return true;
        }
      }
    }

    void release(long bytes) {
      available.addAndGet(bytes);
    }

    long available() {
      return available.get();
    }
  }

  private final Budget budget;
  private final long threshold;
  private final byte[] header = new byte[14];
  private int headerLength;
  private int headerNeeded = 2;
  private long payloadRemaining;
  private long reserved;
  private boolean closed;

  FrameMeter(Budget budget, long threshold) {
    this.budget = budget;
    this.threshold = threshold;
  }

  /**
   * Scans the buffer's remaining bytes (its position is left unchanged). Returns false when a
   * large frame cannot be admitted because the budget is spent.
   */
  boolean scan(ByteBuffer buffer) {
    int pos = buffer.position();
    int limit = buffer.limit();
    while (pos < limit) {
      if (payloadRemaining > 0) {
        long take = Math.min(payloadRemaining, limit - pos);
        pos += (int) take;
        payloadRemaining -= take;
        if (payloadRemaining == 0) {
          release();
        }
        continue;
      }
      header[headerLength++] = buffer.get(pos++);
      if (headerLength == 2) {
        int len7 = header[1] & 0x7f;
        boolean masked = (header[1] & 0x80) != 0;
        headerNeeded = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (masked ? 4 : 0);
      }
      if (headerLength >= 2 && headerLength == headerNeeded) {
        long payload = payloadLength();
        headerLength = 0;
        headerNeeded = 2;
        if (payload < 0) {
          return true; // a length the library refuses itself (1009/1002)
        }
        if (payload >= threshold && !reserve(payload)) {
          return false;
        }
        payloadRemaining = payload;
        if (payload == 0) {
          release();
        }
      }
    }
    return true;
  }

  private long payloadLength() {
    int len7 = header[1] & 0x7f;
    if (len7 < 126) {
      return len7;
    }
    if (len7 == 126) {
      return ((header[2] & 0xff) << 8) | (header[3] & 0xff);
    }
    long n = 0;
    for (int i = 2; i < 10; i++) {
      n = (n << 8) | (header[i] & 0xff);
    }
    return n;
  }

  private synchronized boolean reserve(long bytes) {
    if (closed) {
      return true; // nothing more is decoded on a closed connection
    }
    if (!budget.tryReserve(bytes)) {
      return false;
    }
    reserved = bytes;
    return true;
  }

  /** Returns the current frame's reservation to the budget (the frame is complete). */
  private synchronized void release() {
    if (reserved > 0) {
      budget.release(reserved);
      reserved = 0;
    }
  }

  /** The connection closed: returns any reservation, and takes no new ones. Any thread. */
  synchronized void close() {
    closed = true;
    release();
  }

  synchronized long reserved() {
    return reserved;
  }
}
