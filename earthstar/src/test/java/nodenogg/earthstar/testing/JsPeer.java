package nodenogg.earthstar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.earthstar.AuthorKeypair;
import nodenogg.earthstar.ShareKeypair;

/**
 * A real earthstar 10.2.2 peer in a Node process ({@code js/earthstar/peer.mjs}): a client with its
 * own memory replica, or the earthstar {@code Server} with {@code ExtensionKnownShares} and {@code
 * ExtensionSyncWeb}. Commands are JSON lines. Close it to end the process.
 */
public final class JsPeer implements AutoCloseable {
  private final Process process;
  private final OutputStream in;
  private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
  private final Path err;
  private final List<JsonNode> unsolicited = new ArrayList<>();
  public final int port;
  public final String author;

  private JsPeer(List<String> args) throws IOException, InterruptedException {
    err = Files.createTempFile("earthstar-js-peer", ".log");
    process = EarthstarJs.start("peer.mjs", err, args.toArray(String[]::new));
    in = process.getOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (line.startsWith("{")) {
                    lines.add(EarthstarJs.JSON.readTree(line));
                  }
                }
              } catch (IOException ignored) {
                // process ended
              }
            },
            "js-peer-reader");
    reader.setDaemon(true);
    reader.start();
    JsonNode ready = next(60);
    port = ready.path("port").asInt(0);
    author = ready.path("author").asText();
  }

  public static JsPeer client(ShareKeypair share, AuthorKeypair author)
      throws IOException, InterruptedException {
    List<String> a = new ArrayList<>(List.of("client", share.toJson()));
    if (author != null) {
      a.add(author.toJson());
    }
    return new JsPeer(a);
  }

  public static JsPeer server(ShareKeypair share, int port)
      throws IOException, InterruptedException {
    return new JsPeer(List.of("server", share.toJson(), String.valueOf(port)));
  }

  private JsonNode next(int seconds) throws InterruptedException, IOException {
    JsonNode n = lines.poll(seconds, TimeUnit.SECONDS);
    if (n == null) {
      throw new AssertionError(
          "the JS peer said nothing for " + seconds + " s; its stderr:\n" + stderrTail());
    }
    return n;
  }

  /** Sends a command and returns its answer (skipping unsolicited event lines). */
  public synchronized JsonNode call(ObjectNode cmd, int timeoutSeconds)
      throws IOException, InterruptedException {
    in.write((EarthstarJs.JSON.writeValueAsString(cmd) + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
    while (true) {
      JsonNode n = next(timeoutSeconds);
      if (n.has("syncEnded")) {
        unsolicited.add(n);
        continue;
      }
      if (n.has("error")) {
        throw new AssertionError(
            "JS peer: " + n.get("error").asText() + "\nstderr:\n" + stderrTail());
      }
      return n;
    }
  }

  public static ObjectNode cmd(String name) {
    return EarthstarJs.JSON.createObjectNode().put("cmd", name);
  }

  public JsonNode seed(int n, String prefix) throws IOException, InterruptedException {
    return call(cmd("seed").put("n", n).put("prefix", prefix), 120);
  }

  public JsonNode write(String path, String text) throws IOException, InterruptedException {
    return call(cmd("write").put("path", path).put("text", text), 30).get("doc");
  }

  public JsonNode dump() throws IOException, InterruptedException {
    return call(cmd("dump"), 120).get("docs");
  }

  /** A once sync; returns the answer ({@code synced}, {@code millis}). */
  public JsonNode syncOnce(String url, int timeoutSeconds)
      throws IOException, InterruptedException {
    return call(cmd("sync").put("url", url), timeoutSeconds);
  }

  public JsonNode syncContinuous(String url) throws IOException, InterruptedException {
    return call(cmd("sync").put("url", url).put("continuous", true), 30);
  }

  /** The Node process id (benchmarks read its CPU time and memory). */
  public long pid() {
    return process.pid();
  }

  public String stderrTail() {
    try {
      String s = Files.readString(err);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(err);
    } catch (InterruptedException | IOException ignored) {
      // best effort
    }
  }
}
