package nodenogg.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nodenogg.crdt.Doc;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.protocol.YWebsocketProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} and {@code GET /status} after a known load over real sockets, on the SQLite
 * store: every counter is checked against what the test clients sent and received.
 */
class ServerMetricsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ADMIN = "admin-secret";

  @TempDir Path dir;

  static HttpResponse<String> get(SyncServer s, String path, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
    headers.forEach(r::header);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Prometheus samples by {@code name{labels}} (exact text of the series). */
  static Map<String, Double> parse(String text) {
    Map<String, Double> out = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^([a-z_]+(?:\\{[^}]*\\})?) (\\S+)$").matcher(text);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }

  static Map<String, Double> metrics(SyncServer s) throws Exception {
    HttpResponse<String> r = get(s, "/metrics", Map.of("Authorization", "Bearer " + ADMIN));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(
        r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
    return parse(r.body());
  }

  static void await(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
    long end = System.currentTimeMillis() + TestTime.seconds(20) * 1000L;
    while (!c.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out: " + what);
      }
      Thread.sleep(10);
    }
  }

  static long acks(JdkSocket s) {
    return s.binary.stream()
        .filter(
            m -> {
              Hocuspocus.Frame f = Hocuspocus.decode(m);
              return f.type() == Hocuspocus.SYNC_STATUS && f.body().readVarUint() == 1;
            })
        .count();
  }

  static long bytes(List<byte[]> messages) {
    return messages.stream().mapToLong(m -> m.length).sum();
  }

  @Test
  void countersMatchAKnownLoad() throws Exception {
    // 30 real Yjs updates from one client document
    Doc author = new Doc();
    List<byte[]> updates = new ArrayList<>();
    author.onUpdate((u, origin, tx) -> updates.add(u));
    for (int i = 0; i < 30; i++) {
      author.getMap("notes").set("k" + i, "value " + i);
    }
    assertEquals(30, updates.size());

    try (SyncServer s =
        SyncServer.builder()
            .port(0)
            .dataDirectory(dir)
            .hooks(new TokenAuthHooks("doc-token", null, null))
            .allowedOrigins(List.of("https://ok.example"))
            .adminToken(ADMIN)
            .build()
            .start()) {
      URI sync = URI.create("ws://127.0.0.1:" + s.port() + "/sync");
      List<byte[]> sentA = new ArrayList<>();
      List<byte[]> sentB = new ArrayList<>();
      try (JdkSocket a = new JdkSocket(sync, true);
          JdkSocket b = new JdkSocket(sync, true)) {
        for (JdkSocket c : List.of(a, b)) {
          List<byte[]> sent = c == a ? sentA : sentB;
          byte[] auth = Hocuspocus.authToken("m", "doc-token", null);
          byte[] step1 = Hocuspocus.syncStep1("m", new byte[] {0});
          c.send(auth);
          c.send(step1);
          sent.add(auth);
          sent.add(step1);
        }
        for (byte[] u : updates) {
          byte[] m = Hocuspocus.syncUpdate("m", u);
          a.send(m);
          sentA.add(m);
        }
        await("30 acknowledgements", () -> acks(a) == 30);

        Map<String, Double> m = metrics(s);
        String hp = "{protocol=\"hocuspocus\"}";
        assertEquals(2, m.get("nodenogg_sync_connections" + hp));
        assertEquals(2, m.get("nodenogg_sync_connections_opened_total" + hp));
        assertEquals(
            sentA.size() + sentB.size(), m.get("nodenogg_sync_messages_received_total" + hp));
        assertEquals(bytes(sentA) + bytes(sentB), m.get("nodenogg_sync_received_bytes_total" + hp));
        assertEquals(30, m.get("nodenogg_sync_updates_applied_total"));
        assertEquals(30, m.get("nodenogg_sync_update_apply_seconds_count"));
        assertEquals(
            m.get("nodenogg_sync_update_apply_seconds_count"),
            m.get("nodenogg_sync_update_apply_seconds_bucket{le=\"+Inf\"}"));
        assertEquals(bytes(updates), m.get("nodenogg_sync_update_bytes_total"));
        assertEquals(30, m.get("nodenogg_sync_store_commit_seconds_count"));
        assertTrue(m.get("nodenogg_sync_store_commit_seconds_sum") > 0);
        assertEquals(0, m.get("nodenogg_sync_store_queue_depth"));
        assertEquals(1, m.get("nodenogg_sync_documents_open"));
        assertTrue(m.get("nodenogg_sync_store_last_commit_timestamp_seconds") > 1.6e9);
        // what the server sent is what the two clients received (polled: the last messages may be
        // in flight)
        await(
            "sent counters match what the clients received",
            () -> {
              try {
                Map<String, Double> now = metrics(s);
                return now.get("nodenogg_sync_messages_sent_total" + hp)
                        == a.binary.size() + b.binary.size()
                    && now.get("nodenogg_sync_sent_bytes_total" + hp)
                        == bytes(a.binary) + bytes(b.binary);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });

        // refusals: a wrong document token, a refused origin, a malformed update
        try (JdkSocket wrong = new JdkSocket(sync, true)) {
          wrong.send(Hocuspocus.authToken("m", "not-the-token", null));
          await("permission denied", () -> !wrong.binary.isEmpty());
        }
        HttpResponse<String> evil =
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/status"))
                    .header("Origin", "https://evil.example")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, evil.statusCode());
        try (JdkSocket bad = new JdkSocket(sync, true)) {
          bad.send(Hocuspocus.authToken("m", "doc-token", null));
          await("authenticated", () -> !bad.binary.isEmpty());
          bad.send(Hocuspocus.syncUpdate("m", new byte[] {5, 1, 2}));
          assertEquals(1002, bad.awaitClose());
        }
        await(
            "three refusals counted",
            () -> {
              try {
                Map<String, Double> now = metrics(s);
                return now.getOrDefault("nodenogg_sync_refusals_total{reason=\"token\"}", 0.0) == 1
                    && now.getOrDefault("nodenogg_sync_refusals_total{reason=\"origin\"}", 0.0) == 1
                    && now.getOrDefault("nodenogg_sync_refusals_total{reason=\"bad_input\"}", 0.0)
                        == 1;
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });

        JsonNode st =
            JSON.readTree(get(s, "/status", Map.of("Authorization", "Bearer " + ADMIN)).body());
        assertEquals("ok", st.get("status").asText());
        assertEquals(SyncServer.NAME, st.get("name").asText());
        assertEquals(SyncServer.VERSION, st.get("version").asText());
        assertTrue(st.get("uptime_seconds").asDouble() > 0);
        assertEquals(2, st.at("/connections/hocuspocus").asInt());
        assertEquals(2, st.at("/connections/total").asInt());
        assertEquals(1, st.get("documents_open").asInt());
        assertEquals("sqlite", st.at("/store/kind").asText());
        assertTrue(st.at("/store/healthy").asBoolean());
        assertEquals(0, st.at("/store/queue_depth").asInt());
        assertEquals(30, st.at("/store/commits").asLong());
        assertNotNull(java.time.Instant.parse(st.at("/store/last_commit").asText()));
        assertTrue(st.at("/signalling/mounted").asBoolean());
        assertEquals(0, st.at("/signalling/rooms").asInt());
      }
      await("connections closed", () -> s.status().connectionCount() == 0);
      assertEquals(0, metrics(s).get("nodenogg_sync_connections{protocol=\"hocuspocus\"}"));
    }
  }

  @Test
  void adminTokenGuardsMetricsAndTheDetailsOfStatus() throws Exception {
    try (SyncServer s = SyncServer.builder().port(0).adminToken(ADMIN).build().start()) {
      HttpResponse<String> open = get(s, "/metrics", Map.of());
      assertEquals(401, open.statusCode());
      assertTrue(open.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
      assertEquals(401, get(s, "/metrics", Map.of("Authorization", "Bearer wrong")).statusCode());
      assertEquals(
          200, get(s, "/metrics", Map.of("Authorization", "Bearer " + ADMIN)).statusCode());
      // the nodenogg.in server's public liveness reply stays open; the details need the token
      JsonNode pub = JSON.readTree(get(s, "/status", Map.of()).body());
      assertEquals(List.of("status", "name", "version"), fieldNames(pub));
      JsonNode full =
          JSON.readTree(get(s, "/status", Map.of("Authorization", "Bearer " + ADMIN)).body());
      assertTrue(
          full.has("uptime_seconds") && full.has("store") && full.has("connections"),
          full.toString());
      await(
          "refusal counted",
          () -> metricsOrZero(s, "nodenogg_sync_refusals_total{reason=\"admin_token\"}") == 2);
    }
    try (SyncServer s = SyncServer.builder().port(0).build().start()) {
      assertEquals(
          200, get(s, "/metrics", Map.of()).statusCode(), "no admin token configured: open");
      assertTrue(JSON.readTree(get(s, "/status", Map.of()).body()).has("store"));
    }
  }

  private static double metricsOrZero(SyncServer s, String series) {
    return parse(s.metrics()).getOrDefault(series, 0.0);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void yWebsocketAndSignallingAreCountedUnderTheirOwnProtocol() throws Exception {
    try (SyncServer s = SyncServer.builder().port(0).build().start()) {
      try (JdkSocket room =
              new JdkSocket(URI.create("ws://127.0.0.1:" + s.port() + "/room-1"), true);
          JdkSocket sig =
              new JdkSocket(URI.create("ws://127.0.0.1:" + s.port() + "/signal"), true)) {
        await("step1 from the server", () -> !room.binary.isEmpty());
        room.send(YWebsocketProtocol.step1(new byte[] {0}));
        sig.sendText("{\"type\":\"subscribe\",\"topics\":[\"t1\",\"t2\"]}");
        await("two rooms", () -> s.status().signallingRooms() == 2);
        Map<String, Double> m = parse(s.metrics());
        assertEquals(1, m.get("nodenogg_sync_connections{protocol=\"y-websocket\"}"));
        assertEquals(1, m.get("nodenogg_sync_connections{protocol=\"signalling\"}"));
        assertEquals(1, m.get("nodenogg_sync_messages_received_total{protocol=\"y-websocket\"}"));
        assertEquals(1, m.get("nodenogg_sync_messages_received_total{protocol=\"signalling\"}"));
        assertEquals(2, m.get("nodenogg_sync_signalling_rooms"));
        assertFalse(
            m.containsKey("nodenogg_sync_connections{protocol=\"hocuspocus\"}")
                && m.get("nodenogg_sync_connections{protocol=\"hocuspocus\"}") != 0);
      }
    }
  }
}
