package nodenogg.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A Doc is guarded by its own lock: concurrent writers and readers on one Doc stay consistent. */
class ConcurrencyTest {
  @Test
  void hammerOneDocFromSeveralThreads() throws Exception {
    Doc d = new Doc(new Doc.Options().clientId(1));
    Doc mirror = new Doc(new Doc.Options().clientId(2));
    AtomicInteger events = new AtomicInteger();
    d.onUpdate(
        (u, o, t) -> {
          events.incrementAndGet();
          Updates.applyUpdate(mirror, u);
        });
    int threads = 4;
    int perThread = 150;
    ExecutorService ex = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch start = new CountDownLatch(1);
    Future<?>[] fs = new Future<?>[threads + 1];
    for (int i = 0; i < threads; i++) {
      final int id = i;
      fs[i] =
          ex.submit(
              () -> {
                start.await();
                for (int k = 0; k < perThread; k++) {
                  d.getArray("a").push(List.of(id));
                  d.getText("t").insert(0, "x");
                  d.getMap("m").set("k" + id, k);
                }
                return null;
              });
    }
    fs[threads] =
        ex.submit(
            () -> {
              start.await();
              for (int k = 0; k < 100; k++) {
                Updates.encodeStateAsUpdate(d);
                d.toJSON();
              }
              return null;
            });
    start.countDown();
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    ex.shutdown();
    assertEquals(threads * perThread, d.getArray("a").length());
    assertEquals(threads * perThread, d.getText("t").length());
    assertEquals(threads * perThread * 3, events.get());
    assertEquals(
        Hex.encode(Updates.encodeStateAsUpdate(d)),
        Hex.encode(Updates.encodeStateAsUpdate(mirror)));
  }
}
