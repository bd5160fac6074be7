package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;

/**
 * One binary message encoded once as a complete server-to-client WebSocket frame (RFC 6455 5.2:
 * FIN, opcode binary, unmasked), so a broadcast to many connections builds and copies the frame
 * once and every connection writes or queues its own view (position, limit) of the same bytes,
 * which nothing changes. Immutable; thread-safe.
 */
public final class SharedMessage {
  private final byte[] payload;
  private final ByteBuffer frame;
  // connections that queued a view (the frame's memory is charged once, while any of them holds it)
  private int holders; // guarded by this
  private MemoryBudget chargedTo; // guarded by this

  /** Wraps {@code payload} (not copied: the caller must not change it afterwards). */
  public SharedMessage(byte[] payload) {
    this.payload = payload;
    this.frame = Frames.data(2, payload, 0, payload.length);
  }

  /** The message body (what a receiver gets as one binary message). */
  public byte[] payload() {
    return payload;
  }

  /** A fresh view of the whole encoded frame, positioned at its start. */
  ByteBuffer frameView() {
    return frame.duplicate();
  }

  int frameLength() {
    return frame.capacity();
  }

  /**
   * A connection queues a view: the first holder charges the frame's bytes to {@code budget}.
   * Returns false (holding nothing) when they do not fit.
   */
  synchronized boolean hold(MemoryBudget budget) {
    if (holders == 0) {
      if (!budget.tryCharge(frameLength())) {
        return false;
      }
      chargedTo = budget;
    }
    holders++;
    return true;
  }

  /** A holder wrote or dropped its view; the last one returns the charge. */
  synchronized void unhold() {
    if (holders > 0 && --holders == 0) {
      chargedTo.release(frameLength());
      chargedTo = null;
    }
  }
}
