package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;

/**
 * Handles the WebSocket connections that {@link WebServer} routes to it by path. Callbacks for one
 * connection never run concurrently with each other; callbacks for different connections may. A
 * handler that throws from a callback gets that connection closed (1011), never the server.
 */
public interface SocketHandler {

  void onOpen(Connection connection);

  /** A text message. By default text is refused: the connection is closed with 1003. */
  default void onText(Connection connection, String message) {
    connection.close(1003, "text messages are not accepted on this path");
  }

  /** A binary message. By default binary is refused: the connection is closed with 1003. */
  default void onBinary(Connection connection, ByteBuffer message) {
    connection.close(1003, "binary messages are not accepted on this path");
  }

  /** The connection closed, for whatever reason; called once per opened connection. */
  void onClose(Connection connection, int code, String reason, boolean remote);
}
