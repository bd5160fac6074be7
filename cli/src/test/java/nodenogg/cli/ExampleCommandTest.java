package nodenogg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./microcosm example NAME}: each offline example runs from the CLI and prints what it did.
 */
class ExampleCommandTest {
  @TempDir Path tmp;

  private static String run(String... args) throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code =
          new ExampleCommand()
              .run(
                  args,
                  new ByteArrayInputStream(new byte[0]),
                  new PrintStream(captured, true, StandardCharsets.UTF_8),
                  new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void quickStartAndStoredMicrocosmRun() throws Exception {
    String quick = run("quickstart");
    assertTrue(quick.contains("my notes: 2, all entities: 4"), quick);
    assertTrue(run("QuickStart").contains("present: 2 identities"));
    String first = run("stored-microcosm", tmp.toString());
    String second = run("StoredMicrocosm", tmp.toString());
    assertTrue(first.contains(": 0 before this run, 1 now"), first);
    assertTrue(second.contains(": 1 before this run, 2 now"), second);
  }

  @Test
  void listsAndRefusesUnknownNames() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        new ExampleCommand()
            .run(
                new String[] {"--help"},
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
    assertEquals(0, code);
    for (String name : ExampleCommand.EXAMPLES.keySet()) {
      assertTrue(out.toString(StandardCharsets.UTF_8).contains(name));
    }
    assertThrows(
        UsageException.class,
        () ->
            new ExampleCommand()
                .run(
                    new String[] {"nope"},
                    new ByteArrayInputStream(new byte[0]),
                    System.out,
                    System.err));
  }
}
