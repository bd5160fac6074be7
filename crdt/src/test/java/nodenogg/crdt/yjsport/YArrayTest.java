package nodenogg.crdt.yjsport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Json;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YArray;
import nodenogg.crdt.YArrayEvent;
import nodenogg.crdt.YEvent;
import nodenogg.crdt.YMap;
import nodenogg.crdt.testing.YjsTestEnv;
import org.junit.jupiter.api.Test;

/**
 * Scenarios of Yjs tests/y-array.tests.js, same names, run on the Java engine (YjsTestEnv = Yjs's
 * init/compare).
 */
class YArrayTest {
  static String json(YArray a) {
    return Json.stringify(a.toJSON());
  }

  @Test
  void testBasicUpdate() {
    Doc doc1 = new Doc();
    Doc doc2 = new Doc();
    doc1.getArray("array").insert(0, List.of("hi"));
    Updates.applyUpdate(doc2, Updates.encodeStateAsUpdate(doc1));
    assertEquals("[\"hi\"]", json(doc2.getArray("array")));
  }

  @Test
  void testLengthIssue() {
    Doc doc1 = new Doc();
    YArray arr = doc1.getArray("array");
    arr.push(List.of(0, 1, 2, 3));
    arr.delete(0, 1);
    arr.insert(0, List.of(0));
    assertEquals(arr.length(), arr.toJSON().size());
    doc1.transact(
        tr -> {
          arr.delete(1, 1);
          assertEquals(arr.length(), arr.toJSON().size());
          arr.insert(1, List.of(1));
          assertEquals(arr.length(), arr.toJSON().size());
          arr.delete(2, 1);
          assertEquals(arr.length(), arr.toJSON().size());
          arr.insert(2, List.of(2));
          assertEquals(arr.length(), arr.toJSON().size());
        });
    assertEquals(arr.length(), arr.toJSON().size());
    arr.delete(1, 1);
    assertEquals(arr.length(), arr.toJSON().size());
    arr.insert(1, List.of(1));
    assertEquals(arr.length(), arr.toJSON().size());
  }

  @Test
  void testLengthIssue2() {
    Doc doc = new Doc();
    YArray next = doc.getArray("");
    doc.transact(tr -> next.insert(0, List.of("group2")));
    doc.transact(tr -> next.insert(1, List.of("rectangle3")));
    doc.transact(
        tr -> {
          next.delete(0, 1);
          next.insert(0, List.of("rectangle3"));
        });
    next.delete(1, 1);
    doc.transact(tr -> next.insert(1, List.of("ellipse4")));
    doc.transact(tr -> next.insert(2, List.of("ellipse3")));
    doc.transact(tr -> next.insert(3, List.of("ellipse2")));
    doc.transact(
        tr -> {
          doc.transact(
              t2 -> {
                assertThrows(RuntimeException.class, () -> next.insert(5, List.of("rectangle2")));
                next.insert(4, List.of("rectangle2"));
              });
          doc.transact(t2 -> next.delete(4, 1));
        });
    assertEquals("[\"rectangle3\",\"ellipse4\",\"ellipse3\",\"ellipse2\"]", json(next));
  }

  @Test
  void testDeleteInsert() {
    YjsTestEnv env = new YjsTestEnv(2);
    YArray array0 = env.array(0);
    array0.delete(0, 0);
    assertThrows(RuntimeException.class, () -> array0.delete(1, 1));
    array0.insert(0, List.of("A"));
    array0.delete(1, 0);
    env.compare();
  }

  @Test
  void testInsertThreeElementsTryRegetProperty() {
    YjsTestEnv env = new YjsTestEnv(2);
    env.array(0).insert(0, List.of(1, true, false));
    assertEquals("[1,true,false]", json(env.array(0)));
    env.flushAllMessages();
    assertEquals("[1,true,false]", json(env.array(1)));
    env.compare();
  }

  @Test
  void testConcurrentInsertWithThreeConflicts() {
    YjsTestEnv env = new YjsTestEnv(3);
    env.array(0).insert(0, List.of(0));
    env.array(1).insert(0, List.of(1));
    env.array(2).insert(0, List.of(2));
    env.compare();
  }

