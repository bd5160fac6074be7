package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.TestTime;

/** Echoes text and binary messages, and records opens and closes for assertions. */
class RecordingHandler implements SocketHandler {

  record Closed(Connection connection, int code, String reason, boolean remote) {}

  final BlockingQueue<Connection> opened = new LinkedBlockingQueue<>();
  final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();

  @Override
  public void onOpen(Connection connection) {
    opened.add(connection);
  }

  @Override
  public void onText(Connection connection, String message) {
    connection.send("echo:" + message);
  }

  @Override
  public void onBinary(Connection connection, ByteBuffer message) {
    byte[] copy = new byte[message.remaining()];
    message.get(copy);
    connection.send(copy);
  }

  @Override
  public void onClose(Connection connection, int code, String reason, boolean remote) {
    closed.add(new Closed(connection, code, reason, remote));
  }

  Connection awaitOpen() throws InterruptedException {
    Connection c = opened.poll(TestTime.seconds(5), TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no connection opened within 5 s");
    }
    return c;
  }

  Closed awaitClose() throws InterruptedException {
    Closed c = closed.poll(TestTime.seconds(5), TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("no connection closed within 5 s");
    }
    return c;
  }
}
