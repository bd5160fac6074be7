package nodenogg.ymicrocosm.testing;

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
 * Runs the Node scripts in {@code js/microcosm/} against the pinned npm packages; skips when
 * absent. Shared with the examples and cli tests through this module's test-jar.
 */
public final class NodeSupport {
  private NodeSupport() {}

  public static Path jsDir() {
    String prop = System.getProperty("nodenogg.js.dir");
    Path dir = prop != null ? Paths.get(prop) : Paths.get("..", "js");
    Assumptions.assumeTrue(
        Files.isDirectory(dir.resolve("node_modules").resolve("yjs")),
        "skipped: js/node_modules with yjs not found at "
            + dir.toAbsolutePath()
            + " (run npm install in js/)");
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
   * Runs {@code node js/microcosm/<script> args...} with {@code stdin}; returns stdout, fails on
   * non-zero exit.
   */
  public static String run(String script, String stdin, String... args)
      throws IOException, InterruptedException {
    Path dir = jsDir();
    List<String> cmd = new ArrayList<>();
    cmd.add(node());
    cmd.add(dir.resolve("microcosm").resolve(script).toString());
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("node-err", ".txt");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError(script + " did not finish within 60 s");
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

  /**
   * Starts {@code node js/microcosm/<script> args...} without waiting; stderr goes to {@code err}.
   */
  public static Process start(String script, Path err, String... args) throws IOException {
    Path dir = jsDir();
    List<String> cmd = new ArrayList<>();
    cmd.add(node());
    cmd.add(dir.resolve("microcosm").resolve(script).toString());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
  }
}
