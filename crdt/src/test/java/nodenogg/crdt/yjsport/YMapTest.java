package nodenogg.crdt.yjsport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nodenogg.crdt.Json;
import nodenogg.crdt.YArray;
import nodenogg.crdt.YMap;
import nodenogg.crdt.YMapEvent;
import nodenogg.crdt.encoding.Undefined;
import nodenogg.crdt.testing.YjsTestEnv;
import org.junit.jupiter.api.Test;

/**
 * Scenarios of Yjs tests/y-map.tests.js, same names, run on the Java engine (YjsTestEnv = Yjs's
 * init/compare).
 */
class YMapTest {
  @Test
  void testBasicMapTests() {
    YjsTestEnv env = new YjsTestEnv(3);
    env.disconnect(2);
    YMap map0 = env.map(0);
    map0.set("number", 1);
    map0.set("string", "hello Y");
    map0.set("object", Map.of("key", Map.of("key2", "value")));
    map0.set("y-map", new YMap());
    YMap map = (YMap) map0.get("y-map");
    map.set("y-array", new YArray());
    YArray array = (YArray) map.get("y-array");
    array.insert(0, List.of(0));
    array.insert(0, List.of(-1));
    assertEquals(1, ((Number) map0.get("number")).intValue());
    assertEquals("hello Y", map0.get("string"));
    assertEquals("{\"key\":{\"key2\":\"value\"}}", Json.stringify(map0.get("object")));
    assertEquals(
        -1, ((Number) ((YArray) ((YMap) map0.get("y-map")).get("y-array")).get(0)).intValue());
    env.connect(2);
    env.flushAllMessages();
    for (int u = 1; u < 3; u++) {
      YMap m = env.map(u);
      assertEquals(1, ((Number) m.get("number")).intValue(), "user " + u);
      assertEquals("hello Y", m.get("string"));
      assertEquals("{\"key\":{\"key2\":\"value\"}}", Json.stringify(m.get("object")));
      assertEquals(
          -1, ((Number) ((YArray) ((YMap) m.get("y-map")).get("y-array")).get(0)).intValue());
    }
    env.compare();
  }

  @Test
  void testGetAndSetOfMapProperty() {
    YjsTestEnv env = new YjsTestEnv(2);
    env.map(0).set("stuff", "stuffy");
    env.map(0).set("undefined", Undefined.INSTANCE);
    env.map(0).set("null", null);
    assertEquals("stuffy", env.map(0).get("stuff"));
    env.flushAllMessages();
    for (int u = 0; u < 2; u++) {
      assertEquals("stuffy", env.map(u).get("stuff"));
      Object undef = env.map(u).get("undefined");
      assertTrue(undef == null || undef == Undefined.INSTANCE, "undefined");
      assertTrue(env.map(u).has("null"));
      assertNull(env.map(u).get("null"));
    }
    env.compare();
  }

  @Test
  void testYmapSetsYmap() {
    YjsTestEnv env = new YjsTestEnv(2);
    YMap map = new YMap();
    env.map(0).set("Map", map);
    assertSame(map, env.map(0).get("Map"));
    map.set("one", 1);
    assertEquals(1, ((Number) map.get("one")).intValue());
    env.compare();
  }

  @Test
  void testYmapSetsYarray() {
    YjsTestEnv env = new YjsTestEnv(2);
    YArray array = new YArray();
    env.map(0).set("Array", array);
    assertSame(array, env.map(0).get("Array"));
    array.insert(0, List.of(1, 2, 3));
    assertEquals("{\"Array\":[1,2,3]}", Json.stringify(env.map(0).toJSON()));
    env.compare();
  }

  @Test
  void testGetAndSetOfMapPropertySyncs() {
    YjsTestEnv env = new YjsTestEnv(2);
    env.map(0).set("stuff", "stuffy");
    env.flushAllMessages();
    for (int u = 0; u < 2; u++) assertEquals("stuffy", env.map(u).get("stuff"));
    env.compare();
  }

  // Expected winners are what the real Yjs 13.6.33 computes (checked with js/node_modules/yjs,
  // client ids 0..n-1
  // as in Yjs's testHelper): the higher client id wins a concurrent set. Older copies of
  // y-map.tests.js expect "c0".
  @Test
  void testGetAndSetOfMapPropertyWithConflict() {
    YjsTestEnv env = new YjsTestEnv(3);
    env.map(0).set("stuff", "c0");
    env.map(1).set("stuff", "c1");
    env.flushAllMessages();
    for (int u = 0; u < 3; u++) assertEquals("c1", env.map(u).get("stuff"), "user " + u);
    env.compare();
  }

  @Test
  void testGetAndSetAndDeleteOfMapProperty() {
    YjsTestEnv env = new YjsTestEnv(3);
    env.map(0).set("stuff", "c0");
    env.map(0).delete("stuff");
    env.map(1).set("stuff", "c1");
    env.flushAllMessages();
    for (int u = 0; u < 3; u++) assertEquals("c1", env.map(u).get("stuff"), "user " + u);
    env.compare();
  }

  @Test
  void testGetAndSetOfMapPropertyWithThreeConflicts() {
    YjsTestEnv env = new YjsTestEnv(3);
    env.map(0).set("stuff", "c0");
    env.map(1).set("stuff", "c1");
    env.map(1).set("stuff", "c2");
    env.map(2).set("stuff", "c3");
    env.flushAllMessages();
    for (int u = 0; u < 3; u++) assertEquals("c3", env.map(u).get("stuff"), "user " + u);
    env.compare();
  }

