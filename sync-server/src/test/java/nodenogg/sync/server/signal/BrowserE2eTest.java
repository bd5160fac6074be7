package nodenogg.sync.server.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * End to end in a real browser (Debian's Chromium driven by playwright-core): two pages of
 * different origins join one y-webrtc room through our signalling server, with the origin
 * allow-list on, and a note written in one page appears in the other over the WebRTC data channel.
 */
class BrowserE2eTest {

  private static final String CHROMIUM = "/usr/bin/chromium";

  private static JsonNode run(String password) throws Exception {
    Assumptions.assumeTrue(
        new File(CHROMIUM).canExecute(),
        "Chromium is not installed at "
            + CHROMIUM
            + " (apt-get install -y chromium); browser e2e skipped");
    File js = NodeScript.jsDir();
    Assumptions.assumeTrue(
        new File(js, "node_modules/playwright-core").isDirectory()
            && new File(js, "node_modules/esbuild").isDirectory(),
        "playwright-core/esbuild not installed in js/");
    // The driver serves the page on these loopback ports (chosen free here, bound there).
    int[] ports = freePorts(3);
    String originA = "http://localhost:" + ports[0];
    String originB = "http://127.0.0.1:" + ports[1];
    String deniedOrigin = "http://127.0.0.1:" + ports[2];
    try (SignalingServer server =
        SignalingServer.start("127.0.0.1", 0, List.of(originA, originB))) {
      String url = "ws://127.0.0.1:" + server.port() + "/signal";
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "--signal",
                  url,
                  "--chromium",
                  CHROMIUM,
                  "--origins",
                  originA + "," + originB,
                  "--denied",
                  deniedOrigin));
      if (password != null) {
        args.add("--password");
        args.add(password);
      }
      NodeScript.Result r = NodeScript.run(60, "browser-e2e.mjs", args.toArray(new String[0]));
      assertEquals(0, r.exitCode(), "browser e2e failed: " + r.stderr() + r.stdout());
      System.out.println("browser e2e: " + r.stdout());
      return new ObjectMapper().readTree(r.stdout());
    }
  }

  private static int[] freePorts(int n) throws java.io.IOException {
    java.net.ServerSocket[] sockets = new java.net.ServerSocket[n];
    int[] ports = new int[n];
    try {
      for (int i = 0; i < n; i++) {
        sockets[i] = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
    } finally {
      for (java.net.ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
    return ports;
  }

  @Test
  void aNoteWrittenInOnePageAppearsInTheOtherOverWebRtc() throws Exception {
    JsonNode result = run(null);
    assertTrue(result.get("ok").asBoolean());
    assertTrue(result.get("seenInB").asText().startsWith("written in A at "));
    assertEquals("reply from B", result.get("seenInA").asText());
    assertTrue(result.get("peersA").get("webrtc").asInt() >= 1);
    assertEquals(0, result.get("peersA").get("bc").asInt());
    assertEquals(
        false,
        result.get("denied").get("fetched").asBoolean(),
        "a page from a disallowed origin must not read the status page");
    assertEquals(
        false,
        result.get("denied").get("opened").asBoolean(),
        "a page from a disallowed origin must not open a signalling socket");
  }

  @Test
  void withARoomPassword() throws Exception {
    JsonNode result = run("a room secret");
    assertTrue(result.get("ok").asBoolean());
    assertTrue(result.get("password").asBoolean());
    assertEquals("reply from B", result.get("seenInA").asText());
  }
}
