package nodenogg.sync.protocol;

import java.io.IOException;
import java.nio.file.Path;
import nodenogg.crdt.testing.NodeJs;

/**
 * Runs a Node script from {@code js/sync/} with stdin and returns stdout; skips when Node or {@code
 * js/node_modules/y-protocols} is missing. The process handling is {@link NodeJs}'s.
 */
public final class NodeScript {
  private NodeScript() {}

  public static Path jsDir() {
    Path js = NodeJs.folder("", "node_modules/y-protocols");
    NodeJs.node();
    return js;
  }

  public static String run(String script, String stdin) throws IOException, InterruptedException {
    Path js = jsDir();
    return NodeJs.run(js, js.resolve("sync").resolve(script), stdin, 60);
  }
}
