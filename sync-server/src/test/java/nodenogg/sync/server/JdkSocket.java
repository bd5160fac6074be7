package nodenogg.sync.server;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A raw WebSocket test client: records messages and the close code; can stop reading (slow
 * consumer).
 */
final class JdkSocket implements AutoCloseable {
  final List<byte[]> binary = new CopyOnWriteArrayList<>();
  final List<String> text = new CopyOnWriteArrayList<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  final WebSocket ws;
  private final boolean reading;

  JdkSocket(URI uri, boolean reading) throws Exception {
    this.reading = reading;
    ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                uri,
                new WebSocket.Listener() {
                  final ByteArrayOutputStream partial = new ByteArrayOutputStream();

                  @Override
                  public void onOpen(WebSocket webSocket) {
                    webSocket.request(1);
                  }

                  @Override
                  public CompletionStage<?> onBinary(
                      WebSocket webSocket, ByteBuffer data, boolean last) {
                    byte[] b = new byte[data.remaining()];
                    data.get(b);
                    partial.write(b, 0, b.length);
                    if (last) {
                      binary.add(partial.toByteArray());
                      partial.reset();
                    }
                    if (JdkSocket.this.reading) {
                      webSocket.request(1);
                    }
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    text.add(data.toString());
                    webSocket.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(
                      WebSocket webSocket, int statusCode, String reason) {
                    closed.complete(statusCode);
                    return null;
                  }

                  @Override
                  public void onError(WebSocket webSocket, Throwable error) {
                    closed.complete(-1);
                  }
                })
            .get(TestTime.seconds(10), TimeUnit.SECONDS);
  }

  void send(byte[] m) throws Exception {
    ws.sendBinary(ByteBuffer.wrap(m), true).get(TestTime.seconds(10), TimeUnit.SECONDS);
  }

  void sendText(String s) throws Exception {
    ws.sendText(s, true).get(TestTime.seconds(10), TimeUnit.SECONDS);
  }

  int awaitClose() throws Exception {
    return closed.get(TestTime.seconds(10), TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    ws.abort();
  }
}
