package nodenogg.ymicrocosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import nodenogg.crdt.Json;
import nodenogg.microcosm.EditableMicrocosmAPI;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import org.junit.jupiter.api.Test;

/** Two linked in-memory microcosms edited concurrently from two threads converge. */
class ConvergenceTest {

  @Test
  void concurrentEditorsConverge() throws Exception {
    long seed = Long.getLong("nodenogg.seed", 20261126L);
    try (YMicrocosm a = YMicrocosm.inMemory("converge"); YMicrocosm b = YMicrocosm.inMemory("converge");
        InMemoryLink link = InMemoryLink.connect(a, b)) {
      a.identify("@aaaaaaaaaaaaaaa1");
      b.identify("@bbbbbbbbbbbbbbb2");
      CountDownLatch start = new CountDownLatch(1);
      List<Throwable> failures = new ArrayList<>();
      Thread ta = new Thread(() -> edit(a, new Random(seed), start, failures));
      Thread tb = new Thread(() -> edit(b, new Random(seed + 1), start, failures));
      ta.start();
      tb.start();
      start.countDown();
      ta.join(30_000);
      tb.join(30_000);
      assertEquals(List.of(), failures, "seed " + seed);
      link.flush();
      link.flush();
      assertFalse(a.entities().isEmpty(), "seed " + seed);
      assertTrue(a.entities().equals(b.entities()), "entities differ; seed " + seed);
      // raw documents: compare through JSON (locally written values keep their Java number types;
      // map key order may differ between replicas, as in Yjs)
      assertTrue(Json.parse(Json.stringify(a.doc().toJSON())).equals(Json.parse(Json.stringify(b.doc().toJSON()))),
          "documents differ; seed " + seed);
    }
  }

  private static void edit(EditableMicrocosmAPI m, Random rnd, CountDownLatch start, List<Throwable> failures) {
    try {
      start.await();
      List<String> mine = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int op = rnd.nextInt(10);
        if (op < 4 || mine.isEmpty()) {
          Entity e = m.create(HtmlData.note(rnd.nextInt(800) - 400, rnd.nextInt(800) - 400, "n" + i));
          mine.add(e.id());
        } else if (op < 8) {
          String id = mine.get(rnd.nextInt(mine.size()));
          m.update(EntityUpdate.move(id, rnd.nextInt(1000), rnd.nextDouble() * 100));
        } else if (op < 9) {
          m.delete(mine.remove(rnd.nextInt(mine.size())));
        } else {
          m.undo();
        }
      }
    } catch (Throwable t) {
      synchronized (failures) {
        failures.add(t);
      }
    }
  }
}
