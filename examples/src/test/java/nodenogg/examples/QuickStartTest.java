package nodenogg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityType;
import nodenogg.microcosm.HtmlData;
import org.junit.jupiter.api.Test;

class QuickStartTest {

  @Test
  void walkthroughEndsWithTheExpectedMicrocosm() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Map<String, Map<String, Entity>> result =
        QuickStart.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertEquals(2, result.size(), "my collection and the friend's");
    long html =
        result.values().stream()
            .flatMap(c -> c.values().stream())
            .filter(e -> e.isType(EntityType.HTML))
            .count();
    long emoji =
        result.values().stream()
            .flatMap(c -> c.values().stream())
            .filter(e -> e.isType(EntityType.EMOJI))
            .count();
    long connections =
        result.values().stream()
            .flatMap(c -> c.values().stream())
            .filter(e -> e.isType(EntityType.CONNECTION))
            .count();
    assertEquals(3, html);
    assertEquals(1, emoji);
    assertEquals(0, connections, "the connection was undone");
    assertTrue(
        result.values().stream()
            .flatMap(c -> c.values().stream())
            .anyMatch(e -> e.isType(EntityType.HTML) && e.dataAs(HtmlData.class).x() == 200),
        "the moved note");
    assertTrue(printed.contains("present: 2 identities, connected=true"), printed);
    assertTrue(printed.contains("\"version\" : \"1\""), printed);
  }
}
