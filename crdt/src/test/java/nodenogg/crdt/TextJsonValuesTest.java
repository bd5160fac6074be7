package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Formatting values and embeds are JSON in the update format; a Java value JSON cannot hold is
 * refused when it is handed over, and the document does not change.
 */
class TextJsonValuesTest {

  @Test
  void valuesJsonCannotHoldAreRefusedBeforeAnythingChanges() {
    Doc doc = new Doc();
    YText text = doc.getText("t");
    text.insert(0, "hello");
    byte[] before = Updates.encodeStateAsUpdate(doc);
    Object notJson = new Object();
    assertThrows(
        IllegalArgumentException.class, () -> text.insert(5, "!", Map.of("bold", notJson)));
    assertThrows(IllegalArgumentException.class, () -> text.format(0, 2, Map.of("color", notJson)));
    assertThrows(IllegalArgumentException.class, () -> text.insertEmbed(1, notJson, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> text.insertEmbed(1, Map.of("image", "x"), Map.of("w", notJson)));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            text.applyDelta(
                List.of(
                    Map.of("retain", 1),
                    Map.of("insert", "x", "attributes", Map.of("a", notJson)))));
    assertThrows(
        IllegalArgumentException.class, () -> text.applyDelta(List.of(Map.of("insert", notJson))));
    assertEquals("hello", text.toString());
    assertArrayEquals(
        before, Updates.encodeStateAsUpdate(doc), "a refused edit leaves the document as it was");
  }

  @Test
  void jsonValuesAreAccepted() {
    Doc doc = new Doc();
    YText text = doc.getText("t");
    text.insert(0, "ab", Map.of("bold", true, "size", 12, "font", Map.of("family", "serif")));
    text.insertEmbed(2, Map.of("image", "https://example.org/x.png", "dims", List.of(1, 2)), null);
    text.format(0, 1, java.util.Collections.singletonMap("bold", null));
    assertEquals(3, text.length());
  }
}
