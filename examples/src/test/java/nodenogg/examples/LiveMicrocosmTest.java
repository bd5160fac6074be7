package nodenogg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.MicrocosmJson;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusTransport;
import nodenogg.sync.server.SyncServer;
import nodenogg.ymicrocosm.YMicrocosm;
import nodenogg.ymicrocosm.testing.NodeSupport;
import org.junit.jupiter.api.Test;

/**
 * A Java microcosm and the web app's transport stack (Hocuspocus provider 2.15.3 + yjs in Node,
 * writing as the app does) share one microcosm through our sync server on loopback.
 */
class LiveMicrocosmTest {
  static final String APP = "@browserlive00001";

  /** Polls {@code cond} for up to 30 s times {@code -Dnodenogg.timeout.scale} (default 4). */
  static void await(String what, BooleanSupplier cond) throws InterruptedException {
    double scale = Double.parseDouble(System.getProperty("nodenogg.timeout.scale", "4"));
    long end = System.nanoTime() + (long) (TimeUnit.SECONDS.toNanos(30) * scale);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void javaAndTheWebAppShareAMicrocosmThroughTheServer() throws Exception {
    String javaId = "@javalive00000001";
    Path err = Files.createTempFile("app-peer", ".err");
    try (SyncServer server =
        SyncServer.builder()
            .host("127.0.0.1")
            .port(0)
            .store(new InMemoryUpdateStore())
            .build()
            .start()) {
      String url = "ws://127.0.0.1:" + server.port() + "/sync";
      HocuspocusClient client = HocuspocusTransport.connect(url);
      try (YMicrocosm m =
          LiveMicrocosm.open(
              client,
              "workshop",
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))) {
        await("socket open", () -> m.state().connected());
        m.identify(javaId);
        m.join(new Identity(javaId, "Java"));
        List<Entity> mine =
            m.create(
                List.of(
                    HtmlData.note(1, 2, "<p>java one</p>"),
                    HtmlData.note(300, 2, "<p>java two</p>")));
        m.create(new ConnectionData(mine.get(0).id(), mine.get(1).id()));

        String cfg =
            new ObjectMapper()
                .writeValueAsString(
                    Map.of(
                        "url",
                        url,
                        "name",
                        "workshop",
                        "identity",
                        APP,
                        "javaIdentity",
                        javaId,
                        "expect",
                        3,
                        "timeoutMs",
                        30000));
        Process node = NodeSupport.start("app-peer.mjs", err, cfg);
        String resultLine = null;
        StringBuilder seen = new StringBuilder();
        try (BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            seen.append(line).append('\n');
            if (line.startsWith("RESULT ")) {
              resultLine = line;
              break;
            }
          }
          assertTrue(
              resultLine != null, "no RESULT from the app peer: " + seen + Files.readString(err));
          JsonNode result = new ObjectMapper().readTree(resultLine.substring(7));
          check(m, javaId, result);
        } finally {
          node.getOutputStream().close();
          boolean done = node.waitFor(30, TimeUnit.SECONDS);
          node.destroyForcibly();
          assertTrue(done, "app peer did not exit");
        }
        assertEquals(0, node.exitValue(), seen + Files.readString(err));
        await(
            "the app left",
            () -> m.state().identities().stream().noneMatch(p -> p.identity().id().equals(APP)));

        client.close();
        await("disconnected", () -> !m.state().connected());
        assertFalse(m.state().connected());
      } finally {
        client.close();
      }
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static void check(YMicrocosm m, String javaId, JsonNode result)
      throws InterruptedException {
    // The app accepted everything Java wrote, in Java's collection, and saw Java present.
    assertEquals(0, result.get("errors").size(), result.get("errors").toString());
    JsonNode javaColl = result.get("collections").get(javaId);
    assertEquals(3, javaColl.size());
    for (Entity e : m.collection(javaId).values()) {
      assertEquals(
          MicrocosmJson.toNode(SchemaProfile.E5.encodeEntity(e)),
          MicrocosmJson.toNode(MicrocosmJson.toPlain(javaColl.get(e.id()))),
          e.id());
    }
    assertTrue(
        result.get("presence").toString().contains(javaId), result.get("presence").toString());

    // Java sees the app's note and the app's presence.
    String appNote = result.get("mine").asText();
    await("the app's note", () -> m.getEntity(APP, appNote).isPresent());
    assertEquals(
        "<p>from the browser</p>",
        m.getEntity(APP, appNote).orElseThrow().dataAs(HtmlData.class).content());
    assertEquals(List.of(APP, javaId).stream().sorted().toList(), m.getCollections());
    await(
        "the app's presence",
        () ->
            m.state().identities().stream()
                .anyMatch(p -> p.identity().id().equals(APP) && p.joined()));
  }
}
