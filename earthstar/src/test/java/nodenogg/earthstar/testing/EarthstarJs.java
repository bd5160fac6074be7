package nodenogg.earthstar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Node scripts of {@code js/earthstar/} against the real earthstar 10.2.2 (the pinned test
 * oracle); tests skip with a message when Node or the package is missing. Shared through the
 * test-jar.
 */
public final class EarthstarJs {
  public static final ObjectMapper JSON = new ObjectMapper();

  private EarthstarJs() {}

  public static Path dir() {
    String prop = System.getProperty("nodenogg.js.dir");
    Path js = prop != null ? Paths.get(prop) : Paths.get("..", "js");
    Path dir = js.resolve("earthstar");
    Assumptions.assumeTrue(
        Files.isDirectory(dir.resolve("node_modules").resolve("earthstar")),
        "skipped: js/earthstar/node_modules/earthstar not found at "
            + dir.toAbsolutePath()
            + " (run bash js/install.sh)");
    return dir;
  }

  public static String node() {
    for (String candidate :
        new String[] {
          System.getProperty("nodenogg.node", ""), "/usr/bin/node", "/usr/local/bin/node"
        }) {
      if (!candidate.isEmpty() && new File(candidate).canExecute()) {
        return candidate;
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String p : path.split(File.pathSeparator)) {
        File f = new File(p, "node");
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    Assumptions.abort("skipped: node not found (set -Dnodenogg.node=/path/to/node)");
    return null;
  }

  /**
   * Runs oracle.mjs on a list of operations; returns one result node ({ok} or {error}) per
   * operation.
   */
  public static List<JsonNode> oracle(ArrayNode ops) throws IOException, InterruptedException {
    String out = run("oracle.mjs", JSON.writeValueAsString(ops), 120);
    JsonNode arr = JSON.readTree(out);
    List<JsonNode> results = new ArrayList<>();
    arr.forEach(results::add);
    if (results.size() != ops.size()) {
      throw new AssertionError(
          "oracle returned " + results.size() + " results for " + ops.size() + " operations");
    }
    return results;
  }

  /**
   * Runs {@code node js/earthstar/<script> args...} with stdin; returns stdout; fails on a non-zero
   * exit.
   */
  public static String run(String script, String stdin, int timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    Path dir = dir();
    List<String> cmd = new ArrayList<>();
    cmd.add(node());
    cmd.add(dir.resolve(script).toString());
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("earthstar-node-err", ".txt");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError(script + " did not finish within " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            script + " exited " + p.exitValue() + ": " + Files.readString(err));
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(err);
    }
  }

  /** Starts {@code node js/earthstar/<script> args...}; stderr goes to {@code err}. */
  public static Process start(String script, Path err, String... args) throws IOException {
    Path dir = dir();
    List<String> cmd = new ArrayList<>();
    cmd.add(node());
    cmd.add(dir.resolve(script).toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
  }
}
