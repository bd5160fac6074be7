package nodenogg.automerge.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import nodenogg.automerge.internal.EntityCodec;
import nodenogg.automerge.testing.AutomergeNode;
import org.automerge.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Java automerge-repo client against the JS reference server
 * {@code @automerge/automerge-repo-sync-server} 0.2.8 (Node, its own automerge-repo 1.2.1 and file
 * storage), with a real automerge-repo 2.5.6 client as the other peer: the Node scenario with the
 * roles swapped, then a kill -9 of the JS server and a restart on the same data directory.
 */
class RepoClientJsServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The reference server as a Node process, started and waited for ("Listening on port"). */
  private static final class JsServer implements AutoCloseable {
    final Process process;

    JsServer(Path data, int port) throws Exception {
      Files.createDirectories(data);
      ProcessBuilder pb =
          new ProcessBuilder(
                  AutomergeNode.node(),
                  AutomergeNode.dir()
                      .resolve("node_modules/@automerge/automerge-repo-sync-server/src/index.js")
                      .toString())
              .directory(data.getParent().toFile())
              .redirectErrorStream(true);
      pb.environment().put("PORT", Integer.toString(port));
      pb.environment().put("DATA_DIR", data.toString());
      process = pb.start();
      BufferedReader r =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Void> ready =
          CompletableFuture.runAsync(
              () -> {
                try {
                  String line;
                  while ((line = r.readLine()) != null) {
                    if (line.contains("Listening on port")) {
                      return;
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                throw new IllegalStateException("the JS sync server exited before listening");
              });
      ready.get(30, TimeUnit.SECONDS);
      Thread drain =
          new Thread(
              () -> {
                try {
                  while (r.readLine() != null) {
                    // its log
                  }
                } catch (Exception e) {
                  // gone
                }
              },
              "js-sync-server-log");
      drain.setDaemon(true);
      drain.start();
    }

    void kill9() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String text(RepoClient.Handle h, String key) {
    Object v = h.document().read(d -> EntityCodec.readRoot(d, key, null));
    return v == null ? null : v.toString();
  }

  private static void await(String what, java.util.function.BooleanSupplier cond)
      throws InterruptedException {
    long end = System.currentTimeMillis() + 20_000;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void javaClientThroughTheReferenceServerSurvivesItsKill9(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("amrg");
    int port = freePort();
    URI url = URI.create("ws://127.0.0.1:" + port);
    List<String> urls = new ArrayList<>();
    Map<String, String> expected = new java.util.HashMap<>();
    JsServer js = new JsServer(data, port);
    try (RepoClient a = RepoClient.connect(url)) {
      a.ready().get(20, TimeUnit.SECONDS);
      RepoClient.Handle doc = a.create();
      doc.document().change("test", tx -> tx.set(ObjectId.ROOT, "title", "from java"));
      doc.acknowledged().get(20, TimeUnit.SECONDS);
      List<Object> heard = new CopyOnWriteArrayList<>();
      doc.onEphemeral(
          (sender, msg) -> {
            heard.add(msg);
            doc.broadcast(Map.of("from", "java"));
          });
      JsonNode edit =
          JSON.readTree(
              AutomergeNode.run("repo-edit.mjs", "", url.toString(), doc.url(), "editedBy", "js"));
      assertEquals(
          "from java",
          edit.get("before").get("title").asText(),
          "the JS client found the Java document");
      await("the JS edit in Java", () -> "js".equals(text(doc, "editedBy")));
      assertEquals(
          "js",
          heard.isEmpty() ? null : ((Map<?, ?>) heard.get(0)).get("from"),
          "JS's ephemeral reached Java");
      assertEquals(
          "java", edit.get("heard").get(0).get("from").asText(), "Java's ephemeral reached JS");

      ExecutionException unknown =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> a.find(DocumentIds.random()).get(20, TimeUnit.SECONDS));
      assertInstanceOf(RepoClient.DocumentUnavailableException.class, unknown.getCause());

      for (int i = 0; i < 3; i++) {
        RepoClient.Handle h = a.create();
        for (int c = 0; c < 10; c++) {
          int n = c;
          h.document().change("test", tx -> tx.set(ObjectId.ROOT, "last", "change " + n));
        }
        h.acknowledged().get(20, TimeUnit.SECONDS);
        urls.add(h.url());
        expected.put(h.url(), "change 9");
      }
      doc.acknowledged().get(20, TimeUnit.SECONDS);
      Thread.sleep(
          1500); // the reference server saves with a debounce; let it reach its disk before the
      // kill
    }
    js.kill9();
    js = new JsServer(data, port);
    try (RepoClient fresh = RepoClient.connect(url)) {
      fresh.ready().get(20, TimeUnit.SECONDS);
      for (String u : urls) {
        RepoClient.Handle h = fresh.find(u).get(20, TimeUnit.SECONDS);
        assertEquals(expected.get(u), text(h, "last"), u);
      }
    } finally {
      js.close();
    }
    assertTrue(urls.size() == 3);
  }
}
