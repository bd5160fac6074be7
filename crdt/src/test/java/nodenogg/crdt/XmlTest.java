package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ports of yjs tests/y-xml.tests.js (names kept; two docs stand in for the test connector). */
class XmlTest {
  static void sync(Doc a, Doc b) {
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a, Updates.encodeStateVector(b)));
    Updates.applyUpdate(a, Updates.encodeStateAsUpdate(b, Updates.encodeStateVector(a)));
  }

  static void compare(Doc a, Doc b) {
    assertEquals(
        Hex.encode(Updates.encodeStateAsUpdate(a)), Hex.encode(Updates.encodeStateAsUpdate(b)));
    assertEquals(a.getXmlElement("xml").toString(), b.getXmlElement("xml").toString());
  }

  @Test
  void testSetProperty() {
    Doc d0 = new Doc(new Doc.Options().clientId(0));
    Doc d1 = new Doc(new Doc.Options().clientId(1));
    YXmlElement xml0 = d0.getXmlElement("xml");
    YXmlElement xml1 = d1.getXmlElement("xml");
    xml0.setAttribute("height", "10");
    assertEquals("10", xml0.getAttribute("height"));
    sync(d0, d1);
    assertEquals("10", xml1.getAttribute("height"));
    compare(d0, d1);
  }

  @Test
  void testEvents() {
    Doc d0 = new Doc(new Doc.Options().clientId(0));
    Doc d1 = new Doc(new Doc.Options().clientId(1));
    YXmlElement xml0 = d0.getXmlElement("xml");
    YXmlElement xml1 = d1.getXmlElement("xml");
    YXmlEvent[] event = new YXmlEvent[1];
    YXmlEvent[] remoteEvent = new YXmlEvent[1];
    xml0.observe(e -> event[0] = e);
    xml1.observe(e -> remoteEvent[0] = e);
    xml0.setAttribute("key", "value");
    assertTrue(event[0].attributesChanged().contains("key"));
    sync(d0, d1);
    assertTrue(remoteEvent[0].attributesChanged().contains("key"));
    xml0.removeAttribute("key");
    assertTrue(event[0].attributesChanged().contains("key"));
    sync(d0, d1);
    assertTrue(remoteEvent[0].attributesChanged().contains("key"));
    xml0.insert(0, List.of(new YXmlText("some text")));
    assertTrue(event[0].childListChanged());
    sync(d0, d1);
    assertTrue(remoteEvent[0].childListChanged());
    xml0.delete(0);
    assertTrue(event[0].childListChanged());
    sync(d0, d1);
    assertTrue(remoteEvent[0].childListChanged());
    compare(d0, d1);
  }

  @Test
  void testTreewalker() {
    Doc d0 = new Doc();
    YXmlElement xml0 = d0.getXmlElement("xml");
    YXmlElement paragraph1 = new YXmlElement("p");
    YXmlElement paragraph2 = new YXmlElement("p");
    YXmlText text1 = new YXmlText("init");
    YXmlText text2 = new YXmlText("text");
    paragraph1.insert(0, List.of(text1, text2));
    xml0.insert(0, List.of(paragraph1, paragraph2, new YXmlElement("img")));
    List<YXmlElement> allParagraphs = xml0.querySelectorAll("p");
    assertEquals(2, allParagraphs.size());
    assertSame(paragraph1, allParagraphs.get(0));
    assertSame(paragraph2, allParagraphs.get(1));
    assertSame(paragraph1, xml0.querySelector("p"));
    assertEquals("<undefined><p>inittext</p><p></p><img></img></undefined>", xml0.toString());
  }

  @Test
  void testYtextAttributes() {
    Doc ydoc = new Doc();
    YXmlText ytext = new YXmlText();
    ydoc.getXmlFragment("").insert(0, List.of(ytext));
    List<String> seen = new ArrayList<>();
    ytext.observe(
        event -> {
          YEvent.KeyChange c = event.changes().keys.get("test");
          seen.add(c.action + ":" + c.oldValue);
        });
    ytext.setAttribute("test", 42);
    assertEquals(42, ytext.getAttribute("test"));
    assertEquals(List.of("add:" + nodenogg.crdt.encoding.Undefined.INSTANCE), seen);
  }

  @Test
  void testSiblings() {
    Doc ydoc = new Doc();
    YXmlFragment yxml = ydoc.getXmlFragment("");
    YXmlText first = new YXmlText();
    YXmlElement second = new YXmlElement("p");
    yxml.insert(0, List.of(first, second));
    assertSame(second, first.nextSibling());
    assertSame(first, second.prevSibling());
    assertSame(yxml, first.parent());
    assertNull(yxml.parent());
    assertSame(first, yxml.firstChild());
  }

  @Test
  void testInsertafter() {
    Doc ydoc = new Doc();
    YXmlFragment yxml = ydoc.getXmlFragment("");
    YXmlText first = new YXmlText();
    YXmlElement second = new YXmlElement("p");
    YXmlElement third = new YXmlElement("p");
    YXmlElement deepsecond1 = new YXmlElement("span");
    YXmlText deepsecond2 = new YXmlText();
    second.insertAfter(null, List.of(deepsecond1));
    second.insertAfter(deepsecond1, List.of(deepsecond2));
    yxml.insertAfter(null, List.of(first, second));
    yxml.insertAfter(second, List.of(third));
    assertEquals(3, yxml.length());
    assertSame(deepsecond1, second.get(0));
    assertSame(deepsecond2, second.get(1));
    assertEquals(List.of(first, second, third), yxml.toArray());
    assertThrows(
        CrdtException.class,
        () -> {
          YXmlElement el = new YXmlElement("p");
          el.insertAfter(deepsecond1, List.of(new YXmlText()));
        });
  }

  @Test
  void testClone() {
    Doc ydoc = new Doc();
    YXmlFragment yxml = ydoc.getXmlFragment("");
    YXmlText first = new YXmlText("text");
    YXmlElement second = new YXmlElement("p");
    YXmlElement third = new YXmlElement("p");
    yxml.push(List.of(first, second, third));
    assertEquals(List.of(first, second, third), yxml.toArray());
    YXmlFragment cloneYxml = yxml.copy();
    ydoc.getArray("copyarr").insert(0, List.of(cloneYxml));
    assertEquals(3, cloneYxml.length());
    assertEquals(yxml.toJSON(), cloneYxml.toJSON());
  }

  @Test
  void testFormattingBug() {
    Doc ydoc = new Doc();
    YXmlText yxml = new YXmlText();
    ydoc.getXmlFragment("").insert(0, List.of(yxml));
    List<Map<String, Object>> delta = new ArrayList<>();
    delta.add(op("A", Map.of("em", Map.of(), "strong", Map.of())));
    delta.add(op("B", Map.of("em", Map.of())));
    delta.add(op("C", Map.of("em", Map.of(), "strong", Map.of())));
    yxml.applyDelta(delta);
    assertEquals(Json.stringify(delta), Json.stringify(yxml.toDelta()));
  }

  private static Map<String, Object> op(String insert, Map<String, Object> attrs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("insert", insert);
    Map<String, Object> a = new LinkedHashMap<>();
    for (String k : new java.util.TreeSet<>(attrs.keySet())) {
      a.put(k, new LinkedHashMap<>());
    }
    m.put("attributes", a);
    return m;
  }

  @Test
  void testElement() {
    Doc ydoc = new Doc();
    YXmlElement yxmlel = ydoc.getXmlElement("");
    YXmlText text1 = new YXmlText("text1");
    YXmlText text2 = new YXmlText("text2");
    yxmlel.insert(0, List.of(text1, text2));
    assertEquals(List.of(text1, text2), yxmlel.toArray());
  }
}
