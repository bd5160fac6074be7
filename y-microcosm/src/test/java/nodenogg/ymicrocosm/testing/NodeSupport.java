package nodenogg.ymicrocosm.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import nodenogg.crdt.testing.NodeJs;

/**
 * Runs the Node scripts in {@code js/microcosm/} against the pinned npm packages; skips when
 * absent. Shared with the examples and cli tests through this module's test-jar. The process
 * handling is {@link NodeJs}'s.
 */
public final class NodeSupport {
  private NodeSupport() {}

  /** {@code js/}, or a skipped test when {@code js/node_modules/yjs} is not installed. */
  public static Path jsDir() {
    return NodeJs.folder("", "node_modules/yjs");
  }

  public static String node() {
    return NodeJs.node();
  }

  /**
   * Runs {@code node js/microcosm/<script> args...} with {@code stdin}; returns stdout, fails on
   * non-zero exit.
   */
  public static String run(String script, String stdin, String... args)
      throws IOException, InterruptedException {
    Path dir = jsDir();
    return NodeJs.run(dir, dir.resolve("microcosm").resolve(script), stdin, 60, args);
  }

  /**
   * Starts {@code node js/microcosm/<script> args...} without waiting; stderr goes to {@code err}.
   */
  public static Process start(String script, Path err, String... args) throws IOException {
    Path dir = jsDir();
    return NodeJs.start(dir, dir.resolve("microcosm").resolve(script), Map.of(), err, args);
  }
}
