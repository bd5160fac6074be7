package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;

/**
 * One binary message encoded once as a complete server-to-client WebSocket frame (RFC 6455 5.2:
 * FIN, opcode binary, unmasked), so a broadcast to many connections builds and copies the frame
 * once and every connection queues its own view (position, limit) of the same bytes, which nothing writes. Immutable; thread-safe.
 */
public final class SharedMessage {
  private final byte[] payload;
  private final ByteBuffer frame;

  /** Wraps {@code payload} (not copied: the caller must not change it afterwards). */
  public SharedMessage(byte[] payload) {
    this.payload = payload;
    int n = payload.length;
    int head = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    byte[] f = new byte[head + n];
    f[0] = (byte) 0x82; // FIN + binary
    if (n < 126) {
      f[1] = (byte) n;
    } else if (n <= 0xFFFF) {
      f[1] = 126;
      f[2] = (byte) (n >>> 8);
      f[3] = (byte) n;
    } else {
      f[1] = 127;
      long len = n;
      for (int i = 0; i < 8; i++) {
        f[2 + i] = (byte) (len >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, f, head, n);
    this.frame = ByteBuffer.wrap(f); // not read-only: the library reads array() when tracing
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
}
