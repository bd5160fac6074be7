package nodenogg.sync.server.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.TestTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Plain HTTP on the WebSocket port, origins, routing, start and close. */
class WebServerHttpTest {

  private final RecordingHandler echo = new RecordingHandler();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private WebServer server;

  private WebServer start(List<String> origins) throws IOException {
    server =
        WebServer.builder()
            .bind("127.0.0.1", 0)
            .socket(p -> p.equals("/echo"), echo)
            .http(
                "/status",
                (method, path, headers) ->
                    HttpHandler.Response.json(
                        200, "{\"status\":\"ok\",\"method\":\"" + method + "\"}"))
            .http(
                "/boom",
                (method, path, headers) -> {
                  throw new IllegalStateException("handler bug");
                })
            .allowedOrigins(origins)
            .build()
            .start();
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private HttpResponse<String> get(String path, String origin) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(5));
    if (origin != null) {
      request.header("Origin", origin);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void plainGetIsAnsweredOnTheWebSocketPort() throws Exception {
    start(List.of());
    assertTrue(server.port() > 0);
    HttpResponse<String> response = get("/status", null);
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("content-type").orElse(null));
    assertEquals("{\"status\":\"ok\",\"method\":\"GET\"}", response.body());
    assertEquals(
        String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length),
        response.headers().firstValue("content-length").orElse(null));