  @Test
  void testConcurrentInsertDeleteWithThreeConflicts() {
    YjsTestEnv env = new YjsTestEnv(3);
    env.array(0).insert(0, List.of("x", "y", "z"));
    env.flushAllMessages();
    env.array(0).insert(1, List.of(0));
    env.array(1).delete(0, 1);
    env.array(1).delete(1, 1);
    env.array(2).insert(1, List.of(2));
    env.compare();
  }

  @Test
  void testInsertionsInLateSync() {
    YjsTestEnv env = new YjsTestEnv(3);
    env.array(0).insert(0, List.of("x", "y"));
    env.flushAllMessages();
    env.disconnect(1);
    env.disconnect(2);
    env.array(0).insert(1, List.of("user0"));
    env.array(1).insert(1, List.of("user1"));
    env.array(2).insert(1, List.of("user2"));
    env.connect(1);
    env.connect(2);
    env.flushAllMessages();
    env.compare();
  }

  @Test
  void testDisconnectReallyPreventsSendingMessages() {
    YjsTestEnv env = new YjsTestEnv(3);
    env.array(0).insert(0, List.of("x", "y"));
    env.flushAllMessages();
    env.disconnect(1);
    env.disconnect(2);
    env.array(0).insert(1, List.of("user0"));
    env.array(1).insert(1, List.of("user1"));
    assertEquals("[\"x\",\"user0\",\"y\"]", json(env.array(0)));
    assertEquals("[\"x\",\"user1\",\"y\"]", json(env.array(1)));
    env.connect(1);
    env.connect(2);
    env.compare();
  }

  @Test
  void testDeletionsInLateSync() {
    YjsTestEnv env = new YjsTestEnv(2);
    env.array(0).insert(0, List.of("x", "y"));
    env.flushAllMessages();
    env.disconnect(1);
    env.array(1).delete(1, 1);
    env.array(0).delete(0, 2);
    env.connect(1);
    env.compare();
  }

  @Test
  void testInsertThenMergeDeleteOnSync() {
    YjsTestEnv env = new YjsTestEnv(2);
    env.array(0).insert(0, List.of("x", "y", "z"));
    env.flushAllMessages();
    env.disconnect(0);
    env.array(1).delete(0, 3);
    env.connect(0);
    env.compare();
  }

  @Test
  void testInsertAndDeleteEvents() {
    YjsTestEnv env = new YjsTestEnv(2);
    YArrayEvent[] event = {null};
    env.array(0).observe(e -> event[0] = e);
    env.array(0).insert(0, List.of(0, 1, 2));
    assertNotNull(event[0]);
    event[0] = null;
    env.array(0).delete(0, 1);
    assertNotNull(event[0]);
    event[0] = null;
    env.array(0).delete(0, 2);
    assertNotNull(event[0]);
    env.compare();
  }

  @Test
  void testNestedObserverEvents() {
    YjsTestEnv env = new YjsTestEnv(2);
    YArray array0 = env.array(0);
    List<Integer> vals = new ArrayList<>();
    array0.observe(
        e -> {
          if (array0.length() == 1) {
            array0.insert(1, List.of(1));
            vals.add(0);
          } else {
            vals.add(1);
          }
        });
    array0.insert(0, List.of(0));
    assertEquals(List.of(0, 1), vals);
    assertEquals("[0,1]", json(array0));
    env.compare();
  }

  @Test
  void testInsertAndDeleteEventsForTypes() {
    YjsTestEnv env = new YjsTestEnv(2);
    YArrayEvent[] event = {null};
    env.array(0).observe(e -> event[0] = e);
    env.array(0).insert(0, List.of(new YArray()));
    assertNotNull(event[0]);
    event[0] = null;
    env.array(0).delete(0, 1);
    assertNotNull(event[0]);
    env.compare();
  }

  @Test
  void testObserveDeepEventOrder() {
    YjsTestEnv env = new YjsTestEnv(2);
    List<List<YEvent>> events = new ArrayList<>();
    env.array(0).observeDeep(events::add);
    env.array(0).insert(0, List.of(new YMap()));
    env.users
        .get(0)
        .transact(
            tr -> {
              ((YMap) env.array(0).get(0)).set("a", "a");
              env.array(0).insert(0, List.of(0));
            });
    List<YEvent> last = events.get(events.size() - 1);
    for (int i = 1; i < last.size(); i++) {
      assertTrue(
          last.get(i - 1).path().size() <= last.get(i).path().size(),
          "fire top-level events first");
    }
  }

