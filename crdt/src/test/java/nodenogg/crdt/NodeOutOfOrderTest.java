package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Out-of-order and duplicate delivery against real Yjs: the update events of a random session are
 * applied in a shuffled order (with repeats) to one fresh doc on both sides; after every step the
 * state vector, the pending flag, the update event and (once nothing is pending) the bytes must
 * match.
 */
class NodeOutOfOrderTest {
  @SuppressWarnings("unchecked")
  static Map<String, Object> prepare(long seed, boolean gc, List<String> allOut) {
    List<Object> ops = new ArrayList<>();
    List<List<String>> updates = new ArrayList<>();
    List<Doc> docs = new ArrayList<>();
    NodeReplayTest.run(seed, 3, 60, gc, true, ops, updates, docs);
    List<String> all = new ArrayList<>();
    for (List<String> u : updates) {
      all.addAll(u);
    }
    Random r = new Random(seed);
    Collections.shuffle(all, r);
    int dups = all.size() / 5;
    for (int i = 0; i < dups; i++) {
      all.add(r.nextInt(all.size()), all.get(r.nextInt(all.size())));
    }
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("gc", gc);
    input.put("updates", all);
    input.put("v2", seed % 3 == 0);
    allOut.addAll(all);
    return input;
  }

  @SuppressWarnings("unchecked")
  static void verify(long seed, boolean gc, List<String> all, Map<String, Object> res) {
    List<Object> steps = (List<Object>) res.get("steps");
    Doc d = new Doc(new Doc.Options().clientId(999).gc(gc));
    d.getText("t");
    d.getMap("m");
    d.getArray("a");
    String[] last = new String[1];
    d.onUpdate((u, o, t) -> last[0] = Hex.encode(u));
    for (int i = 0; i < all.size(); i++) {
      last[0] = null;
      if (seed % 3 == 0) {
        Updates.applyUpdateV2(d, Updates.convertUpdateFormatV1ToV2(Hex.decode(all.get(i))));
      } else {
        Updates.applyUpdate(d, Hex.decode(all.get(i)));
      }
      Map<String, Object> st = (Map<String, Object>) steps.get(i);
      String ctx = "seed=" + seed + " gc=" + gc + " step " + i;
      assertEquals(st.get("sv"), Hex.encode(Updates.encodeStateVector(d)), ctx + " sv");
      assertEquals(st.get("pending"), d.hasPending(), ctx + " pending");
      assertEquals(st.get("event"), last[0], ctx + " event");
      assertEquals(
          st.get("state"),
          Hex.encode(Updates.encodeStateAsUpdate(d)),
          ctx + " state (pending " + d.hasPending() + ")");
      assertEquals(
          st.get("stateV2"),
          Hex.encode(Updates.encodeStateAsUpdateV2(d)),
          ctx + " state v2 (pending " + d.hasPending() + ")");
    }
    assertFalse(d.hasPending());
    Map<String, Object> mine = new LinkedHashMap<>();
    mine.put("t", d.getText("t").toDelta());
    mine.put("m", d.getMap("m").toJSON());
    mine.put("a", d.getArray("a").toJSON());
    assertEquals(res.get("json"), Json.stringify(mine));
  }

  @Test
  @SuppressWarnings("unchecked")
  void shuffledDeliveryMatchesYjs() throws Exception {
    Assumptions.assumeTrue(
        NodeReplayTest.nodeAvailable(),
        "node or js/node_modules/yjs missing; differential check skipped");
    long base = Long.getLong("nodenogg.seed", 1L);
    List<Object> inputs = new ArrayList<>();
    List<List<String>> alls = new ArrayList<>();
    for (long s = base; s < base + 16; s++) {
      List<String> all = new ArrayList<>();
      inputs.add(prepare(s, s % 2 == 0, all));
      alls.add(all);
    }
    String in = Json.stringify(inputs);
    java.nio.file.Files.writeString(new java.io.File("target/apply-last.json").toPath(), in);
    List<Object> results =
        (List<Object>) Json.parse(NodeReplayTest.runNode("oracle/apply.mjs", in));
    for (int i = 0; i < inputs.size(); i++) {
      long s = base + i;
      verify(s, s % 2 == 0, alls.get(i), (Map<String, Object>) results.get(i));
    }
  }
}
