package nodenogg.sync.server.tracker;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.TestTime;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A tracker test client (Java-WebSocket) that queues the text frames it receives. */
final class TrackerSocket implements AutoCloseable {

  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocketClient client;

  TrackerSocket(String url) throws InterruptedException {
    client =
        new WebSocketClient(URI.create(url)) {
          @Override
          public void onOpen(ServerHandshake handshake) {}

          @Override
          public void onMessage(String message) {
            received.add(message);
          }

          @Override
          public void onMessage(ByteBuffer bytes) {
            received.add("binary:" + bytes.remaining());
          }

          @Override
          public void onClose(int code, String reason, boolean remote) {
            closed.complete(code);
          }

          @Override
          public void onError(Exception ex) {}
        };
    if (!client.connectBlocking(TestTime.seconds(5), TimeUnit.SECONDS)) {
      throw new AssertionError("could not connect to " + url);
    }
  }

  void send(String text) {
    client.send(text);
  }

  void sendBinary(byte[] bytes) {
    client.send(bytes);
  }

  /** The next frame; fails after a few seconds. */
  String next() throws InterruptedException {
    String m = received.poll(TestTime.seconds(5), TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within " + TestTime.seconds(5) + " s");
    }
    return m;
  }

  /** The next frame within ms, or null. */
  String poll(long ms) throws InterruptedException {
    return received.poll(ms, TimeUnit.MILLISECONDS);
  }

  int awaitClose() throws Exception {
    return closed.get(TestTime.seconds(5), TimeUnit.SECONDS);
  }

  boolean isOpen() {
    return client.isOpen();
  }

  @Override
  public void close() throws InterruptedException {
    client.closeBlocking();
  }
}
