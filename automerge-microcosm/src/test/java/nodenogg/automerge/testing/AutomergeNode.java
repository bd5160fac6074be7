package nodenogg.automerge.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import nodenogg.crdt.testing.NodeJs;

/**
 * Runs the Node scripts in {@code js/automerge/} against the pinned automerge packages ({@code
 * js/automerge/ package-lock.json}); tests skip with a message when Node or the packages are
 * missing. Shared with the sync-server, cli and integration tests through this module's test-jar;
 * the process handling is {@code nodenogg.crdt.testing.NodeJs}'s.
 */
public final class AutomergeNode {
  private AutomergeNode() {}

  /** {@code js/automerge}, or a skipped test when its packages are not installed. */
  public static Path dir() {
    return NodeJs.folder("automerge", "node_modules/@automerge/automerge-repo");
  }

  public static String node() {
    return NodeJs.node();
  }

  /**
   * Runs {@code node js/automerge/<script> args...} with {@code stdin}; returns stdout, fails on a
   * non-zero exit.
   */
  public static String run(String script, String stdin, String... args)
      throws IOException, InterruptedException {
    Path dir = dir();
    return NodeJs.run(dir, dir.resolve(script), stdin, 120, args);
  }

  /**
   * Starts {@code node js/automerge/<script> args...} with extra environment; the caller owns the
   * process (and its stderr pipe).
   */
  public static Process start(String script, Map<String, String> env, String... args)
      throws IOException {
    Path dir = dir();
    return NodeJs.start(dir, dir.resolve(script), env, null, args);
  }

  /** Copies the process's stderr into {@code file} on a daemon thread. */
  public static Thread drainTo(Process p, Path file) {
    return NodeJs.drainTo(p, file);
  }
}
