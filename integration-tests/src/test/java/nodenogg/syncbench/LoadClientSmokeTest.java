package nodenogg.syncbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Keeps the sync benchmark's load generator ({@code js/syncbench/load.mjs}) honest: a short run
 * with 3 clients against an in-process {@link SyncServer} and against the real
 * {@code @hocuspocus/server} must deliver every update to every other client exactly once, and a
 * client joining a document must receive all of its text. No timing is asserted (benchmarks only).
 * Skips with a message when node or js/node_modules is missing.
 */
class LoadClientSmokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path jsDir() {
    String dir = System.getProperty("nodenogg.js.dir");
    Assumptions.assumeTrue(dir != null, "nodenogg.js.dir is not set: run through Maven");
    Path js = Path.of(dir);
    Assumptions.assumeTrue(
        Files.isDirectory(js.resolve("node_modules/ws"))
            && Files.isDirectory(js.resolve("node_modules/@hocuspocus/server")),
        "js/node_modules lacks ws / @hocuspocus/server (run js/install.sh): skipping the load-client smoke test");
    Assumptions.assumeTrue(
        new File("/usr/bin/node").canExecute() || new File("/usr/local/bin/node").canExecute(),
        "node is not installed: skipping the load-client smoke test");
    return js;
  }

  /** Runs a Node script from js/syncbench and returns its stdout lines (stderr is inherited). */
  private static List<String> node(Path js, long timeoutSeconds, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("node"));
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .directory(js.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      List<String> lines = new ArrayList<>();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
        }
      }
      assertTrue(
          p.waitFor(timeoutSeconds, TimeUnit.SECONDS),
          "node " + args[0] + " did not finish; output " + lines);
      return lines;
    } finally {
      p.destroyForcibly();
    }
  }

  private static JsonNode result(List<String> lines) throws IOException {
    for (String l : lines) {
      if (l.startsWith("RESULT ")) {
        return JSON.readTree(l.substring(7));
      }
    }
    throw new AssertionError("load.mjs printed no RESULT line: " + lines);
  }

  private static void checkFanout(Path js, String url) throws Exception {
    JsonNode r =
        result(
            node(
                js,
                30,
                "syncbench/load.mjs",
                "--url",
                url,
                "--scenario",
                "fanout",
                "--clients",
                "3",
                "--rate",
                "60",
                "--warmup",
                "0.5",
                "--duration",
                "1.5",
                "--seed",
                "7"));
    assertTrue(r.get("ok").asBoolean(), "fan-out run not ok: " + r);
    long sent = r.get("sent").asLong();
    assertTrue(sent >= 60, "the generator sent too few updates to check anything: " + r);
    assertEquals(
        sent * 2,
        r.get("receivedRecords").asLong(),
        "every update reaches both other clients once: " + r);
    assertEquals(0, r.get("duplicates").asInt(), r.toString());
    assertEquals(0, r.get("lost").asInt(), r.toString());
  }

  private static void checkJoin(Path js, String url) throws Exception {
    JsonNode r =
        result(
            node(
                js,
                60,
                "syncbench/load.mjs",
                "--url",
                url,
                "--scenario",
                "join",
                "--doc-kib",
                "64",
                "--joins",
                "2",
                "--seed",
                "7"));
    assertTrue(r.get("ok").asBoolean(), "join run not ok: " + r);
    assertEquals(
        64 * 1024,
        r.get("charsSeen").get(0).asInt(),
        "the joining client sees the whole text: " + r);
  }

  @Test
  void everyUpdateReachesEveryOtherClientOnOurServer() throws Exception {
    Path js = jsDir();
    try (SyncServer server =
        SyncServer.builder().port(0).store(new InMemoryUpdateStore()).build().start()) {
      String url = "ws://127.0.0.1:" + server.port() + "/sync";
      checkFanout(js, url);
      checkJoin(js, url);
    }
  }

  @Test
  void theSameLoadIsAcceptedByTheRealHocuspocusServer() throws Exception {
    Path js = jsDir();
    Process server =
        new ProcessBuilder("node", "syncbench/hocuspocus-ref.mjs", "0")
            .directory(js.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String first = r.readLine(); // blocks until the server listens (or exits: null)
      assertTrue(
          first != null && first.startsWith("PORT "), "hocuspocus-ref.mjs did not start: " + first);
      String url = "ws://127.0.0.1:" + Integer.parseInt(first.substring(5).trim()) + "/sync";
      checkFanout(js, url);
      checkJoin(js, url);
    } finally {
      server.destroy();
      if (!server.waitFor(5, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }
}
