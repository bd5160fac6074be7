package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./microcosm serve} in a child JVM with the nodenogg.in sync server's environment variables
 * (v0.3.40 {@code products/yjs-sync-server}), one at a time, each checked by what the running
 * server does.
 */
class ServeEnvironmentProcessTest {
  @TempDir Path dir;

  private ServeProcess serve(Map<String, String> env, String... args) throws IOException {
    return new ServeProcess(env, dir.resolve("serve.log"), List.of(args));
  }

  private String log() throws IOException {
    return Files.readString(dir.resolve("serve.log"));
  }

  /** A raw request head; returns the response head. */
  static String request(String host, int port, String head) throws IOException {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(20_000);
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

  static String upgrade(int port, String path, String extra) throws IOException {
    return request(
        "127.0.0.1",
        port,
        "GET "
            + path
            + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + extra
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void portIsTheListeningPort() throws Exception {
    int port = freePort();
    try (ServeProcess p =
        serve(Map.of("PORT", String.valueOf(port)), "--memory", "--host", "127.0.0.1")) {
      assertEquals(port, p.awaitPort());
      assertTrue(
          request("127.0.0.1", port, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n")
              .startsWith("HTTP/1.1 200 "));
    }
  }

  @Test
  void hostIsTheBindAddress() throws Exception {
    // two addresses of the loopback range: bound to one, the other is refused
    try (ServeProcess p = serve(Map.of("HOST", "127.0.0.1"), "--memory", "--port", "0")) {
      int port = p.awaitPort();
      assertTrue(String.join("\n", p.lines).contains("listening on 127.0.0.1:" + port));
      assertTrue(
          request("127.0.0.1", port, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n")
              .startsWith("HTTP/1.1 200 "));
      assertThrows(
          ConnectException.class, () -> request("127.0.0.2", port, "GET /status HTTP/1.1\r\n\r\n"));
    }
    try (ServeProcess p = serve(Map.of(), "--memory", "--port", "0")) {
      int port = p.awaitPort();
      assertTrue(
          request("127.0.0.2", port, "GET /status HTTP/1.1\r\nHost: x\r\n\r\n")
              .startsWith("HTTP/1.1 200 "),
          "without HOST the server listens on every interface, as the nodenogg.in server does");
    }
  }

  @Test
  void allowedDomainsSetsCorsHeadersAndLocksNobodyOut() throws Exception {
    try (ServeProcess p =
        serve(
            Map.of("ALLOWED_DOMAINS", "http://localhost:5173,https://www.nodenogg.in"),
            "--memory",
            "--host",
            "127.0.0.1",
            "--port",
            "0")) {
      int port = p.awaitPort();
      String listed =
          request(
              "127.0.0.1",
              port,
              "GET /status HTTP/1.1\r\nHost: x\r\nOrigin: http://localhost:5173\r\n\r\n");
      assertEquals("http://localhost:5173", header(listed, "Access-Control-Allow-Origin"));
      assertEquals("true", header(listed, "Access-Control-Allow-Credentials"));
      String other =
          request(
              "127.0.0.1",
              port,
              "GET /status HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\n\r\n");
      assertTrue(other.startsWith("HTTP/1.1 200 "), other);
      assertNull(header(other, "Access-Control-Allow-Origin"));
      // the defect: the app served from an origin that is not listed must still connect
      assertTrue(
          upgrade(port, "/sync", "Origin: https://app.example\r\n").startsWith("HTTP/1.1 101 "));
    }
    // the origin allow-list is its own flag, and it does refuse
    try (ServeProcess p =
        serve(
            Map.of("ALLOWED_DOMAINS", "https://app.example"),
            "--memory",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--allowed-origins",
            "https://nodenogg.in")) {
      int port = p.awaitPort();
      assertTrue(
          upgrade(port, "/sync", "Origin: https://app.example\r\n").startsWith("HTTP/1.1 403 "));
      assertTrue(
          upgrade(port, "/sync", "Origin: https://nodenogg.in\r\n").startsWith("HTTP/1.1 101 "));
    }
  }

  @Test
  void throttleConnectionsLimitsConnectionsPerAddress() throws Exception {
    try (ServeProcess p =
        serve(
            Map.of("THROTTLE_CONNECTIONS", "2"),
            "--memory",
            "--host",
            "127.0.0.1",
            "--port",
            "0")) {
      int port = p.awaitPort();
      assertTrue(upgrade(port, "/sync", "").startsWith("HTTP/1.1 101 "));
      assertTrue(upgrade(port, "/sync", "").startsWith("HTTP/1.1 101 "));
      String third = upgrade(port, "/sync", "");
      assertTrue(third.startsWith("HTTP/1.1 429 "), third);
      assertEquals(
          300, Long.parseLong(header(third, "Retry-After")), 2, "banned for the default 5 minutes");
    }
  }

  @Test
  void throttleBanTimeIsTheBanInMinutes() throws Exception {
    try (ServeProcess p =
        serve(
            Map.of("THROTTLE_CONNECTIONS", "1", "THROTTLE_BAN_TIME", "1"),
            "--memory",
            "--host",
            "127.0.0.1",
            "--port",
            "0")) {
      int port = p.awaitPort();
      assertTrue(upgrade(port, "/sync", "").startsWith("HTTP/1.1 101 "));
      String second = upgrade(port, "/sync", "");
      assertTrue(second.startsWith("HTTP/1.1 429 "), second);
      long retry = Long.parseLong(header(second, "Retry-After"));
      assertTrue(retry > 55 && retry <= 60, "one minute: " + retry);
    }
  }

  @Test
  void logTurnsConnectionLinesOnAndOff() throws Exception {
    for (String value : new String[] {null, "true", "false"}) {
      Files.deleteIfExists(dir.resolve("serve.log"));
      Map<String, String> env = value == null ? Map.of() : Map.of("LOG", value);
      try (ServeProcess p = serve(env, "--memory", "--host", "127.0.0.1", "--port", "0");
          ServeOperationsProcessTest.Client c =
              new ServeOperationsProcessTest.Client(p.awaitPort(), "/room-1")) {
        Await.until("the server's SyncStep1", 10_000, () -> !c.received.isEmpty());
        Await.until(
            "started and logged",
            10_000,
            () -> {
              try {
                return log().contains("microcosm serve started");
              } catch (IOException e) {
                return false;
              }
            });
        if (!"false".equals(value)) {
          Await.until(
              "connection lines with LOG=" + value,
              10_000,
              () -> {
                try {
                  return log().contains("connection opened") && log().contains("document loaded");
                } catch (IOException e) {
                  return false;
                }
              });
        } else {
          Thread.sleep(500); // give a line that should not come the time to come
          assertFalse(log().contains("connection opened"), log());
          assertTrue(log().contains("connection_log=\"off (LOG)\""), log());
        }
      }
    }
  }
}
