package nodenogg.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import org.junit.jupiter.api.Test;

/**
 * B4: replaying the automerge-paper trace (one transaction per patch, client id 3000000001) yields
 * a document whose v1 and v2 encodings are byte-identical to the ones real Yjs 13.6.33 produced the
 * same way.
 */
class GoldenB4Test {

  @Test
  void b4FinalDocumentBytesEqualYjsGolden() throws Exception {
    Path trace = TraceReplayTest.sharedData("automerge-paper.json.gz");
    Path golden = TraceReplayTest.sharedData("golden/yjs-b4-automerge-paper-v1.bin");
    Trace t = Trace.load(trace, -1);
    Doc doc = new TraceReplay(t).replayLocal(null);
    assertEquals(t.endContent(), doc.getText("text").toString());
    byte[] ours = Updates.encodeStateAsUpdate(doc);
    byte[] yjs = Files.readAllBytes(golden);
    assertEquals(yjs.length, ours.length, "v1 size differs from Yjs's golden file");
    assertArrayEquals(yjs, ours, "v1 bytes differ from Yjs's golden file");

    byte[] yjsV2 =
        Files.readAllBytes(TraceReplayTest.sharedData("golden/yjs-b4-automerge-paper-v2.bin"));
    assertArrayEquals(
        yjsV2, Updates.encodeStateAsUpdateV2(doc), "v2 bytes differ from Yjs's golden file");
  }
}
