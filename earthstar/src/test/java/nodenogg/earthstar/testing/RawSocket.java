package nodenogg.earthstar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw WebSocket client for protocol tests: sends whatever it is told, records what it gets. */
public final class RawSocket implements AutoCloseable {
  public final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  public final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket ws;
  private final StringBuilder partial = new StringBuilder();

  public RawSocket(String uri) throws Exception {
    ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(uri),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      texts.add(partial.toString());
                      partial.setLength(0);
                    }
                    w.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                    w.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                    closed.complete(code);
                    return null;
                  }

                  @Override
                  public void onError(WebSocket w, Throwable error) {
                    closed.complete(-1);
                  }
                })
            .get(10, TimeUnit.SECONDS);
  }

  public synchronized void send(String text) throws Exception {
    ws.sendText(text, true).get(10, TimeUnit.SECONDS);
  }

  public synchronized void sendBinary(byte[] bytes) throws Exception {
    ws.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
  }

  public void sendClose() throws Exception {
    ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
  }

  /**
   * The next message whose kind is {@code kind} (others are skipped); fails after {@code seconds}.
   */
  public JsonNode next(String kind, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      long left = end - System.nanoTime();
      String t = left > 0 ? texts.poll(left, TimeUnit.NANOSECONDS) : null;
      if (t == null) {
        throw new AssertionError("no " + kind + " within " + seconds + " s");
      }
      JsonNode n = EarthstarJs.JSON.readTree(t);
      if (kind.equals(n.path("kind").asText())) {
        return n;
      }
    }
  }

  @Override
  public void close() {
    ws.abort();
  }
}
