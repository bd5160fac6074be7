package nodenogg.crdt.yjsport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Scenarios of Yjs tests/encoding.tests.js (v13.6), same names, as far as the engine supports them. */
class EncodingTest {
  @Test
  void testStructReferences() {
    Assumptions.abort("not portable: checks the length of Yjs's internal contentRefs table; our content refs are covered by"
        + " BadInputTest (refs 11..31 rejected) and the differential tests");
  }

  @Test
  void testPermanentUserData() {
    Assumptions.abort("engine has no PermanentUserData yet");
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
