package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UndoManagerTest {
  final long[] now = {1000};

  UndoManager um(AbstractType<?> t) {
    return new UndoManager(
        Collections.singletonList(t), new UndoManager.Options().clock(() -> now[0]));
  }

  @Test
  void changesWithinCaptureTimeoutMerge() {
    Doc d = new Doc(new Doc.Options().clientId(1));
    YText t = d.getText("t");
    UndoManager um = um(t);
    t.insert(0, "a");
    now[0] += 100;
    t.insert(1, "b");
    now[0] += 600;
    t.insert(2, "c");
    assertEquals("abc", t.toString());
    um.undo();
    assertEquals("ab", t.toString());
    um.undo();
    assertEquals("", t.toString());
    assertFalse(um.canUndo());
    um.redo();
    um.redo();
    assertEquals("abc", t.toString());
  }

  @Test
  void stopCapturingStartsANewItem() {
    Doc d = new Doc();
    YMap m = d.getMap("m");
    UndoManager um = um(m);
    m.set("a", 1);
    um.stopCapturing();
    m.set("b", 2);
    um.undo();
    assertEquals(Map.of("a", 1), m.toJSON());
  }

  @Test
  void onlyTrackedOriginsAreRecorded() {
    Doc d = new Doc();
    YArray a = d.getArray("a");
    UndoManager um =
        new UndoManager(
            Collections.singletonList(a),
            new UndoManager.Options().trackedOrigins(Set.of("mine")).clock(() -> now[0]));
    d.transact(tr -> a.push(List.of(1)), "mine");
    d.transact(tr -> a.push(List.of(2)), "other");
    a.push(List.of(3)); // origin null is not tracked here
    um.undo();
    assertEquals(List.of(2, 3), a.toJSON());
    assertNull(um.undo());
  }

  @Test
  void eventsAndMeta() {
    Doc d = new Doc();
    YMap m = d.getMap("m");
    UndoManager um = um(m);
    List<String> log = new ArrayList<>();
    um.onStackItemAdded(
        e -> {
          e.stackItem.meta().put("cursor", 7);
          log.add("added:" + e.type);
        });
    um.onStackItemUpdated(e -> log.add("updated:" + e.type));
    um.onStackItemPopped(e -> log.add("popped:" + e.type + ":" + e.stackItem.meta().get("cursor")));
    um.onStackCleared(e -> log.add("cleared:" + e.undoStackCleared + e.redoStackCleared));
    m.set("a", 1);
    m.set("a", 2);
    um.undo();
    um.clear();
    assertEquals(
        List.of("added:undo", "updated:undo", "added:redo", "popped:undo:7", "cleared:truetrue"),
        log);
  }

  @Test
  void undoRestoresFormattingAndNestedTypes() {
    Doc d = new Doc();
    YText t = d.getText("t");
    YMap m = d.getMap("m");
    UndoManager um = new UndoManager(List.of(t, m), new UndoManager.Options().clock(() -> now[0]));
    t.insert(0, "hello");
    YMap inner = new YMap();
    inner.set("x", 1);
    m.set("inner", inner);
    um.stopCapturing();
    t.format(0, 5, Map.of("bold", true));
    m.delete("inner");
    um.undo();
    assertEquals("[{\"insert\":\"hello\"}]", Json.stringify(t.toDelta()));
    assertEquals("{\"inner\":{\"x\":1}}", Json.stringify(m.toJSON()));
    um.redo();
    assertEquals(
        "[{\"insert\":\"hello\",\"attributes\":{\"bold\":true}}]", Json.stringify(t.toDelta()));
    assertTrue(m.toJSON().isEmpty());
  }
}
