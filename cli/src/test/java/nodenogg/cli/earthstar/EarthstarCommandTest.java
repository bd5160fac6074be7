package nodenogg.cli.earthstar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nodenogg.cli.UsageException;
import nodenogg.earthstar.AuthorKeypair;
import nodenogg.earthstar.EarthstarPeer;
import nodenogg.earthstar.EarthstarStorage;
import nodenogg.earthstar.ShareKeypair;
import nodenogg.earthstar.SyncLimits;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarthstarCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private String run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new EarthstarCommand()
            .run(
                args,
                System.in,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void keygenPrintsEarthstarKeypairJson() throws Exception {
    JsonNode a = JSON.readTree(run("keygen", "--author", "suzy"));
    assertEquals(List.of("address", "secret"), iterate(a));
    assertNull(new AuthorKeypair(a.get("address").asText(), a.get("secret").asText()).check());
    JsonNode s = JSON.readTree(run("keygen", "--share", "gardening"));
    assertEquals(List.of("shareAddress", "secret"), iterate(s));
    assertNull(new ShareKeypair(s.get("shareAddress").asText(), s.get("secret").asText()).check());
    assertThrows(UsageException.class, () -> run("keygen", "--author", "toolong"));
    assertThrows(UsageException.class, () -> run("keygen"));
  }

  private static List<String> iterate(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void syncAddsANotePrintsTheMicrocosmAndLsListsDocuments() throws Exception {
    ShareKeypair share = ShareKeypair.generate("demo");
    AuthorKeypair author = AuthorKeypair.generate("suzy");
    Path shareFile = Files.writeString(dir.resolve("share.json"), share.toJson());
    Path authorFile = Files.writeString(dir.resolve("author.json"), author.toJson());
    Path addressOnly =
        Files.writeString(dir.resolve("address.json"), "\"" + share.shareAddress() + "\"");
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
        EarthstarPeer peer =
            new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults());
        SyncServer server = SyncServer.builder().port(0).earthstar(peer).build().start()) {
      String url = "http://127.0.0.1:" + server.port() + "/earthstar/";
      run(
          "sync",
          url,
          "--share",
          shareFile.toString(),
          "--author",
          authorFile.toString(),
          "--data",
          dir.resolve("a").toString(),
          "--note",
          "hello from the CLI");
      assertEquals(
          4,
          peer.replica(share.shareAddress()).size(),
          "identity, entity, position and html documents");
      String printed =
          run(
              "sync",
              url,
              "--share",
              addressOnly.toString(),
              "--data",
              dir.resolve("b").toString(),
              "--print");
      JsonNode note = JSON.readTree(printed.trim());
      assertEquals("hello from the CLI", note.get("data").get("content").asText());
      assertEquals("html", note.get("data").get("type").asText());
      String ls = run("ls", "--data", dir.resolve("b").toString(), "--share", share.shareAddress());
      String[] lines = ls.trim().split("\n");
      assertEquals(4, lines.length, ls);
      for (String l : lines) {
        String[] f = l.split("\t");
        assertEquals(4, f.length, l);
        assertTrue(f[0].startsWith("/microcosm/v1/~" + author.address()), l);
        assertEquals(author.address(), f[1]);
        assertTrue(Long.parseLong(f[3]) > 0);
      }
      assertThrows(
          UsageException.class,
          () ->
              run(
                  "sync",
                  url,
                  "--share",
                  addressOnly.toString(),
                  "--author",
                  authorFile.toString(),
                  "--note",
                  "x"),
          "a note needs the share secret");
    }
  }

  /** A once sync whose server stays connected but sends nothing but heartbeats. */
  private static final class StalledHandle implements nodenogg.earthstar.SyncHandle {
    final java.util.concurrent.CompletableFuture<Void> done =
        new java.util.concurrent.CompletableFuture<>();
    long idle;
    boolean cancelled;

    @Override
    public java.util.concurrent.CompletableFuture<Void> done() {
      return done;
    }

    @Override
    public String syncerId() {
      return "1234567";
    }

    @Override
    public long millisWithoutProgress() {
      return idle;
    }

    @Override
    public void cancel() {
      cancelled = true;
      done.completeExceptionally(new IllegalStateException("cancelled"));
    }
  }

  @Test
  void aOnceSyncWithoutProgressGivesUpWithAClearError() throws Exception {
    StalledHandle h = new StalledHandle();
    h.idle = EarthstarCommand.STALL_MILLIS + 1_000;
    String why = EarthstarCommand.awaitOnce(h, "http://example.invalid/earthstar/");
    assertEquals(
        "no progress from http://example.invalid/earthstar/ for 61 s (connected, but nothing but heartbeats);"
            + " try again, and check the server's log",
        why);
    assertTrue(h.cancelled, "the connection is closed");

    StalledHandle failing = new StalledHandle();
    failing.done.completeExceptionally(
        new IllegalStateException("the sync ended before it was complete"));
    assertEquals("the sync ended before it was complete", EarthstarCommand.awaitOnce(failing, "u"));

    StalledHandle finished = new StalledHandle();
    finished.done.complete(null);
    assertNull(EarthstarCommand.awaitOnce(finished, "u"));
    assertTrue(!finished.cancelled);
  }
}
