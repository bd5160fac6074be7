package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Formatting items whose parent is not a YText (a peer used the same root name for a text, this doc
 * for an array) must not break the formatting cleanup (engine-bugs.md oracle #3 / #5:
 * ClassCastException after integration).
 */
class FormatUnderForeignParentTest {
  @Test
  void formatCleanupToleratesNonTextParents() {
    Doc a = new Doc(new Doc.Options().clientId(1));
    a.getText("t").insert(0, "hello", Map.of("bold", true));
    a.getText("x").insert(0, "abc", Map.of("bold", true));
    Doc b = new Doc(new Doc.Options().clientId(2));
    b.getText("t");
    b.getArray("x"); // same root name, different type here
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a));
    byte[] sv = Updates.encodeStateVector(b);
    a.transact(
        tr -> {
          a.getText("x").delete(0, 3);
          a.getText("t").format(0, 2, Map.of("italic", true));
        });
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a, sv));
    assertEquals("hello", b.getText("t").toString());
    // also a root that nobody asked for (UnknownType)
    Doc c = new Doc(new Doc.Options().clientId(3));
    c.getText("t");
    Updates.applyUpdate(c, Updates.encodeStateAsUpdate(a));
    a.getText("x").insert(0, "z", Map.of("bold", true));
    a.getText("t").delete(0, 1);
    Updates.applyUpdate(c, Updates.encodeStateAsUpdate(a));
    assertEquals("ello", c.getText("t").toString());
    Updates.encodeStateAsUpdate(c);
  }
}
