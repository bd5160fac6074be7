package nodenogg.crdt.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nodenogg.crdt.testing.Scale;
import nodenogg.crdt.testing.ScenarioRunner;
import org.junit.jupiter.api.Test;

/**
 * Seeded convergence among Java peers: a TestNetwork reorders, duplicates and drops (then resyncs)
 * delivery; every peer must end identical (JSON, state vector, bytes incl. delete set) with nothing
 * pending.
 */
class ConvergenceTest {
  @Test
  void seededSessionsConverge() {
    int n = Scale.of(2000);
    List<String> failures = new ArrayList<>();
    for (long seed = 1; seed <= n; seed++) {
      int peers = 2 + (int) (seed % 4);
      int steps = 10 + (int) (seed % 50);
      boolean gc = seed % 2 == 0;
      String why;
      try {
        why = ScenarioRunner.run(seed, peers, steps, gc);
      } catch (RuntimeException | StackOverflowError e) {
        why = "threw " + e;
      }
      if (why != null)
        failures.add(
            "seed " + seed + " (peers " + peers + ", steps " + steps + ", gc " + gc + "): " + why);
    }
    failures.stream().limit(5).forEach(System.err::println);
    assertTrue(
        failures.isEmpty(),
        failures.size()
            + "/"
            + n
            + " sessions diverged; first: "
            + (failures.isEmpty() ? "" : failures.get(0)));
  }
}
