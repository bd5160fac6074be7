package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nodenogg.crdt.encoding.DecodingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Relative positions against real Yjs: created mid-session at random indices (both assoc signs) in
 * the root text and array of each peer, encoded and turned into JSON, then resolved in every peer
 * after the rest of the session; bytes, JSON and absolute positions must equal Yjs's.
 */
class RelativePositionInteropTest {
  static YjsOracle oracle;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(YjsOracle.available(), YjsOracle.skipReason());
    oracle = new YjsOracle();
  }

  @AfterAll
  static void stop() throws Exception {
    if (oracle != null) {
      oracle.close();
    }
  }

  @SuppressWarnings("unchecked")
  void check(long seed) throws Exception {
    List<Object> ops = new ArrayList<>();
    Map<String, Object> script =
        NodeReplayTest.run(
            seed, 3, 90, seed % 2 == 0, true, ops, new ArrayList<>(), new ArrayList<>());
    Random r = new Random(seed);
    int split = ops.size() / 2;
    List<Doc> docs = new ArrayList<>();
    for (Object c : (List<Object>) script.get("clients")) {
      Doc d = new Doc(new Doc.Options().clientId(((Number) c).longValue()).gc(seed % 2 == 0));
      d.getText("t");
      d.getMap("m");
      d.getArray("a");
      docs.add(d);
    }
    List<Object> positions = new ArrayList<>();
    List<RelativePosition> ours = new ArrayList<>();
    for (int k = 0; k < ops.size(); k++) {
      ScriptReplay.apply(docs, (Map<String, Object>) ops.get(k));
      if (k == split) {
        for (int n = 0; n < 12; n++) {
          int di = r.nextInt(docs.size());
          boolean text = r.nextBoolean();
          AbstractType<?> type = text ? docs.get(di).getText("t") : docs.get(di).getArray("a");
          int len = text ? ((YText) type).length() : ((YArray) type).length();
          int index = r.nextInt(len + 1);
          int assoc = r.nextInt(3) - 1;
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("d", di);
          p.put("t", text ? "t" : "a");
          p.put("index", index);
          p.put("assoc", assoc);
          positions.add(p);
          ours.add(RelativePosition.createRelativePositionFromTypeIndex(type, index, assoc));
        }
      }
    }
    Map<String, Object> req = new LinkedHashMap<>(script);
    req.put("cmd", "relpos");
    req.put("split", split);
    req.put("positions", positions);
    List<Object> res = (List<Object>) oracle.call(req);
    for (int n = 0; n < ours.size(); n++) {
      Map<String, Object> y = (Map<String, Object>) res.get(n);
      RelativePosition rp = ours.get(n);
      String ctx = "seed=" + seed + " position " + n + " " + positions.get(n);
      byte[] enc = RelativePosition.encodeRelativePosition(rp);
      assertEquals(y.get("hex"), Hex.encode(enc), ctx + " encoding");
      assertEquals(
          y.get("json"),
          Json.stringify(RelativePosition.relativePositionToJSON(rp)),
          ctx + " JSON");
      RelativePosition back =
          RelativePosition.createRelativePositionFromJSON(
              (Map<String, Object>) Json.parse((String) y.get("json")));
      assertTrue(RelativePosition.compareRelativePositions(rp, back), ctx + " JSON round trip");
      List<Object> abs = (List<Object>) y.get("abs");
      for (int i = 0; i < docs.size(); i++) {
        Doc d = docs.get(i);
        RelativePosition.AbsolutePosition a =
            RelativePosition.createAbsolutePositionFromRelativePosition(
                RelativePosition.decodeRelativePosition(enc), d);
        Object ya = abs.get(i);
        if (ya == null) {
          assertNull(a, ctx + " doc " + i + " absolute");
          continue;
        }
        Map<String, Object> m = (Map<String, Object>) ya;
        String t =
            a == null
                ? "null"
                : a.type() == d.getText("t") ? "t" : a.type() == d.getArray("a") ? "a" : "?";
        assertEquals(m.get("t"), t, ctx + " doc " + i + " type");
        assertEquals(((Number) m.get("index")).intValue(), a.index(), ctx + " doc " + i + " index");
        assertEquals(((Number) m.get("assoc")).intValue(), a.assoc(), ctx + " doc " + i + " assoc");
      }
    }
  }

  @Test
  void relativePositionsMatchYjs() throws Exception {
    long base = Long.getLong("nodenogg.seed", 1L);
    for (long seed = base; seed < base + 10; seed++) {
      check(seed);
    }
  }

  // ---- ports of yjs tests/relativePositions.tests.js (names kept) ----

  static void checkRelativePositions(YText ytext) {
    for (int i = 0; i < ytext.length(); i++) {
      for (int assoc = -1; assoc < 2; assoc++) {
        RelativePosition rp = RelativePosition.createRelativePositionFromTypeIndex(ytext, i, assoc);
        byte[] enc = RelativePosition.encodeRelativePosition(rp);
        RelativePosition.AbsolutePosition a =
            RelativePosition.createAbsolutePositionFromRelativePosition(
                RelativePosition.decodeRelativePosition(enc), ytext.doc());
        assertTrue(a.type() == ytext);
        assertEquals(i, a.index());
        assertEquals(assoc, a.assoc());
      }
    }
  }

  @Test
  void testRelativePositionCase1() {
    Doc d = new Doc();
    YText ytext = d.getText("t");
    ytext.insert(0, "1");
    ytext.insert(0, "abc");
    ytext.insert(0, "z");
    ytext.insert(0, "y");
    ytext.insert(0, "x");
    checkRelativePositions(ytext);
  }

  @Test
  void testRelativePositionCase2() {
    Doc d = new Doc();
    YText ytext = d.getText("t");
    ytext.insert(0, "abc");
    checkRelativePositions(ytext);
  }

  @Test
  void testRelativePositionCase3() {
    Doc d = new Doc();
    YText ytext = d.getText("t");
    ytext.insert(0, "abc");
    ytext.insert(0, "1");
    ytext.insert(0, "xyz");
    checkRelativePositions(ytext);
  }

  @Test
  void testRelativePositionCase6() {
    Doc d = new Doc();
    YText ytext = d.getText("t");
    checkRelativePositions(ytext);
  }

  @Test
  void testRelativePositionCase4() {
    Doc d = new Doc();
    YText ytext = d.getText("t");
    ytext.insert(0, "1");
    checkRelativePositions(ytext);
  }

  @Test
  void testRelativePositionCase5() {
    Doc d = new Doc();
    YText ytext = d.getText("t");
    ytext.insert(0, "2");
    ytext.insert(0, "1");
    checkRelativePositions(ytext);
  }

  @Test
  void testRelativePositionAssociationDifference() {
    Doc d = new Doc();
    YText ytext = d.getText("t");
    ytext.insert(0, "2");
    ytext.insert(0, "1");
    RelativePosition rposRight = RelativePosition.createRelativePositionFromTypeIndex(ytext, 1, 0);
    RelativePosition rposLeft = RelativePosition.createRelativePositionFromTypeIndex(ytext, 1, -1);
    ytext.insert(1, "x");
    assertEquals(
        2, RelativePosition.createAbsolutePositionFromRelativePosition(rposRight, d).index());
    assertEquals(
        1, RelativePosition.createAbsolutePositionFromRelativePosition(rposLeft, d).index());
  }

  @Test
  void testRelativePositionWithUndo() {
    Doc d = new Doc();
    YText ytext = d.getText("t");
    ytext.insert(0, "hello world");
    RelativePosition rpos = RelativePosition.createRelativePositionFromTypeIndex(ytext, 1);
    UndoManager um = new UndoManager(ytext);
    ytext.delete(0, 6);
    assertEquals(0, RelativePosition.createAbsolutePositionFromRelativePosition(rpos, d).index());
    um.undo();
    assertEquals(1, RelativePosition.createAbsolutePositionFromRelativePosition(rpos, d).index());
    assertEquals(
        6, RelativePosition.createAbsolutePositionFromRelativePosition(rpos, d, false).index());
    Doc clone = new Doc();
    Updates.applyUpdate(clone, Updates.encodeStateAsUpdate(d));
    assertEquals(
        6, RelativePosition.createAbsolutePositionFromRelativePosition(rpos, clone).index());
    assertEquals(
        6, RelativePosition.createAbsolutePositionFromRelativePosition(rpos, clone, false).index());
  }

  @Test
  void decodingRejectsUnknownTagsAndTruncation() {
    assertThrows(
        DecodingException.class, () -> RelativePosition.decodeRelativePosition(new byte[] {3}));
    assertThrows(
        DecodingException.class, () -> RelativePosition.decodeRelativePosition(new byte[] {0, 1}));
    assertFalse(
        RelativePosition.compareRelativePositions(
            new RelativePosition(null, "a", null, 0), new RelativePosition(null, "a", null, -1)));
  }
}
