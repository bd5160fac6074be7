package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.testing.NodeOracle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A rich-text document written by the real y-prosemirror (as a ProseMirror/Tiptap editor in the
 * browser stores it: an {@code XmlFragment} of elements, formatted XmlText and attributes), then
 * edited through y-prosemirror's own diffing ({@code updateYFragment}). Java applies each update
 * Yjs emitted and must hold exactly what Yjs holds: the same {@code toString()}, the same
 * full-state bytes in v1 and v2, and the same result when the document travels as v2.
 */
class YProsemirrorDocumentTest {

  @Test
  void documentWrittenByYProsemirrorReadsBackAndRoundTripsByteIdentically() throws Exception {
    Path script = NodeOracle.jsDir().resolve("prosemirror").resolve("y-prosemirror-doc.mjs");
    Assumptions.assumeTrue(
        NodeOracle.nodeBinary() != null
            && Files.isDirectory(
                NodeOracle.jsDir().resolve("node_modules").resolve("y-prosemirror")),
        "y-prosemirror unavailable: need node on PATH and js/node_modules (run js/install.sh)");
    Map<String, Object> out = runNode(script);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> steps = (List<Map<String, Object>>) out.get("steps");
    assertEquals(2, steps.size());

    Doc viaV1 = new Doc(new Doc.Options().clientId(1));
    Doc viaV2 = new Doc(new Doc.Options().clientId(2));
    int i = 0;
    for (Map<String, Object> step : steps) {
      Updates.applyUpdate(viaV1, bytes(step, "update"));
      Updates.applyUpdateV2(viaV2, bytes(step, "updateV2"));
      String where = "step " + i++;
      String xml = (String) step.get("xml");
      assertEquals(
          xml, viaV1.getXmlFragment("prosemirror").toString(), where + ": toString via v1");
      assertEquals(
          xml, viaV2.getXmlFragment("prosemirror").toString(), where + ": toString via v2");
      assertArrayEquals(
          bytes(step, "state"), Updates.encodeStateAsUpdate(viaV1), where + ": v1 state bytes");
      assertArrayEquals(
          bytes(step, "stateV2"), Updates.encodeStateAsUpdateV2(viaV1), where + ": v2 state bytes");
      assertArrayEquals(
          bytes(step, "state"),
          Updates.encodeStateAsUpdate(viaV2),
          where + ": v1 state bytes (doc fed v2)");
    }
    // and a fresh doc loaded from Java's own encoding re-encodes to the same bytes
    Doc reloaded = new Doc(new Doc.Options().clientId(3));
    Updates.applyUpdate(reloaded, Updates.encodeStateAsUpdate(viaV1));
    assertArrayEquals(Updates.encodeStateAsUpdate(viaV1), Updates.encodeStateAsUpdate(reloaded));
  }

  private static byte[] bytes(Map<String, Object> step, String key) {
    return Base64.getDecoder().decode((String) step.get(key));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> runNode(Path script) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(NodeOracle.nodeBinary(), script.toString())
            .directory(NodeOracle.jsDir().toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("node did not finish: " + script);
    }
    assertEquals(0, p.exitValue(), "node exit code for " + script);
    return (Map<String, Object>) Json.parse(json.trim());
  }
}
