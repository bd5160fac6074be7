package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ports of yjs tests/updates.tests.js (names kept) that need no test connector. */
class UpdatesPortTest {
  @Test
  void testKeyEncoding() {
    Doc d0 = new Doc(new Doc.Options().clientId(0));
    Doc d1 = new Doc(new Doc.Options().clientId(1));
    YText text0 = d0.getText("text");
    YText text1 = d1.getText("text");
    text0.insert(0, "a", new java.util.LinkedHashMap<>(Map.of("italic", true)));
    text0.insert(0, "b");
    text0.insert(0, "c", new java.util.LinkedHashMap<>(Map.of("italic", true)));
    byte[] update = Updates.encodeStateAsUpdateV2(d0);
    Updates.applyUpdateV2(d1, update);
    assertEquals(
        "[{\"insert\":\"c\",\"attributes\":{\"italic\":true}},{\"insert\":\"b\"},{\"insert\":\"a\",\"attributes\":{\"italic\":true}}]",
        Json.stringify(text1.toDelta()));
    assertEquals(
        Hex.encode(Updates.encodeStateAsUpdate(d0)), Hex.encode(Updates.encodeStateAsUpdate(d1)));
  }

  /** parseUpdateMeta on a gap-free two-client update: from/to per client in update order. */
  @Test
  void parseUpdateMetaReportsClockRanges() {
    Doc a = new Doc(new Doc.Options().clientId(5));
    a.getText("t").insert(0, "abc");
    Doc b = new Doc(new Doc.Options().clientId(9));
    Updates.applyUpdate(b, Updates.encodeStateAsUpdate(a));
    b.getText("t").insert(0, "xy");
    UpdateMeta m = Updates.parseUpdateMeta(Updates.encodeStateAsUpdate(b));
    assertEquals(List.of(9L, 5L), List.copyOf(m.from().keySet()));
    assertEquals(Map.of(9L, 0L, 5L, 0L), m.from());
    assertEquals(Map.of(9L, 2L, 5L, 3L), m.to());
    UpdateMeta m2 =
        Updates.parseUpdateMetaV2(Updates.encodeStateAsUpdateV2(b, Updates.encodeStateVector(a)));
    assertEquals(Map.of(9L, 0L), m2.from());
    assertEquals(Map.of(9L, 2L), m2.to());
  }
}
