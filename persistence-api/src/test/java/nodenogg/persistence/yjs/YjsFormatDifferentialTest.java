package nodenogg.persistence.yjs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import nodenogg.crdt.testing.Scale;
import nodenogg.persistence.InMemoryUpdateStore;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 finding 2: the engine and the store agree on what a valid update is — on 100,000 mutated
 * updates (CI; {@code -Dnodenogg.fuzz.scale} multiplies), every one is accepted by both or refused
 * by both. The in-memory store checks with {@link YjsFormat} as every store does;
 * persistence-sqlite runs the same differential through the SQLite store.
 */
class YjsFormatDifferentialTest {

  @Test
  void engineAndStoreAcceptAndRefuseTheSameUpdates() throws Exception {
    try (InMemoryUpdateStore store = new InMemoryUpdateStore()) {
      EngineStoreDifferential.Report report =
          EngineStoreDifferential.run(store, Scale.of(100_000), 20261214L);
      System.out.println("engine vs in-memory store: " + report);
      assertTrue(report.disagreements.isEmpty(), report.toString());
      assertTrue(report.mutants >= Scale.of(100_000), report.toString());
      assertTrue(
          report.bothAccepted > 1_000 && report.bothRefused > 1_000 && report.trailing > 10,
          "the mutants reach both sides of the line: " + report);
    }
  }
}
