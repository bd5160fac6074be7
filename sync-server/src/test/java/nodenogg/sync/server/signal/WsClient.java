package nodenogg.sync.server.signal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.TestTime;

/** A test WebSocket client (JDK HttpClient) that queues received text messages. */
final class WsClient implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  final WebSocket socket;

  WsClient(String url) throws Exception {
    StringBuilder partial = new StringBuilder();
    socket =
        HTTP.newWebSocketBuilder()
            .buildAsync(
                URI.create(url),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      received.add(partial.toString());
                      partial.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                    closed.complete(statusCode);
                    return null;
                  }

                  @Override
                  public void onError(WebSocket ws, Throwable error) {
                    closed.complete(-1);
                  }
                })
            .get(TestTime.seconds(5), TimeUnit.SECONDS);
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  String next() throws InterruptedException {
    String m = received.poll(TestTime.seconds(5), TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no message within 5 s");
    }
    return m;
  }

  /** Asserts nothing more arrives within a short quiet period. */
  String poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  int awaitClose() throws Exception {
    return closed.get(TestTime.seconds(5), TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    socket.abort();
  }
}
