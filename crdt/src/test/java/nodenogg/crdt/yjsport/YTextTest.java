package nodenogg.crdt.yjsport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Json;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YText;
import nodenogg.crdt.testing.YjsTestEnv;
import org.junit.jupiter.api.Test;

/** Scenarios of Yjs tests/y-text.tests.js (v13.6), same names, run on the Java engine. */
class YTextTest {
  static String delta(YText t) {
    return Json.stringify(t.toDelta());
  }

  static Map<String, Object> attrs(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  static Map<String, Object> op(Object... kv) {
    return attrs(kv);
  }

  @Test
  void testBasicInsertAndDelete() {
    YjsTestEnv env = new YjsTestEnv(2);
    YText text0 = env.text(0);
    List<String> deltas = new ArrayList<>();
    text0.observe(e -> deltas.add(Json.stringify(e.delta())));
    text0.insert(0, "abc");
    assertEquals("abc", text0.toString());
    assertEquals("[{\"insert\":\"abc\"}]", deltas.get(deltas.size() - 1));
    text0.delete(0, 1);
    assertEquals("bc", text0.toString());
    assertEquals("[{\"delete\":1}]", deltas.get(deltas.size() - 1));
    text0.delete(1, 1);
    assertEquals("b", text0.toString());
    assertEquals("[{\"retain\":1},{\"delete\":1}]", deltas.get(deltas.size() - 1));
    int before = deltas.size();
    env.users
        .get(0)
        .transact(
            tr -> {
              text0.insert(0, "1");
              text0.delete(0, 1);
            });
    for (int i = before; i < deltas.size(); i++) assertEquals("[]", deltas.get(i));
    env.compare();
  }

  @Test
  void testBasicFormat() {
    YjsTestEnv env = new YjsTestEnv(2);
    YText text0 = env.text(0);
    List<String> deltas = new ArrayList<>();
    text0.observe(e -> deltas.add(Json.stringify(e.delta())));
    text0.insert(0, "abc", attrs("bold", true));
    assertEquals("abc", text0.toString());
    assertEquals("[{\"insert\":\"abc\",\"attributes\":{\"bold\":true}}]", delta(text0));
    assertEquals(
        "[{\"insert\":\"abc\",\"attributes\":{\"bold\":true}}]", deltas.get(deltas.size() - 1));
    text0.delete(0, 1);
    assertEquals("bc", text0.toString());
    assertEquals("[{\"delete\":1}]", deltas.get(deltas.size() - 1));
    text0.delete(1, 1);
    assertEquals("b", text0.toString());
    assertEquals("[{\"retain\":1},{\"delete\":1}]", deltas.get(deltas.size() - 1));
    text0.insert(0, "z", attrs("bold", true));
    assertEquals("zb", text0.toString());
    assertEquals("[{\"insert\":\"zb\",\"attributes\":{\"bold\":true}}]", delta(text0));
    assertEquals(
        "[{\"insert\":\"z\",\"attributes\":{\"bold\":true}}]", deltas.get(deltas.size() - 1));
    text0.insert(0, "y");
    assertEquals("yzb", text0.toString());
    assertEquals(
        "[{\"insert\":\"y\"},{\"insert\":\"zb\",\"attributes\":{\"bold\":true}}]", delta(text0));
    assertEquals("[{\"insert\":\"y\"}]", deltas.get(deltas.size() - 1));
    text0.format(0, 2, attrs("bold", null));
    assertEquals("yzb", text0.toString());
    assertEquals(
        "[{\"insert\":\"yz\"},{\"insert\":\"b\",\"attributes\":{\"bold\":true}}]", delta(text0));
    assertEquals(
        "[{\"retain\":1},{\"retain\":1,\"attributes\":{\"bold\":null}}]",
        deltas.get(deltas.size() - 1));
    env.compare();
  }

  @Test
  void testMultilineFormat() {
    Doc ydoc = new Doc();
    YText testText = ydoc.getText("test");
    testText.insert(0, "Test\nMulti-line\nFormatting");
    testText.applyDelta(
        List.of(
            op("retain", 4, "attributes", attrs("bold", true)),
            op("retain", 1),
            op("retain", 10, "attributes", attrs("bold", true)),
            op("retain", 1),
            op("retain", 10, "attributes", attrs("bold", true))));
    assertEquals(
        "[{\"insert\":\"Test\",\"attributes\":{\"bold\":true}},{\"insert\":\"\\n\"},{\"insert\":\"Multi-line\",\"attributes\":{\"bold\":true}},"
            + "{\"insert\":\"\\n\"},{\"insert\":\"Formatting\",\"attributes\":{\"bold\":true}}]",
        delta(testText));
  }

  @Test
  void testNotMergeEmptyLinesFormat() {
    Doc ydoc = new Doc();
    YText testText = ydoc.getText("test");
    testText.applyDelta(
        List.of(
            op("insert", "Text"),
            op("insert", "\n", "attributes", attrs("title", true)),
            op("insert", "\nText"),
            op("insert", "\n", "attributes", attrs("title", true))));
    assertEquals(
        "[{\"insert\":\"Text\"},{\"insert\":\"\\n\",\"attributes\":{\"title\":true}},{\"insert\":\"\\nText\"},"
            + "{\"insert\":\"\\n\",\"attributes\":{\"title\":true}}]",
        delta(testText));
  }

  @Test
  void testPreserveAttributesThroughDelete() {
    Doc ydoc = new Doc();
    YText testText = ydoc.getText("test");
    testText.applyDelta(
        List.of(
            op("insert", "Text"),
            op("insert", "\n", "attributes", attrs("title", true)),
            op("insert", "\n")));
    testText.applyDelta(
        List.of(
            op("retain", 4), op("delete", 1), op("retain", 1, "attributes", attrs("title", true))));
    assertEquals(
        "[{\"insert\":\"Text\"},{\"insert\":\"\\n\",\"attributes\":{\"title\":true}}]",
        delta(testText));
  }

  @Test
  void testGetDeltaWithEmbeds() {
    Doc ydoc = new Doc();
    YText text0 = ydoc.getText("");
    text0.applyDelta(List.of(op("insert", attrs("linebreak", "s"))));
    assertEquals("[{\"insert\":{\"linebreak\":\"s\"}}]", delta(text0));
  }

  @Test
  void testDeleteFormatting() {
    Doc doc = new Doc();
    YText text = doc.getText("");
    text.insert(0, "Attack ships on fire off the shoulder of Orion.");
    Doc doc2 = new Doc();
    YText text2 = doc2.getText("");
    Updates.applyUpdate(doc2, Updates.encodeStateAsUpdate(doc));
    text.format(13, 7, attrs("bold", true));
    Updates.applyUpdate(doc2, Updates.encodeStateAsUpdate(doc));
    text.format(16, 4, attrs("bold", null));
    Updates.applyUpdate(doc2, Updates.encodeStateAsUpdate(doc));
    String expected =
        "[{\"insert\":\"Attack ships \"},{\"insert\":\"on \",\"attributes\":{\"bold\":true}},{\"insert\":\"fire off the shoulder of Orion.\"}]";
    assertEquals(expected, delta(text));
    assertEquals(expected, delta(text2));
  }

  @Test
  void testSplitSurrogateCharacter() {
    {
      YjsTestEnv env = new YjsTestEnv(2);
      env.disconnect(1); // forces the user to encode the split surrogate
      env.text(0).insert(0, "👾");
      env.text(0).insert(1, "hi!");
      env.compare();
    }
    {
      YjsTestEnv env = new YjsTestEnv(2);
      env.disconnect(1);
      env.text(0).insert(0, "👾👾");
      env.text(0).delete(1, 2);
      env.compare();
    }
    {
      YjsTestEnv env = new YjsTestEnv(2);
      env.disconnect(1);
      env.text(0).insert(0, "👾👾");
      env.text(0).format(1, 2, attrs("bold", true));
      env.compare();
    }
  }

  @Test
  void testToJson() {
    YjsTestEnv env = new YjsTestEnv(2);
    env.text(0).insert(0, "abc", attrs("bold", true));
    assertEquals("abc", env.text(0).toJSON());
  }

  @Test
  void testAppendChars() {
    YjsTestEnv env = new YjsTestEnv(2);
    int n = 10_000;
    for (int i = 0; i < n; i++) env.text(0).insert(env.text(0).length(), "a");
    assertEquals(n, env.text(0).length());
  }

  /** applyRandomTests with insert/delete/format on text, like Yjs's qChanges, seeded. */
  static void randomTests(int iterations) {
    Random r = new Random(iterations);
    YjsTestEnv env = new YjsTestEnv(5);
    String[] marks = {"bold", "italic"};
    for (int i = 0; i < iterations; i++) {
      int u = r.nextInt(5);
      if (r.nextDouble() < 0.02) env.disconnect(u);
      else if (r.nextDouble() < 0.05) env.connect(u);
      else if (r.nextDouble() < 0.1) env.flushOne();
      YText t = env.text(u);
      int len = t.length();
      double p = r.nextDouble();
      if (len > 0 && p < 0.3) {
        int pos = r.nextInt(len);
        t.delete(pos, 1 + r.nextInt(Math.min(3, len - pos)));
      } else if (len > 0 && p < 0.5) {
        int pos = r.nextInt(len);
        t.format(
            pos,
            1 + r.nextInt(len - pos),
            attrs(marks[r.nextInt(2)], r.nextBoolean() ? Boolean.TRUE : null));
      } else {
        String s = "x" + r.nextInt(100);
        if (r.nextBoolean()) t.insert(r.nextInt(len + 1), s);
        else t.insert(r.nextInt(len + 1), s, attrs(marks[r.nextInt(2)], true));
      }
    }
    env.compare();
  }

  @Test
  void testRepeatGenerateTextChanges5() {
    randomTests(5);
  }

  @Test
  void testRepeatGenerateTextChanges30() {
    randomTests(30);
  }

  @Test
  void testRepeatGenerateTextChanges40() {
    randomTests(40);
  }

  @Test
  void testRepeatGenerateTextChanges50() {
    randomTests(50);
  }

  @Test
  void testRepeatGenerateTextChanges70() {
    randomTests(70);
  }

  @Test
  void testRepeatGenerateTextChanges90() {
    randomTests(90);
  }

  @Test
  void testRepeatGenerateTextChanges300() {
    randomTests(300);
  }
}
