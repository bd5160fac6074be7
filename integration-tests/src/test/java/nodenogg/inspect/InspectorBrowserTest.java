package nodenogg.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.examples.JoinServer;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live inspector in a real browser (Debian's Chromium, driven by playwright-core through {@code
 * js/inspect/inspector-e2e.mjs}): a Java peer on the server's Hocuspocus endpoint adds notes, an
 * emoji and a connection; the page, signed in with the admin token, draws each note at its x/y with
 * its text within a second, the emoji at its offset from its note, the connection, who is present
 * and the update history, and downloads the web app's JSON export. A screenshot is saved to {@code
 * target/inspector.png}.
 */
class InspectorBrowserTest {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String ADMIN = "inspector-admin-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** The driver: commands on stdin, one JSON answer per line on stdout. */
  private static final class Driver implements AutoCloseable {
    final Process process;
    final Writer in;
    final BlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();

    Driver(Path js, List<String> args) throws Exception {
      List<String> cmd =
          new ArrayList<>(List.of("node", js.resolve("inspect/inspector-e2e.mjs").toString()));
      cmd.addAll(args);
      process =
          new ProcessBuilder(cmd)
              .directory(js.toFile())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    answers.add(JSON.readTree(line));
                  }
                } catch (Exception e) {
                  // ended
                }
              },
              "inspector-e2e");
      t.setDaemon(true);
      t.start();
    }

    JsonNode next(String event) throws Exception {
      JsonNode a = answers.poll(60, TimeUnit.SECONDS);
      if (a == null) {
        throw new AssertionError(
            "the browser driver said nothing for 60 s (waiting for " + event + ")");
      }
      if (!a.path("event").asText().equals(event)) {
        throw new AssertionError("expected " + event + " from the browser driver, got " + a);
      }
      return a;
    }

    JsonNode ask(String command, String event) throws Exception {
      in.write(command + "\n");
      in.flush();
      return next(event);
    }

    @Override
    public void close() throws Exception {
      try {
        in.write("quit\n");
        in.flush();
      } catch (Exception e) {
        // already gone
      }
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void thePageShowsWhatAJavaPeerDoesWithinASecond() throws Exception {
    Assumptions.assumeTrue(
        new File(CHROMIUM).canExecute(),
        "Chromium is not installed at "
            + CHROMIUM
            + " (apt-get install -y chromium); inspector browser test skipped");
    String jsDir = System.getProperty("nodenogg.js.dir");
    Assumptions.assumeTrue(jsDir != null, "nodenogg.js.dir is not set: run through Maven");
    Path js = Path.of(jsDir);
    Assumptions.assumeTrue(
        Files.isDirectory(js.resolve("node_modules/playwright-core")),
        "playwright-core is not installed in js/ (bash js/install.sh)");
    Path target = Path.of("target").toAbsolutePath();
    Files.createDirectories(target);
    Path screenshot = target.resolve("inspector.png");
    Files.deleteIfExists(screenshot);

    try (SyncServer server =
            SyncServer.builder()
                .host("127.0.0.1")
                .port(0)
                .dataDirectory(dir)
                .adminToken(ADMIN)
                .implicitAuthentication(true)
                .build()
                .start();
        JoinServer peer =
            JoinServer.join(
                URI.create("ws://127.0.0.1:" + server.port() + "/sync"),
                "workshop",
                "default",
                "Java peer",
                new PrintStream(
                    new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
      Entity first = peer.addNote("<p>First note from Java</p>");
      // the export endpoint needs the admin token
      HttpResponse<String> open =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + server.port()
                                  + "/inspect/api/export/json/workshop"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(401, open.statusCode());

      try (Driver page =
          new Driver(
              js,
              List.of(
                  "--url",
                  "http://127.0.0.1:" + server.port() + "/inspect",
                  "--token",
                  ADMIN,
                  "--chromium",
                  CHROMIUM,
                  "--doc",
                  "workshop"))) {
        JsonNode ready = page.next("ready");
        assertTrue(ready.get("notes").toString().contains(first.id()), ready.toString());

        // notes added by the Java peer appear on the page within a second
        List<Long> latencies = new ArrayList<>();
        List<Entity> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          long before = System.currentTimeMillis();
          Entity note =
              peer.microcosm()
                  .create(HtmlData.note(260 * (i + 1), 40 * i, "<p>Live note " + i + "</p>"));
          JsonNode seen = page.ask("expect " + note.id(), "seen");
          latencies.add(seen.get("at").asLong() - before);
          assertEquals("Live note " + i, seen.get("text").asText().trim());
          added.add(note);
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.println("inspector: Java write to note on the page, ms: " + latencies);
        assertTrue(
            sorted.get(2) < 1000,
            "median time from the Java write to the note on the page: " + latencies);

        // an emoji on a note (drawn at its offset from the note) and a connection between two notes
        Entity target0 = added.get(0);
        Entity emoji = peer.microcosm().create(EmojiData.reaction("❤️", target0.id(), 10, -50));
        Entity link = peer.microcosm().create(new ConnectionData(first.id(), target0.id()));
        Entity marker = peer.microcosm().create(HtmlData.note(0, 400, "<p>marker</p>"));
        page.ask("expect " + marker.id(), "seen");
        JsonNode state = page.ask("state", "state");
        JsonNode drawnEmoji = null;
        for (JsonNode e : state.get("emoji")) {
          if (e.get("id").asText().equals(emoji.id())) {
            drawnEmoji = e;
          }
        }
        assertTrue(drawnEmoji != null, state.toString());
        HtmlData t0 = target0.dataAs(HtmlData.class);
        assertEquals(
            t0.x() + 10 + 25,
            drawnEmoji.get("x").asDouble(),
            1e-9,
            "emoji centre: note.x + offset + half its box");
        assertEquals(t0.y() - 50 + 25, drawnEmoji.get("y").asDouble(), 1e-9);
        assertTrue(state.get("connections").toString().contains(link.id()), state.toString());
        JsonNode firstNote = null;
        for (JsonNode n : state.get("notes")) {
          if (n.get("id").asText().equals(first.id())) {
            firstNote = n;
          }
        }
        assertEquals(first.dataAs(HtmlData.class).x(), firstNote.get("x").asDouble());
        assertEquals("First note from Java", firstNote.get("text").asText().trim());
        assertTrue(
            state.get("presence").toString().contains("Java peer"),
            "who is present: " + state.get("presence"));
        assertTrue(
            state.get("history").asText().contains("stored updates"),
            state.get("history").asText());
        assertTrue(state.get("status").asText().contains("live"), state.get("status").asText());
        assertTrue(
            state.get("microcosms").toString().contains("workshop"),
            state.get("microcosms").toString());

        // the web app's JSON export, downloaded from the page
        JsonNode export = page.ask("export json", "export");
        assertTrue(
            export.get("name").asText().matches("microcosm-workshop-\\d{4}-\\d{2}-\\d{2}\\.json"),
            export.toString());
        JsonNode doc = JSON.readTree(export.get("content").asText());
        assertEquals("workshop", doc.get("microcosm_id").asText());
        assertEquals(peer.microcosm().identityId().orElseThrow(), doc.get("identity_id").asText());
        assertTrue(doc.get("entities").has(marker.id()) && doc.get("entities").has(emoji.id()));

        page.ask("screenshot " + screenshot, "screenshot");
        assertTrue(Files.size(screenshot) > 10_000, "screenshot written to " + screenshot);
      }
    }
  }
}
