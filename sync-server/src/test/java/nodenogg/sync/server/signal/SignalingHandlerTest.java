package nodenogg.sync.server.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.TestTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The signalling protocol and its limits, against a standalone SignalingServer. */
class SignalingHandlerTest {

  private SignalingServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String url(String path) {
    return "ws://127.0.0.1:" + server.port() + path;
  }

  private void awaitSubscribers(String topic, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestTime.seconds(5));
    while (server.handler().subscriberCount(topic) != n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(n, server.handler().subscriberCount(topic), "subscribers of " + topic);
  }

  @Test
  void publishReachesEverySubscriberIncludingTheSenderWithAClientCount() throws Exception {
    server = SignalingServer.start("127.0.0.1", 0, List.of());
    try (WsClient a = new WsClient(url("/"));
        WsClient b = new WsClient(url("/any/path"));
        WsClient c = new WsClient(url("/"))) {
      a.send("{\"type\":\"subscribe\",\"topics\":[\"room\",42,\"other\"]}");
      b.send("{\"type\":\"subscribe\",\"topics\":[\"room\"]}");
      c.send("{\"type\":\"subscribe\",\"topics\":[\"elsewhere\"]}");
      awaitSubscribers("room", 2);
      awaitSubscribers("elsewhere", 1);
      assertEquals(3, server.handler().topicCount(), "non-string topics are skipped");

      // data is relayed byte for byte: number spelling, key order and spacing untouched
      a.send(
          "{\"type\":\"publish\",\"topic\":\"room\",\"data\":{\"z\":1.50, \"a\":123456789012345678901234567890,\"from\":\"p1\"}}");
      String expected =
          "{\"type\":\"publish\",\"topic\":\"room\",\"data\":{\"z\":1.50, \"a\":123456789012345678901234567890,\"from\":\"p1\"},\"clients\":2}";
      assertEquals(expected, a.next());
      assertEquals(expected, b.next());

      // an encrypted payload is an opaque base64 string
      b.send("{\"type\":\"publish\",\"topic\":\"room\",\"data\":\"AAdBRVMtR0NNDA==\"}");
      String enc =
          "{\"type\":\"publish\",\"topic\":\"room\",\"data\":\"AAdBRVMtR0NNDA==\",\"clients\":2}";
      assertEquals(enc, a.next());
      assertEquals(enc, b.next());

      // an existing clients member is replaced, as the stock server's assignment does
      a.send("{\"type\":\"publish\",\"topic\":\"room\",\"clients\":99,\"data\":1}");
      assertEquals("{\"type\":\"publish\",\"topic\":\"room\",\"clients\":2,\"data\":1}", a.next());
      b.next();

      c.send("{\"type\":\"ping\"}");
      assertEquals("{\"type\":\"pong\"}", c.next());
      assertNull(c.poll(100), "c is not subscribed to room");

      // publishing to a topic without subscribers, and unknown types, are no-ops
      c.send("{\"type\":\"publish\",\"topic\":\"nobody\",\"data\":{}}");
      c.send("{\"type\":\"whatever\"}");
      c.send("[1,2,3]");
      c.send("{\"type\":\"ping\"}");
      assertEquals("{\"type\":\"pong\"}", c.next());
      assertEquals(3, server.handler().topicCount());
    }
  }

  @Test
  void unsubscribeAndCloseFreeTopics() throws Exception {
    server = SignalingServer.start("127.0.0.1", 0, List.of());
    try (WsClient a = new WsClient(url("/"));
        WsClient b = new WsClient(url("/"))) {
      a.send("{\"type\":\"subscribe\",\"topics\":[\"t1\",\"t2\"]}");
      b.send("{\"type\":\"subscribe\",\"topics\":[\"t1\"]}");
      awaitSubscribers("t1", 2);
      b.send("{\"type\":\"unsubscribe\",\"topics\":[\"t1\"]}");
      awaitSubscribers("t1", 1);
      a.send("{\"type\":\"publish\",\"topic\":\"t1\",\"data\":\"x\"}");
      assertEquals(
          "{\"type\":\"publish\",\"topic\":\"t1\",\"data\":\"x\",\"clients\":1}", a.next());
      assertNull(b.poll(100));
      a.send("{\"type\":\"unsubscribe\",\"topics\":[\"t1\"]}");
      awaitSubscribers("t1", 0);
      assertEquals(1, server.handler().topicCount(), "the empty topic t1 is freed");
      a.socket.sendClose(1000, "bye").join();
      assertEquals(1000, a.awaitClose());
      awaitSubscribers("t2", 0);
      assertEquals(0, server.handler().topicCount());
    }
  }

