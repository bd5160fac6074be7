package nodenogg.sync.server.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real y-webrtc 10.3.0 client code (Node) signals through our server. */
class YWebrtcSignalingInteropTest {

  private static JsonNode runAgainst(SignalingServer server, String path, String... password)
      throws Exception {
    String url = "ws://127.0.0.1:" + server.port() + path;
    String[] args = password.length == 0 ? new String[] {url} : new String[] {url, password[0]};
    NodeScript.Result r = NodeScript.run(40, "y-webrtc-signaling.mjs", args);
    assertEquals(0, r.exitCode(), "y-webrtc client failed: " + r.stderr() + r.stdout());
    return new ObjectMapper().readTree(r.stdout());
  }

  @Test
  void withoutPassword() throws Exception {
    NodeScript.jsDir();
    try (SignalingServer server = SignalingServer.start("127.0.0.1", 0, List.of())) {
      JsonNode result = runAgainst(server, "/");
      assertTrue(result.get("ok").asBoolean());
      assertEquals(
          false, result.get("encrypted").asBoolean(), "without a password data is plain JSON");
      assertEquals(2, result.get("clients").asInt());
      assertEquals(1, result.get("afterLeave").asInt());
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (server.handler().topicCount() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, server.handler().topicCount(), "all topics freed once the clients left");
    }
  }

  /**
   * The script's expectations hold for the stock y-webrtc server too, so they test the protocol.
   */
  @Test
  void theSameScriptPassesAgainstTheStockServer() throws Exception {
    java.io.File js = NodeScript.jsDir();
    int port;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder("/usr/bin/node", "node_modules/y-webrtc/bin/server.js")
            .directory(js)
            .redirectErrorStream(true);
    pb.environment().put("PORT", String.valueOf(port));
    Process stock = pb.start();
    try {
      java.io.BufferedReader out =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  stock.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      String line = out.readLine(); // "Signaling server running on localhost: <port>"
      assertTrue(line != null && line.contains("running"), "stock server did not start: " + line);
      NodeScript.Result r =
          NodeScript.run(40, "y-webrtc-signaling.mjs", "ws://127.0.0.1:" + port, "pw");
      assertEquals(0, r.exitCode(), "against the stock server: " + r.stderr() + r.stdout());
    } finally {
      stock.destroyForcibly();
      stock.waitFor();
    }
  }

  @Test
  void withRoomPasswordTheServerRelaysCiphertextItCannotRead() throws Exception {
    NodeScript.jsDir();
    try (SignalingServer server = SignalingServer.start("127.0.0.1", 0, List.of())) {
      JsonNode result = runAgainst(server, "/some/path", "correct horse");
      assertTrue(result.get("ok").asBoolean());
      assertEquals(true, result.get("encrypted").asBoolean());
      assertEquals(2, result.get("clients").asInt());
      assertEquals(1, result.get("afterLeave").asInt());
    }
  }
}
