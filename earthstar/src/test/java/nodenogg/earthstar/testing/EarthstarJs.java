package nodenogg.earthstar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.testing.NodeJs;

/**
 * Runs the Node scripts of {@code js/earthstar/} against the real earthstar 10.2.2 (the pinned test
 * oracle); tests skip with a message when Node or the package is missing. Shared through the
 * test-jar; the process handling is {@code nodenogg.crdt.testing.NodeJs}'s.
 */
public final class EarthstarJs {
  public static final ObjectMapper JSON = new ObjectMapper();

  private EarthstarJs() {}

  /** {@code js/earthstar}, or a skipped test when its packages are not installed. */
  public static Path dir() {
    return NodeJs.folder("earthstar", "node_modules/earthstar");
  }

  public static String node() {
    return NodeJs.node();
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
    return NodeJs.run(dir, dir.resolve(script), stdin, timeoutSeconds, args);
  }

  /** Starts {@code node js/earthstar/<script> args...}; stderr goes to {@code err}. */
  public static Process start(String script, Path err, String... args) throws IOException {
    Path dir = dir();
    return NodeJs.start(dir, dir.resolve(script), Map.of(), err, args);
  }
}
