package nodenogg.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.MicrocosmId;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.server.SyncServer;
import nodenogg.ymicrocosm.YMicrocosm;
import org.junit.jupiter.api.Test;

/**
 * {@code ./microcosm peer} in its own JVM ({@code nodenogg.cli.Main peer ...} exactly as the script
 * runs it): with a browser page (y-webrtc 10.3.0) and with a Java peer in this JVM, through our
 * /signal. The note given with {@code --note} reaches the other side; notes written there come out
 * as JSON lines on stdout with {@code --print}; {@code --seconds} ends it cleanly (exit 0, presence
 * removed).
 */
class PeerCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<JsonNode> jsonLines(ChildJvm p) throws Exception {
    List<JsonNode> l = new ArrayList<>();
    for (String line : p.out) {
      if (line.startsWith("{")) {
        l.add(JSON.readTree(line));
      }
    }
    return l;
  }

  static boolean printed(ChildJvm p, String content) {
    try {
      return jsonLines(p).stream()
          .anyMatch(j -> content.equals(j.path("entity").path("data").path("content").asText()));
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void cliPeerWithABrowserPage() throws Exception {
    BrowserInteropTest.withOurServer(
        url -> {
          String room = MicrocosmId.create();
          String pageIdentity = IdentityId.create();
          try (BrowserPages pages = new BrowserPages(1);
              ChildJvm cli =
                  ChildJvm.cli(
                      "peer",
                      "--signal",
                      url,
                      "--room",
                      room,
                      "--password",
                      "pw",
                      "--print",
                      "--note",
                      "a note from the CLI",
                      "--seconds",
                      "25")) {
            pages.call(0, "start", BrowserInteropTest.startOptions(url, room, "pw"));
            pages.call(0, "join", pageIdentity, "Page");
            JsonNode notes = pages.await("the CLI's note in the page", 0, 40_000, "notes");
            assertTrue(notes.toString().contains("a note from the CLI"), notes.toString());
            pages.call(
                0,
                "writeNote",
                pageIdentity,
                "e" + pageIdentity.substring(1),
                "a note from the page");
            Await.until(
                "the page's note printed by the CLI",
                20_000,
                () -> printed(cli, "a note from the page"));
            JsonNode presence =
                pages.await("the CLI's presence in the page", 0, 20_000, "presence");
            assertTrue(presence.toString().contains("microcosm peer"), presence.toString());
            assertEquals(0, cli.waitFor(60), cli.log());
            JsonNode line =
                jsonLines(cli).stream()
                    .filter(
                        j ->
                            "a note from the page"
                                .equals(j.path("entity").path("data").path("content").asText()))
                    .findFirst()
                    .orElseThrow();
            assertEquals("create", line.get("event").asText());
            assertEquals(pageIdentity, line.get("identity").asText());
            assertEquals("e" + pageIdentity.substring(1), line.get("id").asText());
            assertEquals(false, line.get("local").asBoolean());
            assertTrue(
                cli.err.stream().anyMatch(l -> l.startsWith("peer: synced with peer ")), cli.log());
            // --seconds ended it with a clean leave: the page sees the CLI's presence go
            Await.until(
                "the CLI's presence to leave the page",
                10_000,
                () -> {
                  try {
                    return !pages.call(0, "presence").toString().contains("microcosm peer");
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
            for (String l : cli.out) {
              // webrtc-java's native code prints these two at JVM exit; ./microcosm filters them
              // from stdout
              boolean nativeExitNoise =
                  l.equals("VM attach current thread failed")
                      || l.matches("Failed to attach thread [0-9]+");
              assertTrue(
                  l.startsWith("{") || nativeExitNoise, "stdout holds JSON lines only: " + l);
            }
          }
        });
  }

  @Test
  void javaToJavaAcrossProcesses() throws Exception {
    NativeWebrtc.assumeAvailable();
    try (SyncServer server =
        SyncServer.builder()
            .host("127.0.0.1")
            .port(0)
            .store(new InMemoryUpdateStore())
            .build()
            .start()) {
      String url = "ws://127.0.0.1:" + server.port() + "/signal";
      String room = MicrocosmId.create();
      AtomicReference<WebrtcProvider> provider = new AtomicReference<>();
      try (YMicrocosm m = YMicrocosm.inMemory(room);
          ChildJvm cli =
              ChildJvm.cli(
                  "peer",
                  "--signal",
                  url,
                  "--room",
                  room,
                  "--print",
                  "--note",
                  "from the CLI JVM",
                  "--seconds",
                  "120")) {
        m.identify(IdentityId.create());
        m.attach(WebrtcTransport.provider(WebrtcOptions.signaling(url), provider::set));
        Await.until(
            "the CLI's note in this JVM",
            40_000,
            () ->
                m.entities().values().stream()
                    .anyMatch(
                        e ->
                            e.data() instanceof HtmlData h
                                && h.content().equals("from the CLI JVM")));
        Entity mine = m.create(HtmlData.note(1, 2, "from the test JVM"));
        Await.until("our note printed by the CLI", 20_000, () -> printed(cli, "from the test JVM"));
        assertTrue(provider.get().connectedPeers().size() == 1);

        // the CLI process disappears without a goodbye (kill -9): the connection ends, the room
        // goes on
        cli.process.destroyForcibly();
        cli.process.waitFor(10, TimeUnit.SECONDS);
        Await.until(
            "the vanished peer's connection to end",
            60_000,
            () -> provider.get().openConnections() == 0);
        try (ChildJvm again =
            ChildJvm.cli("peer", "--signal", url, "--room", room, "--print", "--seconds", "120")) {
          Await.until(
              "a new CLI peer to get our note", 40_000, () -> printed(again, "from the test JVM"));
        }
        assertTrue(mine.id().startsWith("e"));
      }
    }
  }
}
