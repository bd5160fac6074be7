package nodenogg.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The nodenogg.in server's settings on our server: the connection throttle (THROTTLE_CONNECTIONS /
 * THROTTLE_BAN_TIME) refuses the connection over the limit with 429, per address, documents only;
 * the CORS list (ALLOWED_DOMAINS) adds headers on HTTP and refuses nothing, WebSocket upgrades
 * included.
 */
class ThrottleAndCorsTest {

  /** Sends a raw request head and returns the response head. */
  static String request(int port, String head) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        b.append((char) c);
        if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
          break;
        }
      }
      return b.toString();
    }
  }

  static String upgrade(int port, String path, String extraHeaders) throws Exception {
    return request(
        port,
        "GET "
            + path
            + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + extraHeaders
            + "\r\n");
  }

  static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  @Test
  void throttleRefusesTheConnectionOverTheLimitPerAddressAndOnlyForDocuments() throws Exception {
    try (SyncServer s = SyncServer.builder().port(0).throttle(3, 5).build().start()) {
      int port = s.port();
      for (int i = 0; i < 3; i++) {
        assertTrue(upgrade(port, "/sync", "").startsWith("HTTP/1.1 101 "), "attempt " + (i + 1));
      }
      String fourth = upgrade(port, "/sync", "");
      assertTrue(fourth.startsWith("HTTP/1.1 429 "), fourth);
      long retry = Long.parseLong(header(fourth, "Retry-After"));
      assertTrue(retry > 240 && retry <= 300, "banned for 5 minutes: " + retry);
      // banned: y-websocket rooms too (every document connection counts), signalling is not
      // throttled
      assertTrue(upgrade(port, "/room", "").startsWith("HTTP/1.1 429 "));
      assertTrue(upgrade(port, "/signal", "").startsWith("HTTP/1.1 101 "));
      // another client behind the same proxy is counted under its own forwarded address
      assertTrue(
          upgrade(port, "/sync", "X-Forwarded-For: 203.0.113.7, 10.0.0.1\r\n")
              .startsWith("HTTP/1.1 101 "));
      assertTrue(upgrade(port, "/sync", "X-Real-IP: 203.0.113.8\r\n").startsWith("HTTP/1.1 101 "));
      assertEquals(2, s.telemetry().refusalCount("throttled"));
    }
    try (SyncServer s = SyncServer.builder().port(0).build().start()) {
      for (int i = 0; i < 20; i++) {
        assertTrue(upgrade(s.port(), "/sync", "").startsWith("HTTP/1.1 101 "), "off by default");
      }
    }
  }

  @Test
  void corsListAddsHeadersAndRefusesNothing() throws Exception {
    try (SyncServer s =
        SyncServer.builder()
            .port(0)
            .corsOrigins(List.of("https://nodenogg.in", "http://localhost:5173"))
            .build()
            .start()) {
      int port = s.port();
      String listed =
          request(port, "GET /status HTTP/1.1\r\nHost: x\r\nOrigin: https://nodenogg.in\r\n\r\n");
      assertTrue(listed.startsWith("HTTP/1.1 200 "), listed);
      assertEquals("https://nodenogg.in", header(listed, "Access-Control-Allow-Origin"));
      assertEquals("true", header(listed, "Access-Control-Allow-Credentials"));
      assertEquals(
          "Content-Length,Upgrade,Connection", header(listed, "Access-Control-Expose-Headers"));
      assertEquals("Origin", header(listed, "Vary"));

      String other =
          request(
              port, "GET /status HTTP/1.1\r\nHost: x\r\nOrigin: https://elsewhere.example\r\n\r\n");
      assertTrue(other.startsWith("HTTP/1.1 200 "), "CORS never refuses: " + other);
      assertNull(header(other, "Access-Control-Allow-Origin"));
      // compared exactly, as the reference does
      assertNull(
          header(
              request(
                  port, "GET /status HTTP/1.1\r\nHost: x\r\nOrigin: https://NODENOGG.in\r\n\r\n"),
              "Access-Control-Allow-Origin"));

      String preflight =
          request(
              port,
              "OPTIONS /status HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:5173\r\n"
                  + "Access-Control-Request-Method: GET\r\n\r\n");
      assertTrue(preflight.startsWith("HTTP/1.1 204 "), preflight);
      assertEquals("http://localhost:5173", header(preflight, "Access-Control-Allow-Origin"));
      assertEquals("POST,GET,OPTIONS", header(preflight, "Access-Control-Allow-Methods"));
      assertEquals("600", header(preflight, "Access-Control-Max-Age"));
      assertTrue(header(preflight, "Access-Control-Allow-Headers").contains("Sec-WebSocket-Key"));

      // the web app's WebSocket from an origin not on the CORS list connects (CORS is not an
      // allow-list)
      assertTrue(
          upgrade(port, "/sync", "Origin: https://elsewhere.example\r\n")
              .startsWith("HTTP/1.1 101 "));
    }
  }

  @Test
  void theAllowListStillRefusesAlongsideTheCorsList() throws Exception {
    try (SyncServer s =
        SyncServer.builder()
            .port(0)
            .allowedOrigins(List.of("https://nodenogg.in"))
            .corsOrigins(List.of("https://nodenogg.in"))
            .build()
            .start()) {
      assertTrue(
          upgrade(s.port(), "/sync", "Origin: https://elsewhere.example\r\n")
              .startsWith("HTTP/1.1 403 "));
      assertTrue(
          upgrade(s.port(), "/sync", "Origin: https://nodenogg.in\r\n")
              .startsWith("HTTP/1.1 101 "));
      assertEquals(1, s.telemetry().refusalCount("origin"));
    }
  }
}
