package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.sync.protocol.Hocuspocus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./microcosm serve} as an operator runs it: graceful SIGTERM (stop accepting, every
 * received update durable and acknowledged, sockets closed with 1001, exit 0), refusals at WARN
 * with remote address and document and never the token, rate-limited; {@code --log-format json} and
 * {@code --log-level}.
 */
class ServeOperationsProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** A raw WebSocket client that records binary messages and the close code. */
  static final class Client implements AutoCloseable {
    final List<byte[]> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final WebSocket ws;

    Client(int port, String path) throws Exception {
      ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + port + path),
                  new WebSocket.Listener() {
                    final ByteArrayOutputStream partial = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                      byte[] b = new byte[data.remaining()];
                      data.get(b);
                      partial.write(b, 0, b.length);
                      if (last) {
                        received.add(partial.toByteArray());
                        partial.reset();
                      }
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
              .get(Await.scaled(10_000), TimeUnit.MILLISECONDS);
    }

    void send(byte[] m) throws Exception {
      ws.sendBinary(ByteBuffer.wrap(m), true).get(Await.scaled(10_000), TimeUnit.MILLISECONDS);
    }

    long count(int type) {
      return received.stream().filter(m -> Hocuspocus.decode(m).type() == type).count();
    }

    @Override
    public void close() {
      ws.abort();
    }
  }

  private static long acks(Client c) {
    return c.received.stream()
        .filter(
            m -> {
              Hocuspocus.Frame f = Hocuspocus.decode(m);
              return f.type() == Hocuspocus.SYNC_STATUS && f.body().readVarUint() == 1;
            })
        .count();
  }

  @Test
  void sigtermStopsGracefullyAndExitsZero() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("serve.log");
    Doc author = new Doc();
    List<byte[]> updates = new ArrayList<>();
    author.onUpdate((u, origin, tx) -> updates.add(u));
    for (int i = 0; i < 50; i++) {
      author.getMap("notes").set("k" + i, "note " + i);
    }
    ServeProcess p = new ServeProcess(data, log);
    try (Client c = new Client(p.awaitPort(), "/sync")) {
      int port = p.awaitPort();
      c.send(Hocuspocus.authToken("microcosm-1", "default", null));
      c.send(Hocuspocus.syncUpdate("microcosm-1", updates.get(0)));
      Await.until("the document is open and writing", 10_000, () -> acks(c) == 1);
      for (byte[] u : updates.subList(1, updates.size())) {
        c.send(Hocuspocus.syncUpdate("microcosm-1", u));
      }
      int exit = p.terminate(); // SIGTERM while updates are in flight
      assertEquals(0, exit, "a graceful stop exits 0");
      assertEquals(
          1001,
          c.closed.get(Await.scaled(10_000), TimeUnit.MILLISECONDS),
          "closed with 1001 going away");
      assertTrue(
          c.received.stream().anyMatch(m -> Hocuspocus.decode(m).type() == Hocuspocus.CLOSE),
          "Hocuspocus clients are told the document closes");
      assertThrows(
          ConnectException.class,
          () -> new Socket("127.0.0.1", port).close(),
          "no longer accepting");
      long acked = acks(c);
      try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(data)) {
        Doc back = new Doc();
        for (byte[] u : store.load("microcosm-1")) {
          nodenogg.crdt.Updates.applyUpdate(back, u);
        }
        // acknowledgements go out in order: the first `acked` updates are k0 .. k(acked-1)
        for (int i = 0; i < acked; i++) {
          assertTrue(
              back.getMap("notes").has("k" + i),
              "acknowledged k" + i + " is in the store after SIGTERM");
        }
        assertTrue(
            back.getMap("notes").size() >= acked,
            back.getMap("notes").size() + " stored, " + acked + " acked");
      }
      String text = Files.readString(log);
      assertTrue(text.contains("stop requested: shutting down gracefully signal=SIGTERM"), text);
      assertTrue(text.contains("sync server stopped: store flushed"), text);
    } finally {
      p.close();
    }
  }

  @Test
  void refusalsAreLoggedAtWarnWithAddressAndDocumentButNeverTheToken() throws Exception {
    Path log = dir.resolve("serve.log");
    String secret = "s3cret-doc-token";
    String guess = "guessed-token-42";
    ServeProcess p =
        new ServeProcess(
            Map.of(),
            log,
            List.of(
                "--memory",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--token",
                secret,
                "--allowed-origins",
                "https://nodenogg.in"));
    try {
      int port = p.awaitPort();
      try (Client wrong = new Client(port, "/sync?token=" + guess)) {
        wrong.send(Hocuspocus.authToken("workshop-notes", guess, null));
        Await.until("permission denied", 10_000, () -> wrong.count(Hocuspocus.AUTH) > 0);
      }
      // a y-websocket client with the token in its query string
      try (Client ws = new Client(port, "/another-doc?token=" + guess)) {
        assertEquals(4401, ws.closed.get(Await.scaled(10_000), TimeUnit.MILLISECONDS));
      }
      for (int i = 0; i < 25; i++) {
        String r =
            ServeEnvironmentProcessTest.upgrade(port, "/sync", "Origin: https://evil.example\r\n");
        assertTrue(r.startsWith("HTTP/1.1 403 "), r);
      }
      try (Client good = new Client(port, "/sync")) {
        good.send(Hocuspocus.authToken("workshop-notes", secret, null));
        Await.until("authenticated", 10_000, () -> good.count(Hocuspocus.AUTH) > 0);
        good.send(Hocuspocus.syncUpdate("workshop-notes", new byte[] {9, 9, 9}));
        assertEquals(1002, good.closed.get(Await.scaled(10_000), TimeUnit.MILLISECONDS));
      }
      Await.until(
          "refusal lines written",
          10_000,
          () -> {
            try {
              String t = Files.readString(log);
              return t.contains("reason=bad_input") && t.contains("document=another-doc");
            } catch (IOException e) {
              return false;
            }
          });
      String text = Files.readString(log);
      assertFalse(text.contains(secret), "the configured token is never logged");
      assertFalse(text.contains(guess), "a presented token is never logged (nor the query string)");
      List<String> warn = text.lines().filter(l -> l.contains(" WARN ")).toList();
      String tokenLine =
          warn.stream()
              .filter(l -> l.contains("reason=token") && l.contains("document=workshop-notes"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no token refusal line: " + text));
      assertTrue(tokenLine.matches(".*remote=127\\.0\\.0\\.1:\\d+.*"), tokenLine);
      assertTrue(tokenLine.contains("token not accepted"), tokenLine);
      assertTrue(
          warn.stream()
              .anyMatch(l -> l.contains("reason=token") && l.contains("document=another-doc")),
          text);
      assertTrue(
          warn.stream()
              .anyMatch(
                  l ->
                      l.contains("reason=bad_input")
                          && l.contains("document=workshop-notes")
                          && l.contains("1002")),
          text);
      long originLines = warn.stream().filter(l -> l.contains("reason=origin")).count();
      assertTrue(
          originLines >= 1 && originLines <= 10,
          "25 refused origins, rate-limited to 10 lines: " + originLines);
      assertTrue(
          warn.stream()
              .anyMatch(
                  l ->
                      l.contains("reason=origin")
                          && l.contains("evil.example")
                          && l.matches(".*remote=127\\.0\\.0\\.1:\\d+.*")),
          text);
      // every refusal is still counted
      String metrics =
          new String(
              java.net.http.HttpClient.newHttpClient()
                  .send(
                      java.net.http.HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + port + "/metrics"))
                          .build(),
                      java.net.http.HttpResponse.BodyHandlers.ofByteArray())
                  .body());
      assertTrue(metrics.contains("nodenogg_sync_refusals_total{reason=\"origin\"} 25"), metrics);
      assertTrue(metrics.contains("nodenogg_sync_refusals_total{reason=\"token\"} 2"), metrics);
    } finally {
      p.close();
    }
  }

  @Test
  void jsonLinesAndLogLevel() throws Exception {
    Path log = dir.resolve("serve.log");
    ServeProcess p =
        new ServeProcess(
            Map.of(),
            log,
            List.of("--memory", "--host", "127.0.0.1", "--port", "0", "--log-format", "json"));
    try {
      int port = p.awaitPort();
      try (Client c = new Client(port, "/sync")) {
        c.send(Hocuspocus.authToken("json-doc", "default", null));
        Await.until("authenticated", 10_000, () -> c.count(Hocuspocus.AUTH) > 0);
      }
      Await.until(
          "connection closed line",
          10_000,
          () -> {
            try {
              return Files.readString(log).contains("\"message\":\"connection closed\"");
            } catch (IOException e) {
              return false;
            }
          });
      assertEquals(0, p.terminate());
      List<JsonNode> lines = new ArrayList<>();
      for (String l : Files.readAllLines(log)) {
        lines.add(JSON.readTree(l)); // every line is one JSON object
      }
      JsonNode started =
          lines.stream()
              .filter(n -> n.path("message").asText().equals("microcosm serve started"))
              .findFirst()
              .orElseThrow();
      assertEquals("INFO", started.get("level").asText());
      assertEquals(port, started.get("port").asInt());
      assertEquals("memory", started.get("store").asText());
      assertEquals("none (every client read-write)", started.get("token").asText());
      JsonNode auth =
          lines.stream()
              .filter(n -> n.path("message").asText().equals("connection authenticated"))
              .findFirst()
              .orElseThrow();
      assertEquals("json-doc", auth.get("document").asText());
      assertEquals("read-write", auth.get("access").asText());
      JsonNode closed =
          lines.stream()
              .filter(n -> n.path("message").asText().equals("connection closed"))
              .findFirst()
              .orElseThrow();
      assertEquals("json-doc", closed.get("documents").get(0).asText());
      assertTrue(closed.get("code").isInt());
      assertTrue(
          lines.stream()
              .anyMatch(
                  n ->
                      n.path("message").asText().equals("document loaded")
                          && n.path("document").asText().equals("json-doc")));
      assertTrue(
          lines.stream().anyMatch(n -> n.path("message").asText().equals("document unloaded")));
      for (JsonNode n : lines) {
        assertTrue(
            n.has("time") && n.has("level") && n.has("logger") && n.has("message"), n.toString());
      }
    } finally {
      p.close();
    }
    Files.delete(log);
    ServeProcess quiet =
        new ServeProcess(
            Map.of(),
            log,
            List.of("--memory", "--host", "127.0.0.1", "--port", "0", "--log-level", "warn"));
    try {
      int port = quiet.awaitPort();
      assertTrue(
          ServeEnvironmentProcessTest.upgrade(port, "/room", "").startsWith("HTTP/1.1 101 "));
      assertEquals(0, quiet.terminate());
      String text = Files.readString(log);
      assertFalse(text.contains(" INFO "), "--log-level warn: no INFO lines: " + text);
    } finally {
      quiet.close();
    }
  }
}
