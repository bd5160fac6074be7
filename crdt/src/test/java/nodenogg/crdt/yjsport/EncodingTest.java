package nodenogg.crdt.yjsport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.Doc;
import nodenogg.crdt.ID;
import nodenogg.crdt.PermanentUserData;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Scenarios of Yjs tests/encoding.tests.js (v13.6), same names, as far as the engine supports them.
 */
class EncodingTest {
  @Test
  void testStructReferences() {
    Assumptions.abort(
        "not portable: checks the length of Yjs's internal contentRefs table; our content refs are covered by"
            + " BadInputTest (refs 11..31 rejected) and the differential tests");
  }

  /**
   * Yjs's scenario (it only checks that nothing throws); the assertions are ours, derived by hand:
   * each doc writes users/&lt;name&gt; (clock 0), its ids and ds arrays (1, 2), pushes its client
   * id (3), then the text starts at clock 4.
   */
  @Test
  void testPermanentUserData() {
    Doc ydoc1 = new Doc();
    Doc ydoc2 = new Doc();
    PermanentUserData pd1 = new PermanentUserData(ydoc1);
    PermanentUserData pd2 = new PermanentUserData(ydoc2);
    pd1.setUserMapping(ydoc1, ydoc1.clientId(), "user a");
    pd2.setUserMapping(ydoc2, ydoc2.clientId(), "user b");
    ydoc1.getText("").insert(0, "xhi");
    ydoc1.getText("").delete(0, 1);
    ydoc2.getText("").insert(0, "hxxi");
    ydoc2.getText("").delete(1, 2);
    Updates.applyUpdate(ydoc2, Updates.encodeStateAsUpdate(ydoc1));
    Updates.applyUpdate(ydoc1, Updates.encodeStateAsUpdate(ydoc2));

    // now sync a third doc with same name as doc1 and then create PermanentUserData
    Doc ydoc3 = new Doc();
    Updates.applyUpdate(ydoc3, Updates.encodeStateAsUpdate(ydoc1));
    PermanentUserData pd3 = new PermanentUserData(ydoc3);
    pd3.setUserMapping(ydoc3, ydoc3.clientId(), "user a");

    long c1 = ydoc1.clientId();
    long c2 = ydoc2.clientId();
    for (PermanentUserData pd : List.of(pd1, pd2, pd3)) {
      assertEquals("user a", pd.getUserByClientId(c1));
      assertEquals("user b", pd.getUserByClientId(c2));
      assertEquals("user a", pd.getUserByDeletedId(new ID(c1, 4))); // the x of "xhi"
      assertEquals("user b", pd.getUserByDeletedId(new ID(c2, 5))); // "xx" of "hxxi"
      assertEquals("user b", pd.getUserByDeletedId(new ID(c2, 6)));
      assertNull(pd.getUserByDeletedId(new ID(c1, 5)));
      assertNull(pd.getUserByDeletedId(new ID(c2, 4)));
    }
    assertEquals("user a", pd3.getUserByClientId(ydoc3.clientId()));
    assertEquals("user a", pd1.getUserByClientId(c1));
    @SuppressWarnings("unchecked")
    Map<String, Object> userA = (Map<String, Object>) ydoc3.getMap("users").toJSON().get("user a");
    List<Long> ids = new ArrayList<>();
    for (Object o : (List<Object>) userA.get("ids")) {
      ids.add(((Number) o).longValue());
    }
    assertEquals(List.of(c1, ydoc3.clientId()), ids); // ydoc3 joined the existing entry
    assertEquals(
        1,
        ((List<?>) userA.get("ds"))
            .size()); // ydoc1 deleted in one transaction; remote ones are not recorded
  }

  static byte[] svFromUpdate(byte[] update) throws Throwable {
    Method m;
    try {
      m = Updates.class.getMethod("encodeStateVectorFromUpdate", byte[].class);
    } catch (NoSuchMethodException e) {
      Assumptions.abort("engine has no Updates.encodeStateVectorFromUpdate yet");
      return null;
    }
    try {
      return (byte[]) m.invoke(null, (Object) update);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void testDiffStateVectorOfUpdateIsEmpty() throws Throwable {
    Doc ydoc = new Doc();
    List<byte[]> svs = new ArrayList<>();
    ydoc.getText("").insert(0, "a");
    List<byte[]> updates = new ArrayList<>();
    ydoc.onUpdate((u, o, t) -> updates.add(u));
    ydoc.getText("").insert(0, "a");
    for (byte[] u : updates) svs.add(svFromUpdate(u));
    assertEquals(1, svs.size());
    assertArrayEquals(new byte[] {0}, svs.get(0));
  }

  @Test
  void testDiffStateVectorOfUpdateIgnoresSkips() throws Throwable {
    Doc ydoc = new Doc();
    List<byte[]> updates = new ArrayList<>();
    ydoc.onUpdate((u, o, t) -> updates.add(u));
    ydoc.getText("").insert(0, "a");
    ydoc.getText("").insert(0, "b");
    ydoc.getText("").insert(0, "c");
    Method merge;
    try {
      merge = Updates.class.getMethod("mergeUpdates", List.class);
    } catch (NoSuchMethodException e) {
      Assumptions.abort("engine has no Updates.mergeUpdates yet");
      return;
    }
    byte[] update13 = (byte[]) merge.invoke(null, List.of(updates.get(0), updates.get(2)));
    byte[] sv = svFromUpdate(update13);
    assertEquals(1L, (long) Updates.decodeStateVector(sv).get(ydoc.clientId()));
  }

  /** Ours, not a Yjs test: round trip of a doc with nested types through encodeStateAsUpdate. */
  @Test
  void testEncodeDecodeRoundTrip() {
    Doc a = new Doc(new Doc.Options().clientId(5));
    YMap m = new YMap();
    a.getMap("map").set("m", m);
    m.set("k", List.of(1, "x"));
    Doc b = new Doc(new Doc.Options().clientId(6));
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a));
    assertArrayEquals(Updates.encodeStateAsUpdate(a), Updates.encodeStateAsUpdate(b));
  }
}
