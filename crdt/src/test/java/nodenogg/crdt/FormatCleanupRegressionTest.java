package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.testing.MiniJson;
import nodenogg.crdt.testing.NodeOracle;
import nodenogg.crdt.testing.Typed;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The four cases of issue 13 ({@code ../shared/regressions/ytext-format-cleanup.jsonl}, made with
 * yjs 13.6.33): each case's v1 updates applied in order, each in its own transaction, to a fresh
 * doc, must give Yjs's {@code encodeStateAsUpdate} bytes, state vector and {@code toDelta()} of
 * root "text".
 *
 * <p>The expected values are those of a fresh Yjs doc that did not declare its roots before the
 * updates came (the roots are untyped until asked for, and Yjs runs its formatting cleanup only on
 * types known as Y.Text when an update arrives). With "text" declared first — as an editor binding
 * does, and as {@code ./microcosm update apply} did — real Yjs gives other bytes and another delta
 * for the same updates; the second test checks that Java gives exactly those too (compared with the
 * real Yjs when Node is there).
 */
class FormatCleanupRegressionTest {
  static Path casesFile() {
    String dir = System.getProperty("nodenogg.shared.dir");
    if (dir == null || dir.isBlank() || dir.contains("${")) dir = "../shared";
    return Paths.get(dir, "regressions", "ytext-format-cleanup.jsonl");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> cases() throws IOException {
    Path p = casesFile();
    Assumptions.assumeTrue(
        Files.isReadable(p),
        "regression cases missing at "
            + p.toAbsolutePath()
            + " (set -Dnodenogg.shared.dir to the shared folder that holds regressions/ytext-format-cleanup.jsonl)");
    List<Map<String, Object>> out = new ArrayList<>();
    for (String line : Files.readAllLines(p)) {
      if (!line.isBlank()) out.add((Map<String, Object>) MiniJson.parse(line));
    }
    assertEquals(4, out.size(), "cases in " + p);
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<byte[]> updates(Map<String, Object> c) {
    assertEquals("v1", c.get("format"), c.get("case") + ": update format");
    List<byte[]> l = new ArrayList<>();
    for (Object u : (List<Object>) c.get("updates")) l.add(Base64.getDecoder().decode((String) u));
    return l;
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static String delta(YText t) {
    return MiniJson.write(Typed.delta(t.toDelta()));
  }

  /**
   * Applies each update in its own transaction; returns the v1 and v2 update events the doc
   * emitted.
   */
  static List<List<String>> apply(Doc d, List<byte[]> updates) {
    List<String> v1 = new ArrayList<>();
    List<String> v2 = new ArrayList<>();
    d.onUpdate((u, o, tr) -> v1.add(b64(u)));
    d.onUpdateV2((u, o, tr) -> v2.add(b64(u)));
    for (byte[] u : updates) Updates.applyUpdate(d, u);
    return List.of(v1, v2);
  }

  @Test
  @SuppressWarnings("unchecked")
  void freshDocGivesYjsBytesStateVectorAndDelta() throws IOException {
    for (Map<String, Object> c : cases()) {
      String name = (String) c.get("case");
      Map<String, Object> expect = (Map<String, Object>) c.get("expect");
      Doc d = new Doc(new Doc.Options().clientId(1).gc(Boolean.TRUE.equals(c.get("gc"))));
      apply(d, updates(c));
      assertEquals(
          expect.get("update"),
          b64(Updates.encodeStateAsUpdate(d)),
          name + ": encodeStateAsUpdate");
      assertEquals(
          expect.get("stateVector"), b64(Updates.encodeStateVector(d)), name + ": state vector");
      assertEquals(
          MiniJson.write(Typed.canon(expect.get("textDelta"))),
          delta(d.getText("text")),
          name + ": text delta");
    }
  }

  /**
   * The same updates against the real Yjs, with no root declared first and with all roots declared
   * first (map, array, text, xml: then the formatting cleanup runs on root "text" too): Java must
   * give Yjs's bytes, state vector, text delta and every v1 and v2 update event (the cleanup
   * transactions' included).
   */
  @Test
  @SuppressWarnings("unchecked")
  void undeclaredAndDeclaredRootsMatchYjsIncludingCleanupEvents() throws IOException {
    List<Map<String, Object>> cases = cases();
    Assumptions.assumeTrue(
        NodeOracle.available(), "Node oracle unavailable (node and js/node_modules/yjs needed)");
    List<List<String>> declared =
        List.of(
            List.of("map", "map"),
            List.of("array", "array"),
            List.of("text", "text"),
            List.of("xml", "xml"));
    try (NodeOracle oracle = NodeOracle.startOrSkip()) {
      for (Map<String, Object> c : cases) {
        boolean gc = Boolean.TRUE.equals(c.get("gc"));
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        List<byte[]> ups = updates(c);
        String yjsUndeclared = null;
        for (List<List<String>> roots : List.of(List.<List<String>>of(), declared)) {
          String name =
              c.get("case")
                  + (roots.isEmpty() ? " (no root declared first)" : " (roots declared first)");
          Doc d = new Doc(new Doc.Options().clientId(1).gc(gc));
          for (List<String> r : roots) nodenogg.crdt.testing.Observed.root(d, r.get(0), r.get(1));
          List<List<String>> events = apply(d, ups);
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("updates", NodeOracle.b64List(ups));
          a.put("gc", gc);
          a.put("roots", roots);
          Map<String, Object> y = oracle.callMap("apply", a);
          assertEquals(
              y.get("update"), b64(Updates.encodeStateAsUpdate(d)), name + ": encodeStateAsUpdate");
          assertEquals(y.get("sv"), b64(Updates.encodeStateVector(d)), name + ": state vector");
          assertEquals(y.get("events"), events.get(0), name + ": v1 update events");
          assertEquals(y.get("eventsV2"), events.get(1), name + ": v2 update events");
          if (roots.isEmpty()) {
            assertEquals(
                expect.get("update"),
                y.get("update"),
                name + ": the oracle's yjs gives the recorded bytes");
            yjsUndeclared = (String) y.get("update");
          } else {
            String yDelta =
                MiniJson.write(Typed.canon(((Map<String, Object>) y.get("deltas")).get("text")));
            assertEquals(yDelta, delta(d.getText("text")), name + ": text delta");
            // the case exercises the cleanup: declaring "text" first changes what Yjs itself keeps
            assertNotEquals(
                yjsUndeclared,
                y.get("update"),
                name + ": Yjs bytes with and without declared roots");
          }
          assertFalse(events.get(0).isEmpty(), name + ": update events");
        }
      }
    }
  }

  /**
   * Each case's updates (three clients' rich-text, map, array, XML, hook and sub-document edits) in
   * 24 other orders per case — shuffled, with duplicates, reversed — roots declared before or
   * after: Java must give what real Yjs gives for the same order (bytes, state vector, text delta,
   * v1 and v2 events).
   */
  @Test
  @SuppressWarnings("unchecked")
  void caseUpdatesInOtherOrdersMatchYjs() throws IOException {
    List<Map<String, Object>> cases = cases();
    Assumptions.assumeTrue(
        NodeOracle.available(), "Node oracle unavailable (node and js/node_modules/yjs needed)");
    List<List<String>> roots =
        List.of(
            List.of("map", "map"),
            List.of("array", "array"),
            List.of("text", "text"),
            List.of("xml", "xml"));
    try (NodeOracle oracle = NodeOracle.startOrSkip()) {
      for (Map<String, Object> c : cases) {
        boolean gc = Boolean.TRUE.equals(c.get("gc"));
        List<byte[]> ups = updates(c);
        java.util.Random rnd = new java.util.Random(c.get("case").hashCode());
        for (int k = 0; k < 24; k++) {
          List<byte[]> order = new ArrayList<>(ups);
          if (k == 0) {
            java.util.Collections.reverse(order);
          } else {
            java.util.Collections.shuffle(order, rnd);
            if (k % 3 == 0) {
              for (int dup = 0; dup < ups.size() / 4; dup++)
                order.add(rnd.nextInt(order.size() + 1), ups.get(rnd.nextInt(ups.size())));
            }
          }
          boolean declareFirst = k % 2 == 1;
          String name =
              c.get("case")
                  + " order #"
                  + k
                  + (declareFirst ? " (roots declared first)" : " (roots declared after)");
          Doc d = new Doc(new Doc.Options().clientId(1).gc(gc));
          if (declareFirst)
            for (List<String> r : roots) nodenogg.crdt.testing.Observed.root(d, r.get(0), r.get(1));
          List<List<String>> events = apply(d, order);
          for (List<String> r : roots) nodenogg.crdt.testing.Observed.root(d, r.get(0), r.get(1));
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("updates", NodeOracle.b64List(order));
          a.put("gc", gc);
          a.put("roots", roots);
          if (!declareFirst) a.put("declare", "after");
          Map<String, Object> y = oracle.callMap("apply", a);
          assertEquals(
              y.get("update"), b64(Updates.encodeStateAsUpdate(d)), name + ": encodeStateAsUpdate");
          assertEquals(
              y.get("updateV2"),
              b64(Updates.encodeStateAsUpdateV2(d)),
              name + ": encodeStateAsUpdateV2");
          assertEquals(y.get("sv"), b64(Updates.encodeStateVector(d)), name + ": state vector");
          String yDelta =
              MiniJson.write(Typed.canon(((Map<String, Object>) y.get("deltas")).get("text")));
          assertEquals(yDelta, delta(d.getText("text")), name + ": text delta");
          assertEquals(y.get("events"), events.get(0), name + ": v1 update events");
          assertEquals(y.get("eventsV2"), events.get(1), name + ": v2 update events");
        }
      }
    }
  }
}