    // The same port still upgrades to WebSocket.
    CompletableFuture<String> reply = new CompletableFuture<>();
    WebSocket ws =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + server.port() + "/echo"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    reply.complete(data.toString());
                    return null;
                  }
                })
            .get(TestTime.seconds(5), TimeUnit.SECONDS);
    ws.sendText("hello", true);
    assertEquals("echo:hello", reply.get(TestTime.seconds(5), TimeUnit.SECONDS));
    ws.abort();

    // And plain HTTP keeps working afterwards.
    assertEquals(200, get("/status", null).statusCode());
  }

  @Test
  void manyConcurrentPlainRequestsAreAllAnswered() throws Exception {
    start(List.of());
    List<CompletableFuture<HttpResponse<String>>> pending = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      pending.add(
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.port() + "/status?i=" + i))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : pending) {
      HttpResponse<String> r = f.get(TestTime.seconds(15), TimeUnit.SECONDS);
      assertEquals(200, r.statusCode());
      assertEquals("{\"status\":\"ok\",\"method\":\"GET\"}", r.body());
    }
  }

  @Test
  void curlGetsTheStatusPage() throws Exception {
    Assumptions.assumeTrue(
        new File("/usr/bin/curl").canExecute(), "curl is not installed at /usr/bin/curl");
    start(List.of());
    Process curl =
        new ProcessBuilder(
                "/usr/bin/curl",
                "-s",
                "-i",
                "--max-time",
                "5",
                "http://127.0.0.1:" + server.port() + "/status?x=1")
            .redirectErrorStream(true)
            .start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(curl.waitFor(TestTime.seconds(10), TimeUnit.SECONDS));
    assertEquals(0, curl.exitValue(), out);
    assertTrue(out.startsWith("HTTP/1.1 200 OK\r\n"), out);
    assertTrue(out.contains("Content-Type: application/json\r\n"), out);
    assertTrue(out.endsWith("\r\n\r\n{\"status\":\"ok\",\"method\":\"GET\"}"), out);
  }

  @Test
  void headOptionsUnknownPathsAndHandlerErrors() throws Exception {
    start(List.of());
    try (RawClient raw = new RawClient(server.port())) {
      raw.write("HEAD /status HTTP/1.1\r\nHost: x\r\n\r\n");
      String all = raw.readAll();
      assertTrue(all.startsWith("HTTP/1.1 200 OK\r\n"), all);
      assertTrue(all.endsWith("\r\n\r\n"), "HEAD must not carry a body: " + all);
    }
    try (RawClient raw = new RawClient(server.port())) {
      raw.write("OPTIONS /status HTTP/1.1\r\nHost: x\r\nOrigin: https://a.example\r\n\r\n");
      String all = raw.readAll();
      assertTrue(all.startsWith("HTTP/1.1 204 "), all);
      assertTrue(all.contains("Access-Control-Allow-Origin: https://a.example\r\n"), all);
    }
    assertEquals(404, get("/nothing-here", null).statusCode());
    assertEquals(426, get("/echo", null).statusCode());
    assertEquals(500, get("/boom", null).statusCode());
    assertEquals(200, get("/status", null).statusCode());
    try (RawClient raw = new RawClient(server.port())) {
      raw.write("NOT A REQUEST\r\n\r\n");
      assertTrue(raw.readAll().startsWith("HTTP/1.1 400 "));
    }
    try (RawClient raw = new RawClient(server.port())) {
      assertTrue(raw.upgrade("/nowhere", null).startsWith("HTTP/1.1 404 "));
    }
  }

  @Test
  void disallowedOriginsGet403OnHttpAndUpgrade() throws Exception {
    start(List.of("https://nodenogg.in/"));
    HttpResponse<String> denied = get("/status", "https://evil.example");
    assertEquals(403, denied.statusCode());
    HttpResponse<String> allowed = get("/status", "https://nodenogg.in");
    assertEquals(200, allowed.statusCode());
    assertEquals(
        "https://nodenogg.in",
        allowed.headers().firstValue("access-control-allow-origin").orElse(null));
    assertEquals(200, get("/status", null).statusCode(), "requests without Origin are allowed");

    try (RawClient raw = new RawClient(server.port())) {
      String head = raw.upgrade("/echo", "https://evil.example");
      assertTrue(head.startsWith("HTTP/1.1 403 "), head);
    }
    try (RawClient raw = new RawClient(server.port())) {
      String head = raw.upgrade("/echo", "https://NODENOGG.in");
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      echo.awaitOpen();
    }
    assertNull(echo.opened.poll(), "the refused upgrade must not open a connection");
  }

  @Test
  void oversizedRequestHeadAndSlowHeadAreCut() throws Exception {
    server =
        WebServer.builder()
            .socket(p -> true, echo)
            .handshakeTimeout(Duration.ofMillis(300))
            .build()
            .start();
    try (RawClient raw = new RawClient(server.port())) {
      raw.write("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
      assertTrue(raw.readAll().startsWith("HTTP/1.1 431 "));
    }
    try (RawClient raw = new RawClient(server.port())) {
      raw.write("GET / HTTP/1.1\r\nHost: x\r\n");
      long t0 = System.nanoTime();
      assertEquals("", raw.readAll(), "the server drops a socket that never finishes its request");
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(TestTime.seconds(4)));
    }
  }

  @Test
  void connectionsOverTheCapGet503() throws Exception {
    server = WebServer.builder().socket(p -> true, echo).maxConnections(2).build().start();
    try (RawClient a = new RawClient(server.port());
        RawClient b = new RawClient(server.port())) {
      assertTrue(a.upgrade("/", null).startsWith("HTTP/1.1 101 "));
      assertTrue(b.upgrade("/", null).startsWith("HTTP/1.1 101 "));
      try (RawClient c = new RawClient(server.port())) {
        assertTrue(c.upgrade("/", null).startsWith("HTTP/1.1 503 "));
      }
    }
  }

  @Test
  void portInUseFailsWithAClearErrorAndCloseReleasesThePort() throws Exception {
    start(List.of());
    int port = server.port();
    WebServer second = WebServer.builder().bind("127.0.0.1", port).build();
    IOException e = assertThrows(IOException.class, second::start);
    assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + port), e.getMessage());

    Connection[] seen = new Connection[1];
    CompletableFuture<Integer> clientClose = new CompletableFuture<>();
    http.newWebSocketBuilder()
        .buildAsync(
            URI.create("ws://127.0.0.1:" + port + "/echo"),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onClose(
                  WebSocket webSocket, int statusCode, String reason) {
                clientClose.complete(statusCode);
                return null;
              }
            })
        .get(TestTime.seconds(5), TimeUnit.SECONDS);
    seen[0] = echo.awaitOpen();
    assertEquals("/echo", seen[0].path());
    assertTrue(seen[0].headers().containsKey("sec-websocket-key"));
    assertTrue(seen[0].remoteAddress().startsWith("127.0.0.1:"));
    assertEquals(1, server.connectionCount());
    server.close();
    RecordingHandler.Closed closed = echo.closed.poll();
    assertTrue(closed != null, "onClose must run before close() returns");
    assertEquals(1001, closed.code());
    assertEquals(1001, clientClose.get(TestTime.seconds(5), TimeUnit.SECONDS));
    try (WebServer again =
        WebServer.builder()
            .bind("127.0.0.1", port)
            .http("/status", (m, p, h) -> HttpHandler.Response.json(200, "{}"))
            .build()
            .start()) {
      assertEquals(port, again.port());
    }
    assertThrows(IllegalStateException.class, () -> server.start());
  }
}