  @Test
  void badJsonOversizedFramesAndFloodsCloseOnlyTheirSocket() throws Exception {
    SignalingLimits limits = new SignalingLimits(4, 64, 4096, 50, 20);
    server = SignalingServer.start("127.0.0.1", 0, List.of(), limits);
    try (WsClient good = new WsClient(url("/"));
        WsClient peer = new WsClient(url("/"))) {
      good.send("{\"type\":\"subscribe\",\"topics\":[\"r\"]}");
      peer.send("{\"type\":\"subscribe\",\"topics\":[\"r\"]}");
      awaitSubscribers("r", 2);

      try (WsClient bad = new WsClient(url("/"))) {
        bad.send("{\"type\":\"subscribe\",\"topics\":[\"r\"]}");
        awaitSubscribers("r", 3);
        bad.send("{\"type\":\"publish\",");
        assertEquals(1007, bad.awaitClose());
        awaitSubscribers("r", 2);
      }
      try (WsClient bad = new WsClient(url("/"))) {
        bad.send("{\"type\":\"ping\"} trailing");
        assertEquals(1007, bad.awaitClose());
      }
      try (WsClient bad = new WsClient(url("/"))) {
        bad.sendBinary(new byte[] {(byte) 0xff, (byte) 0xfe});
        assertEquals(1007, bad.awaitClose());
      }
      try (WsClient big = new WsClient(url("/"))) {
        big.send("{\"type\":\"publish\",\"topic\":\"r\",\"data\":\"" + "x".repeat(5000) + "\"}");
        assertEquals(1009, big.awaitClose());
      }
      try (WsClient flood = new WsClient(url("/"))) {
        flood.send("{\"type\":\"subscribe\",\"topics\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}");
        assertEquals(1008, flood.awaitClose());
      }
      try (WsClient longName = new WsClient(url("/"))) {
        longName.send("{\"type\":\"subscribe\",\"topics\":[\"" + "n".repeat(65) + "\"]}");
        assertEquals(1008, longName.awaitClose());
      }
      try (WsClient spam = new WsClient(url("/"))) {
        for (int i = 0; i < 200 && !spam.closed.isDone(); i++) {
          try {
            spam.send("{\"type\":\"ping\"}");
          } catch (RuntimeException e) {
            break; // closed under us
          }
        }
        assertEquals(1008, spam.awaitClose());
      }
      // a binary frame holding JSON is accepted, like Node ws delivers it to the stock server
      peer.sendBinary(
          "{\"type\":\"publish\",\"topic\":\"r\",\"data\":{\"ok\":true}}"
              .getBytes(StandardCharsets.UTF_8));
      String relayed =
          "{\"type\":\"publish\",\"topic\":\"r\",\"data\":{\"ok\":true},\"clients\":2}";
      assertEquals(relayed, good.next());
      assertEquals(relayed, peer.next());
      assertEquals(1, server.handler().topicCount(), "only r is left");
    }
  }

  @Test
  void concurrentPublishersAllReachEverySubscriberInSenderOrder() throws Exception {
    server = SignalingServer.start("127.0.0.1", 0, List.of());
    int clients = 12;
    int each = 25;
    List<WsClient> all = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        WsClient c = new WsClient(url("/"));
        c.send("{\"type\":\"subscribe\",\"topics\":[\"busy\"]}");
        all.add(c);
      }
      awaitSubscribers("busy", clients);
      List<Thread> threads = new java.util.ArrayList<>();
      for (int i = 0; i < clients; i++) {
        WsClient c = all.get(i);
        int sender = i;
        Thread t =
            new Thread(
                () -> {
                  for (int n = 0; n < each; n++) {
                    c.send(
                        "{\"type\":\"publish\",\"topic\":\"busy\",\"data\":{\"s\":"
                            + sender
                            + ",\"n\":"
                            + n
                            + "}}");
                  }
                });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(10_000);
      }
      for (WsClient c : all) {
        int[] nextFrom = new int[clients];
        for (int k = 0; k < clients * each; k++) {
          String m = c.next();
          int s = Integer.parseInt(m.replaceAll(".*\"s\":(\\d+).*", "$1"));
          int n = Integer.parseInt(m.replaceAll(".*\"n\":(\\d+).*", "$1"));
          assertEquals(nextFrom[s], n, "messages from one sender arrive in order");
          nextFrom[s]++;
          assertTrue(m.endsWith(",\"clients\":" + clients + "}"), m);
        }
        assertNull(c.poll(20));
      }
    } finally {
      all.forEach(WsClient::close);
    }
  }

  @Test
  void mountedOnlyAsASocketRouteItAlsoAnswersTheStatusPage() throws Exception {
    SignalingHandler handler = new SignalingHandler();
    try (nodenogg.sync.server.websocket.WebServer web =
        nodenogg.sync.server.websocket.WebServer.builder()
            .socket("/signal"::equals, handler)
            .build()
            .start()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> status =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/signal"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode());
      assertEquals("{\"status\":\"ok\"}", status.body());
      assertEquals(
          404,
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/other"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      try (WsClient a = new WsClient("ws://127.0.0.1:" + web.port() + "/signal")) {
        a.send("{\"type\":\"ping\"}");
        assertEquals("{\"type\":\"pong\"}", a.next());
      }
    }
  }

  @Test
  void statusPageAndOriginAllowList() throws Exception {
    server = SignalingServer.start("127.0.0.1", 0, List.of("https://nodenogg.in"));
    HttpClient http = HttpClient.newHttpClient();
    for (String path : new String[] {"/", "/signal", "/x?y=1"}) {
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                  .header("Origin", "https://nodenogg.in")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode());
      assertEquals("{\"status\":\"ok\"}", ok.body());
      assertEquals("application/json", ok.headers().firstValue("content-type").orElse(""));
      assertEquals(
          "https://nodenogg.in", ok.headers().firstValue("access-control-allow-origin").orElse(""));
    }
    HttpResponse<String> denied =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .header("Origin", "https://evil.example")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, denied.statusCode());
    Exception refused = null;
    try {
      http.newWebSocketBuilder()
          .header("Origin", "https://evil.example")
          .buildAsync(URI.create(url("/")), new java.net.http.WebSocket.Listener() {})
          .get(TestTime.seconds(5), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      refused = e;
    }
    assertTrue(
        refused != null && refused.getCause() instanceof java.net.http.WebSocketHandshakeException,
        "upgrade from a disallowed origin must fail: " + refused);
    assertEquals(
        403,
        ((java.net.http.WebSocketHandshakeException) refused.getCause())
            .getResponse()
            .statusCode());
    assertEquals(0, server.connectionCount());
  }
}
