package nodenogg.automerge.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the Node scripts in {@code js/automerge/} against the pinned automerge packages ({@code
 * js/automerge/ package-lock.json}); tests skip with a message when Node or the packages are
 * missing. Shared with the sync-server, cli and integration tests through this module's test-jar.
 */
public final class AutomergeNode {
  private AutomergeNode() {}

  /** {@code js/automerge}, or a skipped test when its packages are not installed. */
  public static Path dir() {
    String prop = System.getProperty("nodenogg.js.dir");
    Path js = prop != null ? Paths.get(prop) : Paths.get("..", "js");
    Path dir = js.resolve("automerge");
    Assumptions.assumeTrue(
        Files.isDirectory(
            dir.resolve("node_modules").resolve("@automerge").resolve("automerge-repo")),
        "skipped: js/automerge/node_modules not found at "
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
   * Runs {@code node js/automerge/<script> args...} with {@code stdin}; returns stdout, fails on a
   * non-zero exit.
   */
  public static String run(String script, String stdin, String... args)
      throws IOException, InterruptedException {
    Process p = start(script, Map.of(), args);
    Path err = Files.createTempFile("node-err", ".txt");
    try {
      Thread drain = drainTo(p, err);
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        throw new AssertionError(script + " did not finish within 120 s");
      }
      drain.join(5000);
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
   * Starts {@code node js/automerge/<script> args...} with extra environment; the caller owns the
   * process.
   */
  public static Process start(String script, Map<String, String> env, String... args)
      throws IOException {
    Path dir = dir();
    List<String> cmd = new ArrayList<>();
    cmd.add(node());
    cmd.add(dir.resolve(script).toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Copies the process's stderr into {@code file} on a daemon thread. */
  public static Thread drainTo(Process p, Path file) {
    Thread t =
        new Thread(
            () -> {
              try {
                Files.copy(
                    p.getErrorStream(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
              } catch (IOException e) {
                // process gone
              }
            },
            "node-stderr");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
