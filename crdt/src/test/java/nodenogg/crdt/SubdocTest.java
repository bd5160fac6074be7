package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ports of the sub-document tests of yjs tests/doc.tests.js (names kept; expected values from Yjs).
 */
class SubdocTest {
  static List<Object> ev(SubdocsEvent e) {
    List<Object> r = new ArrayList<>();
    for (java.util.Set<Doc> s : List.of(e.added(), e.removed(), e.loaded())) {
      List<String> g = new ArrayList<>();
      for (Doc d : s) {
        g.add(d.guid());
      }
      r.add(g);
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  static List<Object> l(Object... o) {
    return List.of(o);
  }

  @Test
  void testSubdoc() {
    Doc doc = new Doc();
    doc.load();
    List<Object>[] event = new List[1];
    doc.onSubdocs(e -> event[0] = ev(e));
    YMap subdocs = doc.getMap("mysubdocs");
    Doc docA = new Doc(new Doc.Options().guid("a"));
    docA.load();
    subdocs.set("a", docA);
    assertEquals(l(l("a"), l(), l("a")), event[0]);
    event[0] = null;
    ((Doc) subdocs.get("a")).load();
    assertNull(event[0]);
    ((Doc) subdocs.get("a")).destroy();
    assertEquals(l(l("a"), l("a"), l()), event[0]);
    ((Doc) subdocs.get("a")).load();
    assertEquals(l(l(), l(), l("a")), event[0]);
    subdocs.set("b", new Doc(new Doc.Options().guid("a").shouldLoad(false)));
    assertEquals(l(l("a"), l(), l()), event[0]);
    ((Doc) subdocs.get("b")).load();
    assertEquals(l(l(), l(), l("a")), event[0]);
    Doc docC = new Doc(new Doc.Options().guid("c"));
    docC.load();
    subdocs.set("c", docC);
    assertEquals(l(l("c"), l(), l("c")), event[0]);
    assertEquals(l("a", "c"), new ArrayList<Object>(doc.getSubdocGuids()));

    Doc doc2 = new Doc();
    assertTrue(doc2.getSubdocs().isEmpty());
    List<Object>[] event2 = new List[1];
    doc2.onSubdocs(e -> event2[0] = ev(e));
    Updates.applyUpdate(doc2, Updates.encodeStateAsUpdate(doc));
    assertEquals(l(l("a", "a", "c"), l(), l()), event2[0]);
    ((Doc) doc2.getMap("mysubdocs").get("a")).load();
    assertEquals(l(l(), l(), l("a")), event2[0]);
    assertEquals(l("a", "c"), new ArrayList<Object>(doc2.getSubdocGuids()));
    doc2.getMap("mysubdocs").delete("a");
    assertEquals(l(l(), l("a"), l()), event2[0]);
    assertEquals(l("a", "c"), new ArrayList<Object>(doc2.getSubdocGuids()));
  }

  static void edgeCases(boolean autoLoad) {
    Doc ydoc = new Doc();
    YArray yarray = ydoc.getArray("");
    Doc subdoc1 = new Doc(new Doc.Options().autoLoad(autoLoad));
    SubdocsEvent[] last = new SubdocsEvent[1];
    ydoc.onSubdocs(e -> last[0] = e);
    yarray.insert(0, List.of(subdoc1));
    assertTrue(subdoc1.shouldLoad());
    assertEquals(autoLoad, subdoc1.autoLoad());
    assertTrue(last[0].loaded().contains(subdoc1));
    assertTrue(last[0].added().contains(subdoc1));
    subdoc1.destroy();
    Doc subdoc2 = (Doc) yarray.get(0);
    assertNotSame(subdoc1, subdoc2);
    assertTrue(last[0].added().contains(subdoc2));
    assertFalse(last[0].loaded().contains(subdoc2));
    subdoc2.load();
    assertFalse(last[0].added().contains(subdoc2));
    assertTrue(last[0].loaded().contains(subdoc2));
    Doc ydoc2 = new Doc();
    ydoc2.onSubdocs(e -> last[0] = e);
    Updates.applyUpdate(ydoc2, Updates.encodeStateAsUpdate(ydoc));
    Doc subdoc3 = (Doc) ydoc2.getArray("").get(0);
    assertTrue(last[0].added().contains(subdoc3));
    if (autoLoad) {
      assertTrue(subdoc1.shouldLoad());
      assertTrue(subdoc1.autoLoad());
      assertTrue(last[0].loaded().contains(subdoc3));
    } else {
      assertFalse(subdoc3.shouldLoad());
      assertFalse(subdoc3.autoLoad());
      assertFalse(last[0].loaded().contains(subdoc3));
      subdoc3.load();
      assertTrue(subdoc3.shouldLoad());
      assertFalse(last[0].added().contains(subdoc3));
      assertTrue(last[0].loaded().contains(subdoc3));
    }
  }

  @Test
  void testSubdocLoadEdgeCases() {
    edgeCases(false);
  }

  @Test
  void testSubdocLoadEdgeCasesAutoload() {
    edgeCases(true);
  }

  @Test
  void testSubdocsUndo() {
    Doc ydoc = new Doc();
    YArray elems = ydoc.getArray("");
    UndoManager undoManager = new UndoManager(elems);
    Doc subdoc = new Doc();
    elems.insert(0, List.of(subdoc));
    undoManager.undo();
    undoManager.redo();
    assertEquals(1, elems.length());
  }
}
