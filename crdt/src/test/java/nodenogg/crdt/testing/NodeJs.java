package nodenogg.crdt.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The one launcher for the Node scripts under {@code js/} that the tests use as oracles: finds the
 * {@code js/} folder and the {@code node} executable, skips the calling test (JUnit assumption)
 * with a clear message when either or a folder's npm packages are missing, and starts or runs a
 * script. Shared with the other modules through this module's test-jar; the per-oracle helpers
 * ({@code NodeOracle}, {@code NodeSupport}, {@code AutomergeNode}, {@code EarthstarJs}) only add
 * their folder and their protocol on top.
 *
 * <p>Stateless and thread-safe.
 */
public final class NodeJs {
  private NodeJs() {}

  /**
   * The {@code js/} folder: the system property {@code nodenogg.js.dir} (set by the root pom), else
   * the first {@code js/} holding {@code install.sh} above the working directory, else {@code
   * ../js}. Does not check that it exists.
   */
  public static Path jsDir() {
    String p = System.getProperty("nodenogg.js.dir");
    if (p != null && !p.isBlank() && !p.contains("${")) {
      return Paths.get(p).toAbsolutePath().normalize();
    }
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("js").resolve("install.sh"))) {
        return d.resolve("js");
      }
    }
    return Paths.get("..", "js").toAbsolutePath().normalize();
  }

  /**
   * {@code js/<folder>} ({@code js/} itself for ""), or a skipped test when {@code
   * js/<folder>/<required>} (e.g. {@code node_modules/earthstar}) is not there.
   */
  public static Path folder(String folder, String required) {
    Path dir = folder.isEmpty() ? jsDir() : jsDir().resolve(folder);
    Assumptions.assumeTrue(
        Files.exists(dir.resolve(required)),
        "skipped: js/"
            + (folder.isEmpty() ? "" : folder + "/")
            + required
            + " not found at "
            + dir.toAbsolutePath()
            + " (run bash js/install.sh, or set -Dnodenogg.js.dir)");
    return dir;
  }

  /**
   * The node executable ({@code -Dnodenogg.node}, {@code /usr/bin/node}, {@code
   * /usr/local/bin/node}, then {@code PATH}), or null when there is none.
   */
  public static String findNode() {
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
      for (String d : path.split(File.pathSeparator)) {
        File f = new File(d, "node");
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    return null;
  }

  /** The node executable, or a skipped test when there is none. */
  public static String node() {
    String node = findNode();
    Assumptions.assumeTrue(
        node != null, "skipped: node not found (put it on PATH or set -Dnodenogg.node=/path)");
    return node;
  }

  /**
   * Starts {@code node <script> args...} in {@code workDir} with extra environment; stderr goes to
   * {@code stderr} (a file), or stays a pipe for the caller when null. The caller owns the process.
   */
  public static Process start(
      Path workDir, Path script, Map<String, String> env, Path stderr, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(node());
    cmd.add(script.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().putAll(env);
    if (stderr != null) {
      pb.redirectError(stderr.toFile());
    }
    return pb.start();
  }

  /**
   * Runs {@code node <script> args...} in {@code workDir}, writes {@code stdin} and closes it;
   * returns stdout. Fails (AssertionError with the script's stderr) on a non-zero exit or when it
   * has not ended {@code timeoutSeconds} after closing its stdout.
   */
  public static String run(
      Path workDir, Path script, String stdin, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile("node-err", ".txt");
    Process p = start(workDir, script, Map.of(), err, args);
    String name = script.getFileName().toString();
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        throw new AssertionError(name + " did not finish within " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(name + " exited " + p.exitValue() + ": " + Files.readString(err));
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(err);
    }
  }

  /** Copies the process's stderr into {@code file} on a daemon thread. */
  public static Thread drainTo(Process p, Path file) {
    Thread t =
        new Thread(
            () -> {
              try {
                Files.copy(p.getErrorStream(), file, StandardCopyOption.REPLACE_EXISTING);
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
