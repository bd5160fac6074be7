package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.testing.NodeOracle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Doc.toJSON against Yjs 13.6: roots that only arrived in remote updates and were never defined on
 * the receiving doc are left out (their Yjs type is the base AbstractType, whose toJSON is
 * undefined); roots defined before or after the update appear in the order they were first seen.
 * The Node script {@code js/oracle/doc-tojson.mjs} builds the update and prints Yjs's {@code
 * JSON.stringify(doc.toJSON())}.
 */
class DocToJsonInteropTest {
  @Test
  void remoteOnlyRootsAreLeftOutLikeYjs() throws Exception {
    Assumptions.assumeTrue(
        NodeOracle.available(),
        "Node or yjs in js/node_modules missing (looked in "
            + NodeOracle.jsDir()
            + "): skipping the Yjs comparison");
    Map<?, ?> oracle = (Map<?, ?>) Json.parse(runNode("oracle/doc-tojson.mjs"));

    Doc b = new Doc(new Doc.Options().clientId(2));
    b.getMap("localFirst").set("z", 0);
    Updates.applyUpdate(b, Base64.getDecoder().decode((String) oracle.get("update")));
    assertEquals(
        oracle.get("before"), Json.stringify(b.toJSON()), "before B defines the remote roots");
    assertFalse(b.toJSON().containsKey("remoteOnly"));

    b.getMap("defined");
    b.getText("txt");
    b.getArray("7");
    b.getArray("localAfter");
    assertEquals(oracle.get("after"), Json.stringify(b.toJSON()), "after B defines some of them");
    assertFalse(b.toJSON().containsKey("3"));
    assertFalse(b.toJSON().containsKey("xml"));
    // a remote-only root is still there: asking for it with its type shows its content
    assertEquals("[1,\"x\",{\"o\":0}]", Json.stringify(b.getArray("remoteOnly").toJSON()));
  }

  private static String runNode(String script) throws Exception {
    Path js = NodeOracle.jsDir();
    Process p =
        new ProcessBuilder(NodeOracle.nodeBinary(), js.resolve(script).toString())
            .directory(js.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try {
      p.getOutputStream().close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "node " + script + " failed: " + out.toString(StandardCharsets.UTF_8));
      }
      return out.toString(StandardCharsets.UTF_8).trim();
    } finally {
      p.destroyForcibly();
    }
  }
}
