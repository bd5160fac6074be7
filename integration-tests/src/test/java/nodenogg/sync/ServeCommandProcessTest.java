package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./microcosm serve --memory --signal-port 0}: status page, /signal on the main port, the
 * standalone signalling port, SIGTERM.
 */
class ServeCommandProcessTest {
  @TempDir Path dir;

  private static boolean pongs(URI uri) throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> pong = new CompletableFuture<>();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                uri,
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    got.add(data.toString());
                    if (data.toString().contains("pong")) {
                      pong.complete(null);
                    }
                    w.request(1);
                    return null;
                  }
                })
            .get(Await.scaled(10_000), TimeUnit.MILLISECONDS);
    ws.sendText("{\"type\":\"ping\"}", true).get(Await.scaled(10_000), TimeUnit.MILLISECONDS);
    pong.get(Await.scaled(10_000), TimeUnit.MILLISECONDS);
    ws.abort();
    return got.stream().anyMatch(t -> t.contains("pong"));
  }

  @Test
  void serveAnswersStatusAndSignallingAndStopsOnSigterm() throws Exception {
    try (ServeProcess p =
        new ServeProcess(
            dir.resolve("unused"), dir.resolve("serve.log"), "--memory", "--signal-port", "0")) {
      int port = p.awaitPort();
      Matcher m =
          Pattern.compile("signalling also on port (\\d+)").matcher(String.join("\n", p.lines));
      assertTrue(m.find(), String.valueOf(p.lines));
      int signalPort = Integer.parseInt(m.group(1));
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().startsWith("{\"status\":\"ok\",\"name\":\"nodenogg-sync\""), r.body());
      assertTrue(pongs(URI.create("ws://127.0.0.1:" + port + "/signal")));
      assertTrue(pongs(URI.create("ws://127.0.0.1:" + signalPort)));
      int exit = p.terminate();
      assertEquals(0, exit, "a graceful stop on SIGTERM exits 0");
    }
  }
}