  @Test
  void testObservedeepIndexes() {
    Doc doc = new Doc();
    YMap map = doc.getMap("");
    map.set("my-array", new YArray());
    ((YArray) map.get("my-array")).push(List.of("a", "b", "c", new YMap()));
    List<Object> path = new ArrayList<>();
    map.observeDeep(
        events -> {
          path.clear();
          path.addAll(events.get(0).path());
        });
    ((YMap) ((YArray) map.get("my-array")).get(3)).set("hello", "world");
    assertEquals(List.of("my-array", 3), path);
  }

  @Test
  void testChangeEvent() {
    YjsTestEnv env = new YjsTestEnv(2);
    YEvent.Changes[] changes = {null};
    env.array(0).observe(e -> changes[0] = e.changes());
    YArray newArr = new YArray();
    env.array(0).insert(0, List.of(newArr, 4, "dtrn"));
    assertEquals(2, changes[0].added.size());
    assertEquals(0, changes[0].deleted.size());
    assertEquals(1, changes[0].delta.size());
    assertEquals(List.of(newArr, 4, "dtrn"), changes[0].delta.get(0).get("insert"));
    changes[0] = null;
    env.array(0).delete(0, 2);
    assertEquals(0, changes[0].added.size());
    assertEquals(2, changes[0].deleted.size());
    assertEquals(List.of(Map.of("delete", 2)), changes[0].delta);
    changes[0] = null;
    env.array(0).insert(1, List.of(0.1));
    assertEquals(1, changes[0].added.size());
    assertEquals(List.of(Map.of("retain", 1), Map.of("insert", List.of(0.1))), changes[0].delta);
    env.compare();
  }

  @Test
  void testInsertAndDeleteEventsForTypes2() {
    YjsTestEnv env = new YjsTestEnv(2);
    List<YArrayEvent> events = new ArrayList<>();
    env.array(0).observe(events::add);
    env.array(0).insert(0, List.of("hi", new YMap()));
    assertEquals(1, events.size(), "event is triggered exactly once for insertion of two elements");
    env.array(0).delete(1, 1);
    assertEquals(2, events.size(), "event is triggered exactly once for deletion");
    env.compare();
  }

  @Test
  void testNewChildDoesNotEmitEventInTransaction() {
    YjsTestEnv env = new YjsTestEnv(2);
    boolean[] fired = {false};
    env.users
        .get(0)
        .transact(
            tr -> {
              YMap newMap = new YMap();
              newMap.observe(e -> fired[0] = true);
              env.array(0).insert(0, List.of(newMap));
              newMap.set("tst", 42);
            });
    assertFalse(fired[0], "event does not trigger");
  }

  @Test
  void testGarbageCollector() {
    YjsTestEnv env = new YjsTestEnv(3);
    env.array(0).insert(0, List.of("x", "y", "z"));
    env.flushAllMessages();
    env.disconnect(0);
    env.array(0).delete(0, 3);
    env.connect(0);
    env.flushAllMessages();
    env.compare();
  }

  @Test
  void testEventTargetIsSetCorrectlyOnLocal() {
    YjsTestEnv env = new YjsTestEnv(3);
    YArrayEvent[] event = {null};
    env.array(0).observe(e -> event[0] = e);
    env.array(0).insert(0, List.of("stuff"));
    assertSame(env.array(0), event[0].target());
    env.compare();
  }

  @Test
  void testEventTargetIsSetCorrectlyOnRemote() {
    YjsTestEnv env = new YjsTestEnv(3);
    YArrayEvent[] event = {null};
    env.array(0).observe(e -> event[0] = e);
    env.array(1).insert(0, List.of("stuff"));
    env.flushAllMessages();
    assertSame(env.array(0), event[0].target());
    env.compare();
  }

