package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * mergeUpdates / diffUpdate / encodeStateVectorFromUpdate byte-compared with real Yjs on random
 * subsets.
 */
class NodeUpdateFunctionsTest {
  @Test
  @SuppressWarnings("unchecked")
  void updateFunctionsMatchYjs() throws Exception {
    Assumptions.assumeTrue(
        NodeReplayTest.nodeAvailable(),
        "node or js/node_modules/yjs missing; differential check skipped");
    long base = Long.getLong("nodenogg.seed", 1L);
    List<Object> cases = new ArrayList<>();
    for (long seed = base; seed < base + 12; seed++) {
      List<List<String>> updates = new ArrayList<>();
      List<Doc> docs = new ArrayList<>();
      NodeReplayTest.run(seed, 3, 60, seed % 2 == 0, true, new ArrayList<>(), updates, docs);
      List<String> all = new ArrayList<>();
      updates.forEach(all::addAll);
      Random r = new Random(seed);
      for (int k = 0; k < 5; k++) {
        List<String> subset = new ArrayList<>(all);
        Collections.shuffle(subset, r);
        subset = subset.subList(0, 1 + r.nextInt(subset.size()));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("updates", new ArrayList<>(subset));
        c.put("sv", Hex.encode(Updates.encodeStateVector(docs.get(r.nextInt(docs.size())))));
        cases.add(c);
      }
    }
    List<Object> res =
        (List<Object>)
            Json.parse(NodeReplayTest.runNode("oracle/updates.mjs", Json.stringify(cases)));
    for (int i = 0; i < cases.size(); i++) {
      Map<String, Object> c = (Map<String, Object>) cases.get(i);
      Map<String, Object> exp = (Map<String, Object>) res.get(i);
      List<byte[]> ups = new ArrayList<>();
      for (Object h : (List<Object>) c.get("updates")) {
        ups.add(Hex.decode((String) h));
      }
      byte[] merged = Updates.mergeUpdates(ups);
      assertEquals(exp.get("merged"), Hex.encode(merged), "case " + i + " merge");
      assertEquals(
          exp.get("diff"),
          Hex.encode(Updates.diffUpdate(merged, Hex.decode((String) c.get("sv")))),
          "case " + i + " diff");
      assertEquals(
          exp.get("sv"),
          Hex.encode(Updates.encodeStateVectorFromUpdate(merged)),
          "case " + i + " sv");
      byte[] v2 = Updates.convertUpdateFormatV1ToV2(merged);
      assertEquals(exp.get("v2"), Hex.encode(v2), "case " + i + " v1->v2");
      assertEquals(
          exp.get("backToV1"),
          Hex.encode(Updates.convertUpdateFormatV2ToV1(v2)),
          "case " + i + " v2->v1");
      List<byte[]> upsV2 = new ArrayList<>();
      for (byte[] u : ups) {
        upsV2.add(Updates.convertUpdateFormatV1ToV2(u));
      }
      assertEquals(
          exp.get("mergedV2"), Hex.encode(Updates.mergeUpdatesV2(upsV2)), "case " + i + " mergeV2");
      assertEquals(
          exp.get("diffV2"),
          Hex.encode(Updates.diffUpdateV2(v2, Hex.decode((String) c.get("sv")))),
          "case " + i + " diffV2");
      assertEquals(
          Hex.encode(Updates.encodeStateVectorFromUpdate(merged)),
          Hex.encode(Updates.encodeStateVectorFromUpdateV2(v2)));
    }
  }
}
