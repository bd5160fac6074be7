package nodenogg.sync.server.websocket;

import java.util.Map;

/**
 * One accepted WebSocket connection, as handlers see it. Implementations are thread-safe: any
 * thread may send or close. Sends never block; bytes queue in the connection's outgoing buffer, and
 * the server closes a connection whose backlog passes its limit (a slow consumer).
 */
public interface Connection {

  /**
   * Request path without the query string, not URL-decoded (e.g. {@code /sync}, {@code /room-1}).
   */
  String path();

  /** Raw query string without '?', or "" when there is none. */
  String query();

  /** Request headers, names lower-cased. */
  Map<String, String> headers();

  /** Remote address as {@code host:port}. */
  String remoteAddress();

  /** Sends one binary message. Ignored when the connection is closed. */
  void send(byte[] message);

  /**
   * Sends one binary message encoded once for many connections (a broadcast); the receiver sees
   * exactly what {@link #send(byte[])} of its payload would give. Ignored when closed.
   */
  default void send(SharedMessage message) {
    send(message.payload());
  }

  /** Sends one text message. Ignored when the connection is closed. */
  void send(String message);

  /**
   * Starts a close handshake with the given code and a reason (cut to the 123 UTF-8 bytes a close
   * frame holds). Codes a close frame may not carry are replaced: 1006 drops the socket without a
   * frame, other codes outside 1000–1003, 1007–1014 and 3000–4999 are sent as 1011.
   */
  void close(int code, String reason);

  boolean isOpen();

  /**
   * Stops reading this connection's input until {@link #resumeReading()}: backpressure for a
   * handler whose work for this connection has fallen behind (TCP then slows the client down).
   * Idempotent; any thread. By default nothing happens.
   */
  default void pauseReading() {}

  /** Reads this connection's input again after {@link #pauseReading()}. Idempotent; any thread. */
  default void resumeReading() {}

  /** Bytes queued for sending and not yet written to the socket. */
  long bufferedBytes();

  /** Per-connection state a handler keeps with the connection. */
  Object attachment();

  void attach(Object attachment);
}
