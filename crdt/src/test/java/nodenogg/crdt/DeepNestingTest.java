package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hostile chain of 10,000 nested maps: applying works, toJSON fails with a typed error, not a
 * stack overflow.
 */
class DeepNestingTest {
  @Test
  void tenThousandNestedMaps() {
    Doc src = new Doc(new Doc.Options().clientId(1));
    src.transact(
        tr -> {
          YMap cur = src.getMap("root");
          for (int i = 0; i < 10_000; i++) {
            YMap next = new YMap();
            cur.set("c", next);
            cur = (YMap) cur.get("c");
          }
        });
    byte[] u = Updates.encodeStateAsUpdate(src);
    Doc d = new Doc();
    Updates.applyUpdate(d, u);
    d.getMap("root"); // Doc.toJSON leaves out roots never defined on this doc (as Yjs)
    assertThrows(CrdtException.class, d::toJSON);
    assertEquals(Hex.encode(u), Hex.encode(Updates.encodeStateAsUpdate(d)));
    YMap small = new Doc().getMap("other");
    small.set("k", Map.of("a", 1));
    assertEquals(Map.of("a", 1), small.toJSON().get("k"));
    // deleting the top of the chain deletes and garbage-collects all 10,000 levels
    byte[] sv = Updates.encodeStateVector(src);
    src.getMap("root").delete("c");
    Updates.applyUpdate(d, Updates.encodeStateAsUpdate(src, sv));
    assertEquals(0, d.getMap("root").size());
    assertEquals(
        Hex.encode(Updates.encodeStateAsUpdate(src)), Hex.encode(Updates.encodeStateAsUpdate(d)));
  }
}
