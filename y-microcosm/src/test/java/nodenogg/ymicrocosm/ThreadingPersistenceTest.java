package nodenogg.ymicrocosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.MicrocosmState;
import org.junit.jupiter.api.Test;

class ThreadingPersistenceTest {
  static final String ME = "@aaaaaaaaaaaaaaa1";

  @Test
  void listenersRunOnTheEventThreadInOrderNeverOnCallerOrIoThreads() throws Exception {
    try (YMicrocosm a = YMicrocosm.inMemory("threads"); YMicrocosm b = YMicrocosm.inMemory("threads");
        InMemoryLink link = InMemoryLink.connect(a, b)) {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      List<EntityEvent> seen = Collections.synchronizedList(new ArrayList<>());
      b.subscribe(e -> {
        threads.add(Thread.currentThread().getName());
        seen.add(e);
      });
      a.identify(ME);
      Entity e = a.create(HtmlData.note(0, 0, "x"));
      a.update(EntityUpdate.move(e.id(), 1, 1));
      a.delete(e.id());
      link.flush();
      b.drainEvents();
      assertEquals(Set.of("microcosm-threads"), threads, "remote events arrive via the link thread but run on b's event thread");
      assertEquals(List.of(EntityEvent.Kind.CREATE, EntityEvent.Kind.UPDATE, EntityEvent.Kind.DELETE),
          seen.stream().map(EntityEvent::kind).toList());
      assertEquals(e, seen.get(0).entity());
      assertEquals(e.id(), seen.get(2).previous().id());

      Set<String> localThreads = ConcurrentHashMap.newKeySet();
      a.subscribe(ev -> localThreads.add(Thread.currentThread().getName()));
      a.create(HtmlData.note(0, 0, "y"));
      a.drainEvents();
      assertFalse(localThreads.contains(Thread.currentThread().getName()));
      assertEquals(Set.of("microcosm-threads"), localThreads);
    }
  }

  @Test
  void safeToEditFromManyThreads() throws Exception {
    try (YMicrocosm m = YMicrocosm.inMemory("threads")) {
      m.identify(ME);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            Entity e = m.create(HtmlData.note(i, i, "n"));
            m.update(EntityUpdate.content(e.id(), "m"));
            m.entities();
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertEquals(400, m.getCollection(ME).size());
      assertTrue(m.nodes().stream().allMatch(e -> e.dataAs(HtmlData.class).content().equals("m")));
    }
  }

  @Test
  void persistenceReloadsTheDocumentAndStateIsHonest() {
    InMemoryPersistence store = new InMemoryPersistence();
    Entity made;
    List<MicrocosmState> states = Collections.synchronizedList(new ArrayList<>());
    try (YMicrocosm m = YMicrocosm.open("stored", MicrocosmOptions.defaults().persistence(store))) {
      m.onState(states::add);
      assertTrue(m.state().ready());
      assertTrue(m.state().persisted());
      assertFalse(m.state().connected(), "no transport, so not connected");
      m.identify(ME);
      made = m.create(HtmlData.note(3, 4, "kept"));
      m.update(EntityUpdate.move(made.id(), 7, 8));
      assertEquals(3, store.size("stored"), "identify, create, update: one stored update each");
    }
    try (YMicrocosm again = YMicrocosm.open("stored", MicrocosmOptions.defaults().persistence(store))) {
      Entity back = again.getEntity(ME, made.id()).orElseThrow();
      assertEquals(7, back.dataAs(HtmlData.class).x());
      assertEquals(3, store.size("stored"), "loading does not write back");
    }
    assertNotEquals(0, states.size());
    assertFalse(states.get(states.size() - 1).ready(), "close publishes ready = false");
  }

  @Test
  void aFailedAppendIsReportedToTheEditorWithoutBreakingTheDocument() {
    java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
    InMemoryPersistence backing = new InMemoryPersistence();
    nodenogg.microcosm.spi.UpdatePersistence flaky = new nodenogg.microcosm.spi.UpdatePersistence() {
      @Override
      public List<byte[]> load(String name) {
        return backing.load(name);
      }

      @Override
      public void append(String name, byte[] update) throws java.io.IOException {
        if (failing.get()) {
          throw new java.io.IOException("disk full");
        }
        backing.append(name, update);
      }
    };
    try (YMicrocosm a = YMicrocosm.open("flaky", MicrocosmOptions.defaults().persistence(flaky));
        YMicrocosm b = YMicrocosm.inMemory("flaky"); InMemoryLink link = InMemoryLink.connect(a, b)) {
      a.identify(ME);
      failing.set(true);
      java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
          () -> a.create(HtmlData.note(0, 0, "unstored")));
      assertTrue(e.getMessage().contains("could not be stored: disk full"), e.getMessage());
      assertFalse(a.state().persisted());
      link.flush();
      assertEquals(1, b.entities().size(), "the peer still received the change");
      assertEquals(1, a.entities().size());
    }
  }

  @Test
  void listenersCanRunOnACallerSuppliedExecutor() throws Exception {
    ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-ui"));
    try (YMicrocosm m = YMicrocosm.open("threads", MicrocosmOptions.defaults().listenerExecutor(ui))) {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      m.subscribe(e -> threads.add(Thread.currentThread().getName()));
      m.onState(s -> threads.add("state:" + Thread.currentThread().getName()));
      m.identify(ME);
      m.create(HtmlData.note(0, 0, "x"));
      m.join(new nodenogg.microcosm.Identity(ME, null));
      m.drainEvents();
      assertEquals(Set.of("app-ui", "state:app-ui"), threads);
    } finally {
      ui.shutdown();
    }
  }
}
