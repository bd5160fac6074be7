package nodenogg.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import nodenogg.microcosm.Entity;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;

/** Smoke test: two JoinServer peers on our server see each other's notes live. */
class JoinServerTest {

  @Test
  void twoPeersSeeEachOthersNotes() throws Exception {
    try (SyncServer server = SyncServer.builder().port(0).build().start()) {
      URI url = URI.create("ws://127.0.0.1:" + server.port() + "/sync");
      ByteArrayOutputStream bufA = new ByteArrayOutputStream();
      ByteArrayOutputStream bufB = new ByteArrayOutputStream();
      try (JoinServer a =
              JoinServer.join(
                  url,
                  "smoke",
                  "default",
                  "A",
                  new PrintStream(bufA, true, StandardCharsets.UTF_8));
          JoinServer b =
              JoinServer.join(
                  url,
                  "smoke",
                  "default",
                  "B",
                  new PrintStream(bufB, true, StandardCharsets.UTF_8))) {
        Entity note = a.addNote("<p>from A</p>");
        LiveMicrocosmTest.await(
            "B sees A's note", () -> bufB.toString(StandardCharsets.UTF_8).contains("CREATE"));
        String seenByB = bufB.toString(StandardCharsets.UTF_8);
        assertTrue(seenByB.contains("(remote) note <p>from A</p>"), seenByB);
        assertTrue(seenByB.contains(note.id()), seenByB);
        assertTrue(
            bufA.toString(StandardCharsets.UTF_8).contains("(mine) note <p>from A</p>"),
            bufA.toString());
        assertTrue(
            b.microcosm().entities().values().stream().anyMatch(e -> e.id().equals(note.id())));
      }
    }
  }
}
