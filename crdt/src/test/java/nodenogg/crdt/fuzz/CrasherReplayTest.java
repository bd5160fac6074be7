package nodenogg.crdt.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.testing.Bytes;
import nodenogg.crdt.testing.Guarded;
import nodenogg.crdt.testing.KnownOpen;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every input the fuzzers ever found breaking the bad-input contract
 * (src/test/resources/crashers/*.hex: first line hex bytes, then '#' comment lines; a comment
 * containing "[v2]" marks a v2 update), each against the fuzz target doc, as plain tests.
 */
class CrasherReplayTest {
  @SuppressWarnings({"deprecation", "removal"})
  static void stop(Thread t) throws InterruptedException {
    t.stop(); // test code only: a looping engine call cannot be interrupted otherwise
    t.join(5000);
  }

  @TestFactory
  Stream<DynamicTest> everyCrasherIsHandled() throws IOException, URISyntaxException {
    URL dir = getClass().getResource("/crashers");
    Path p = Paths.get(dir.toURI());
    List<Path> files;
    try (Stream<Path> s = Files.list(p)) {
      files = s.filter(f -> f.toString().endsWith(".hex")).sorted().collect(Collectors.toList());
    }
    assertFalse(files.isEmpty(), "no crasher files found in " + p);
    byte[] base = MutationFuzzTest.corpus().get(MutationFuzzTest.corpus().size() - 1);
    return files.stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getFileName().toString(),
                    () -> {
                      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                      String hex = lines.get(0).trim();
                      boolean v2 =
                          lines.stream().anyMatch(l -> l.startsWith("#") && l.contains("[v2]"));
                      Throwable[] failure = {null};
                      Thread t =
                          new Thread(
                              () -> {
                                try {
                                  Doc target = MutationFuzzTest.target(base);
                                  if (Guarded.apply(target, Bytes.hex(hex), v2)
                                      == Guarded.Outcome.APPLIED) {
                                    Updates.encodeStateAsUpdate(target);
                                    target.toJSON();
                                  }
                                } catch (Throwable e) {
                                  failure[0] = e;
                                }
                              },
                              "crasher-replay");
                      t.setDaemon(true);
                      t.start();
                      t.join(5_000);
                      if (t.isAlive()) {
                        stop(t);
                        failure[0] =
                            new AssertionError(
                                "hang: no result after 5 s (engine loops) on this input");
                      }
                      if (failure[0] != null) {
                        String msg = String.valueOf(failure[0].getMessage());
                        String bug = KnownOpen.match(msg);
                        Assumptions.assumeTrue(
                            bug == null,
                            "known open engine bug (" + bug + "): " + msg.split(" for input")[0]);
                        if (failure[0] instanceof Error) throw (Error) failure[0];
                        throw new AssertionError(failure[0]);
                      }
                    }));
  }
}
