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
import nodenogg.crdt.testing.Bytes;
import nodenogg.crdt.testing.Guarded;
import nodenogg.crdt.testing.KnownOpen;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every input the fuzzers ever found breaking the bad-input contract (src/test/resources/crashers/*.hex:
 * first line hex bytes, then '#' comment lines), each against the fuzz target doc, as plain tests.
 */
class CrasherReplayTest {
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
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      String hex = Files.readAllLines(f, StandardCharsets.UTF_8).get(0).trim();
      Doc target = MutationFuzzTest.target(base);
      try {
        Guarded.apply(target, Bytes.hex(hex));
        target.toJSON();
      } catch (Guarded.Violation v) {
        String bug = KnownOpen.match(v.getMessage());
        Assumptions.assumeTrue(bug == null, "known open engine bug (" + bug + "): " + v.getMessage().split(" for input")[0]);
        throw v;
      }
    }));
  }
}