  @Test
  void testIteratingArrayContainingTypes() {
    Doc y = new Doc();
    YArray arr = y.getArray("arr");
    for (int i = 0; i < 10; i++) {
      YMap map = new YMap();
      map.set("value", i);
      arr.push(List.of(map));
    }
    for (int i = 0; i < arr.length(); i++)
      assertEquals(i, ((Number) ((YMap) arr.get(i)).get("value")).intValue());
  }

  private static int unique;

  /**
   * applyRandomTests with Yjs's arrayTransactions (insert, insertTypeArray, insertTypeMap,
   * insertTypeNull, delete).
   */
  static void randomTests(int iterations) {
    Random r = new Random(iterations);
    YjsTestEnv env = new YjsTestEnv(5);
    for (int i = 0; i < iterations; i++) {
      int u = r.nextInt(5);
      if (r.nextDouble() < 0.02) env.disconnect(u);
      else if (r.nextDouble() < 0.05) env.connect(u);
      else if (r.nextDouble() < 0.1) env.flushOne();
      YArray yarray = env.array(u);
      int pos = r.nextInt(yarray.length() + 1);
      switch (r.nextInt(5)) {
        case 0:
          {
            int n = unique++;
            List<Object> content = new ArrayList<>();
            for (int k = 1 + r.nextInt(4); k > 0; k--) content.add(n);
            List<Object> expect = new ArrayList<>(yarray.toJSON());
            yarray.insert(pos, content);
            expect.addAll(pos, content);
            assertEquals(
                Json.stringify(expect),
                json(yarray),
                "search markers insert at the correct position");
            break;
          }
        case 1:
          {
            yarray.insert(pos, List.of(new YArray()));
            ((YArray) yarray.get(pos)).insert(0, List.of(1, 2, 3, 4));
            break;
          }
        case 2:
          {
            yarray.insert(pos, List.of(new YMap()));
            YMap map = (YMap) yarray.get(pos);
            map.set("someprop", 42);
            map.set("someprop", 43);
            map.set("someprop", 44);
            break;
          }
        case 3:
          {
            List<Object> nul = new ArrayList<>();
            nul.add(null);
            yarray.insert(pos, nul);
            break;
          }
        default:
          {
            int length = yarray.length();
            if (length > 0) {
              int somePos = r.nextInt(length);
              int delLength = 1 + r.nextInt(Math.min(2, length - somePos));
              Object t = yarray.get(somePos);
              if (r.nextBoolean() && t instanceof YArray && ((YArray) t).length() > 0) {
                YArray type = (YArray) t;
                int p = r.nextInt(type.length());
                type.delete(p, r.nextInt(Math.min(2, type.length() - p) + 1));
              } else {
                List<Object> expect = new ArrayList<>(yarray.toJSON());
                yarray.delete(somePos, delLength);
                for (int k = 0; k < delLength; k++) expect.remove(somePos);
                assertEquals(Json.stringify(expect), json(yarray));
              }
            }
          }
      }
    }
    env.compare();
  }

  @Test
  void testRepeatGeneratingYarrayTests6() {
    randomTests(6);
  }

  @Test
  void testRepeatGeneratingYarrayTests40() {
    randomTests(40);
  }

  @Test
  void testRepeatGeneratingYarrayTests42() {
    randomTests(42);
  }

  @Test
  void testRepeatGeneratingYarrayTests43() {
    randomTests(43);
  }

  @Test
  void testRepeatGeneratingYarrayTests44() {
    randomTests(44);
  }

  @Test
  void testRepeatGeneratingYarrayTests45() {
    randomTests(45);
  }

  @Test
  void testRepeatGeneratingYarrayTests46() {
    randomTests(46);
  }

  @Test
  void testRepeatGeneratingYarrayTests300() {
    randomTests(300);
  }

  @Test
  void testRepeatGeneratingYarrayTests400() {
    randomTests(400);
  }

  @Test
  void testRepeatGeneratingYarrayTests500() {
    randomTests(500);
  }

  @Test
  void testRepeatGeneratingYarrayTests600() {
    randomTests(600);
  }

  @Test
  void testRepeatGeneratingYarrayTests1000() {
    randomTests(1000);
  }

  @Test
  void testRepeatGeneratingYarrayTests1800() {
    randomTests(1800);
  }
}
