package nodenogg.crdt.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.testing.MiniJson;
import nodenogg.crdt.testing.TestLib0Reader;
import nodenogg.crdt.testing.Typed;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The yrs small test dataset (5,320 Yjs-generated cases, format in
 * /work/shared/conformance/PROVENANCE.md): each case's V1 updates are applied in order to a fresh
 * doc; root "text" must equal the expected string, roots "map" and "array" the expected values.
 */
class YrsDatasetConformanceTest {
  static Path dataset() {
    String dir = System.getProperty("nodenogg.shared.dir");
    if (dir == null || dir.isBlank() || dir.contains("${")) dir = "/work/shared";
    return Paths.get(dir, "conformance", "yrs-small-test-dataset.bin");
  }

  @Test
  void everyCaseMatches() throws IOException {
    Path p = dataset();
    Assumptions.assumeTrue(
        Files.isReadable(p),
        "conformance dataset missing at "
            + p
            + " (set -Dnodenogg.shared.dir to the shared folder)");
    TestLib0Reader r = new TestLib0Reader(Files.readAllBytes(p));
    int cases = (int) r.varUint();
    assertEquals(5320, cases, "case count in " + p);
    List<String> failures = new ArrayList<>();
    int updates = 0;
    for (int c = 0; c < cases; c++) {
      int n = (int) r.varUint();
      List<byte[]> ups = new ArrayList<>();
      for (int i = 0; i < n; i++) ups.add(r.varBytes());
      updates += n;
      String text = r.varString();
      Object map = r.any();
      Object array = r.any();
      try {
        Doc d = new Doc(new Doc.Options().clientId(1));
        for (byte[] u : ups) Updates.applyUpdate(d, u);
        String gotText = d.getText("text").toString();
        Object gotMap = Typed.of(d.getMap("map").toJSON());
        Object gotArray = Typed.of(d.getArray("array").toJSON());
        if (!text.equals(gotText))
          failures.add("case " + c + " text: got " + gotText + " expected " + text);
        else if (!Typed.of(map).equals(gotMap))
          failures.add(
              "case "
                  + c
                  + " map: got "
                  + MiniJson.write(gotMap)
                  + " expected "
                  + MiniJson.write(Typed.of(map)));
        else if (!Typed.of(array).equals(gotArray))
          failures.add(
              "case "
                  + c
                  + " array: got "
                  + MiniJson.write(gotArray)
                  + " expected "
                  + MiniJson.write(Typed.of(array)));
      } catch (RuntimeException | StackOverflowError e) {
        failures.add("case " + c + " threw " + e);
      }
    }
    assertEquals(46385, updates, "update count");
    assertTrue(!r.hasMore(), "trailing bytes in dataset");
    System.out.println("yrs dataset: " + (cases - failures.size()) + "/" + cases + " cases passed");
    failures.stream().limit(5).forEach(System.err::println);
    assertTrue(
        failures.isEmpty(),
        () -> failures.size() + "/" + cases + " cases failed; first: " + failures.get(0));
  }
}