  @Test
  void testGetAndSetAndDeleteOfMapPropertyWithThreeConflicts() {
    YjsTestEnv env = new YjsTestEnv(4);
    env.map(0).set("stuff", "c0");
    env.map(1).set("stuff", "c1");
    env.map(1).set("stuff", "c2");
    env.map(2).set("stuff", "c3");
    env.flushAllMessages();
    env.map(0).set("stuff", "deleteme");
    env.map(0).delete("stuff");
    env.map(1).set("stuff", "c1");
    env.map(2).set("stuff", "c2");
    env.map(3).set("stuff", "c3");
    env.flushAllMessages();
    for (int u = 0; u < 4; u++) assertEquals("c3", env.map(u).get("stuff"), "user " + u);
    env.compare();
  }

  @Test
  void testObserversUsingObservedeep() {
    YjsTestEnv env = new YjsTestEnv(2);
    YMap map0 = env.map(0);
    List<List<Object>> paths = new ArrayList<>();
    int[] calls = {0};
    map0.observeDeep(
        events -> {
          events.forEach(e -> paths.add(e.path()));
          calls[0]++;
        });
    map0.set("map", new YMap());
    ((YMap) map0.get("map")).set("array", new YArray());
    ((YArray) ((YMap) map0.get("map")).get("array")).insert(0, List.of("content"));
    assertEquals(3, calls[0]);
    assertEquals(List.of(List.of(), List.of("map"), List.of("map", "array")), paths);
    env.compare();
  }

  @Test
  void testThrowsAddAndUpdateAndDeleteEvents() {
    YjsTestEnv env = new YjsTestEnv(2);
    YMap map0 = env.map(0);
    YMapEvent[] event = {null};
    map0.observe(e -> event[0] = e);
    map0.set("stuff", 4);
    assertSame(map0, event[0].target());
    assertEquals(java.util.Set.of("stuff"), event[0].keysChanged());
    map0.set("stuff", new YArray());
    assertEquals(java.util.Set.of("stuff"), event[0].keysChanged());
    map0.set("stuff", 5);
    map0.delete("stuff");
    assertSame(map0, event[0].target());
    assertEquals(java.util.Set.of("stuff"), event[0].keysChanged());
    env.compare();
  }

  @Test
  void testYmapEventHasCorrectValueWhenSettingAPrimitiveFromOtherUser() {
    YjsTestEnv env = new YjsTestEnv(3);
    YMapEvent[] event = {null};
    env.map(0).observe(e -> event[0] = e);
    env.map(1).set("stuff", 2);
    env.flushAllMessages();
    assertEquals(java.util.Set.of("stuff"), event[0].keysChanged());
    assertEquals(2, ((Number) ((YMap) event[0].target()).get("stuff")).intValue());
    env.compare();
  }

  /** applyRandomTests with Yjs's mapTransactions (set, setType, delete), seeded. */
  static void randomTests(int iterations) {
    Random r = new Random(iterations);
    YjsTestEnv env = new YjsTestEnv(5);
    for (int i = 0; i < iterations; i++) {
      int u = r.nextInt(5);
      if (r.nextDouble() < 0.02) env.disconnect(u);
      else if (r.nextDouble() < 0.05) env.connect(u);
      else if (r.nextDouble() < 0.1) env.flushOne();
      String key = r.nextBoolean() ? "one" : "two";
      switch (r.nextInt(3)) {
        case 0:
          env.map(u).set(key, "v" + r.nextInt(1000));
          break;
        case 1:
          if (r.nextBoolean()) {
            YArray a = new YArray();
            env.map(u).set(key, a);
            a.insert(0, List.of(1, 2, 3, 4));
          } else {
            YMap m = new YMap();
            env.map(u).set(key, m);
            m.set("deepkey", "deepvalue");
          }
          break;
        default:
          env.map(u).delete(key);
      }
    }
    env.compare();
  }

  @Test
  void testRepeatGeneratingYmapTests10() {
    randomTests(10);
  }

  @Test
  void testRepeatGeneratingYmapTests40() {
    randomTests(40);
  }

  @Test
  void testRepeatGeneratingYmapTests42() {
    randomTests(42);
  }

  @Test
  void testRepeatGeneratingYmapTests43() {
    randomTests(43);
  }

  @Test
  void testRepeatGeneratingYmapTests44() {
    randomTests(44);
  }

  @Test
  void testRepeatGeneratingYmapTests45() {
    randomTests(45);
  }

  @Test
  void testRepeatGeneratingYmapTests46() {
    randomTests(46);
  }

  @Test
  void testRepeatGeneratingYmapTests300() {
    randomTests(300);
  }

  @Test
  void testRepeatGeneratingYmapTests400() {
    randomTests(400);
  }

  @Test
  void testRepeatGeneratingYmapTests500() {
    randomTests(500);
  }

  @Test
  void testRepeatGeneratingYmapTests600() {
    randomTests(600);
  }

  @Test
  void testRepeatGeneratingYmapTests1000() {
    randomTests(1000);
  }

  @Test
  void testRepeatGeneratingYmapTests1800() {
    randomTests(1800);
  }
}
