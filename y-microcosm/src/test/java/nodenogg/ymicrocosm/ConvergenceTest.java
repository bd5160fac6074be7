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
    try (YMicrocosm a = YMicrocosm.inMemory("converge");
        YMicrocosm b = YMicrocosm.inMemory("converge");
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
      assertTrue(
          Json.parse(Json.stringify(a.doc().toJSON()))
              .equals(Json.parse(Json.stringify(b.doc().toJSON()))),
          "documents differ; seed " + seed);
    }
  }

  private static void edit(
      EditableMicrocosmAPI m, Random rnd, CountDownLatch start, List<Throwable> failures) {
    try {
      start.await();
      List<String> mine = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int op = rnd.nextInt(10);
        if (op < 4 || mine.isEmpty()) {
          Entity e =
              m.create(HtmlData.note(rnd.nextInt(800) - 400, rnd.nextInt(800) - 400, "n" + i));
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

  @Test
  void threePeersInAChainIncludingTwoDevicesOfOneIdentityConverge() throws Exception {
    long seed = Long.getLong("nodenogg.seed", 7L);
    try (YMicrocosm laptop = YMicrocosm.inMemory("chain");
        YMicrocosm phone = YMicrocosm.inMemory("chain");
        YMicrocosm bob = YMicrocosm.inMemory("chain");
        InMemoryLink ab = InMemoryLink.connect(laptop, phone);
        InMemoryLink bc = InMemoryLink.connect(phone, bob)) {
      laptop.identify("@aaaaaaaaaaaaaaa1");
      phone.identify("@aaaaaaaaaaaaaaa1");
      bob.identify("@bbbbbbbbbbbbbbb2");
      CountDownLatch start = new CountDownLatch(1);
      List<Throwable> failures = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      int i = 0;
      for (YMicrocosm m : List.of(laptop, phone, bob)) {
        long s = seed + i++;
        Thread t = new Thread(() -> editShared(m, new Random(s), start, failures));
        threads.add(t);
        t.start();
      }
      start.countDown();
      for (Thread t : threads) {
        t.join(30_000);
      }
      assertEquals(List.of(), failures, "seed " + seed);
      for (int round = 0; round < 3; round++) {
        ab.flush();
        bc.flush();
      }
      assertTrue(laptop.entities().equals(phone.entities()), "laptop/phone differ; seed " + seed);
      assertTrue(phone.entities().equals(bob.entities()), "phone/bob differ; seed " + seed);
      assertEquals(List.of("@aaaaaaaaaaaaaaa1", "@bbbbbbbbbbbbbbb2"), bob.getCollections());
    }
  }

  /**
   * Edits anything in the own collection (including what the other device wrote), with undo/redo.
   */
  private static void editShared(
      YMicrocosm m, Random rnd, CountDownLatch start, List<Throwable> failures) {
    try {
      start.await();
      for (int i = 0; i < 150; i++) {
        List<String> own = m.getCollection(m.identityId().orElseThrow());
        int op = rnd.nextInt(12);
        if (op < 4 || own.isEmpty()) {
          m.create(HtmlData.note(rnd.nextInt(500), rnd.nextInt(500), "n" + i));
        } else if (op < 8) {
          m.update(
              EntityUpdate.move(
                  own.get(rnd.nextInt(own.size())), rnd.nextInt(1000), rnd.nextInt(1000)));
        } else if (op < 9) {
          m.delete(own.get(rnd.nextInt(own.size())));
        } else if (op < 11) {
          m.undo();
        } else {
          m.redo();
        }
      }
    } catch (Throwable t) {
      synchronized (failures) {
        failures.add(t);
      }
    }
  }
}
