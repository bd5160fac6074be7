package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsTest {
  @Test
  void mapEventKeys() {
    Doc d = new Doc();
    YMap m = d.getMap("m");
    m.set("a", 1);
    List<String> log = new ArrayList<>();
    m.observe(e -> log.add(e.keysChanged() + " " + e.keys()));
    d.transact(
        tr -> {
          m.set("a", 2);
          m.set("b", 3);
        });
    m.delete("a");
    assertEquals(
        "[a, b] {a={action=update, oldValue=1}, b={action=add, oldValue=undefined}}", log.get(0));
    assertEquals("[a] {a={action=delete, oldValue=2}}", log.get(1));
  }

  @Test
  void arrayDeltaAndDeepPath() {
    Doc d = new Doc();
    YMap root = d.getMap("root");
    YArray list = new YArray();
    root.set("list", list);
    YArray live = (YArray) root.get("list");
    live.push(List.of(1, 2, 3));
    List<String> deep = new ArrayList<>();
    List<String> own = new ArrayList<>();
    root.observeDeep(evs -> evs.forEach(e -> deep.add(e.path() + " " + e.delta())));
    live.observe(e -> own.add(e.delta().toString()));
    d.transact(
        tr -> {
          live.delete(0, 1);
          live.insert(1, List.of("x"));
        });
    assertEquals("[{delete=1}, {retain=1}, {insert=[x]}]", own.get(0));
    assertEquals("[list] [{delete=1}, {retain=1}, {insert=[x]}]", deep.get(0));
  }

  @Test
  void textDeltaWithAttributes() {
    Doc d = new Doc();
    YText t = d.getText("t");
    t.insert(0, "abc");
    List<Object> deltas = new ArrayList<>();
    t.observe(e -> deltas.add(Json.stringify(e.delta())));
    t.format(1, 1, Map.of("bold", true));
    t.insert(3, "d", Map.of("italic", true));
    assertEquals("[{\"retain\":1},{\"retain\":1,\"attributes\":{\"bold\":true}}]", deltas.get(0));
    assertEquals(
        "[{\"retain\":3},{\"insert\":\"d\",\"attributes\":{\"italic\":true}}]", deltas.get(1));
  }

  @Test
  void afterTransactionAndUpdateOrder() {
    Doc d = new Doc();
    List<String> log = new ArrayList<>();
    d.getMap("m").observe(e -> log.add("observe"));
    d.onAfterTransaction(tr -> log.add("after"));
    d.onUpdate((u, o, tr) -> log.add("update"));
    d.getMap("m").set("k", 1);
    assertEquals(List.of("observe", "after", "update"), log);
  }
}
