package nodenogg.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredMicrocosmTest {
  @TempDir Path dir;

  @Test
  void notesSurviveRestarts() {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertEquals(1, StoredMicrocosm.run(dir, out));
    assertEquals(2, StoredMicrocosm.run(dir, out));
    assertEquals(3, StoredMicrocosm.run(dir, out));
  }
}
