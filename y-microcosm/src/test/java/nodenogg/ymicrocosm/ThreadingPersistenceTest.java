package nodenogg.ymicrocosm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.MicrocosmState;
import nodenogg.persistence.ForwardingUpdateStore;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateStore;
import org.junit.jupiter.api.Test;

class ThreadingPersistenceTest {
  static final String ME = "@aaaaaaaaaaaaaaa1";

  @Test
  void listenersRunOnTheEventThreadInOrderNeverOnCallerOrIoThreads() throws Exception {
    try (YMicrocosm a = YMicrocosm.inMemory("threads");
        YMicrocosm b = YMicrocosm.inMemory("threads");
        InMemoryLink link = InMemoryLink.connect(a, b)) {
      Set<String> threads = ConcurrentHashMap.newKeySet();
      List<EntityEvent> seen = Collections.synchronizedList(new ArrayList<>());
      b.subscribe(
          e -> {
            threads.add(Thread.currentThread().getName());
            seen.add(e);
          });
      a.identify(ME);
      Entity e = a.create(HtmlData.note(0, 0, "x"));
      a.update(EntityUpdate.move(e.id(), 1, 1));
      a.delete(e.id());
      link.flush();
      b.drainEvents();
      assertEquals(
          Set.of("microcosm-threads"),
          threads,
          "remote events arrive via the link thread but run on b's event thread");
      assertEquals(
          List.of(EntityEvent.Kind.CREATE, EntityEvent.Kind.UPDATE, EntityEvent.Kind.DELETE),
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
        fs.add(
            pool.submit(
                () -> {
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
    InMemoryUpdateStore store = new InMemoryUpdateStore();
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
      assertEquals(3, stored(store, "stored"), "identify, create, update: one stored update each");
    }
    try (YMicrocosm again =
        YMicrocosm.open("stored", MicrocosmOptions.defaults().persistence(store))) {
      Entity back = again.getEntity(ME, made.id()).orElseThrow();
      assertEquals(7, back.dataAs(HtmlData.class).x());
      assertEquals(3, stored(store, "stored"), "loading does not write back");
    }
    assertNotEquals(0, states.size());
    assertFalse(states.get(states.size() - 1).ready(), "close publishes ready = false");
  }

  private static long stored(UpdateStore store, String doc) {
    return store.info(doc).map(i -> i.updateCount()).orElse(0L);
  }

  @Test
  void aFailedAppendIsReportedToTheEditorWithoutBreakingTheDocument() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean failing =
        new java.util.concurrent.atomic.AtomicBoolean();
    InMemoryUpdateStore backing = new InMemoryUpdateStore();
    UpdateStore flaky =
        new ForwardingUpdateStore(backing) {
          @Override
          public CompletableFuture<Long> append(String name, byte[] update) {
            if (failing.get()) {
              return CompletableFuture.failedFuture(new StoreException("disk full"));
            }
            return super.append(name, update);
          }
        };
    try (YMicrocosm a = YMicrocosm.open("flaky", MicrocosmOptions.defaults().persistence(flaky));
        YMicrocosm b = YMicrocosm.inMemory("flaky");
        InMemoryLink link = InMemoryLink.connect(a, b)) {
      a.identify(ME);
      failing.set(true);
      a.create(HtmlData.note(0, 0, "unstored")); // storage never holds up an edit
      ExecutionException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class,
              () -> a.flush().get(30, TimeUnit.SECONDS),
              "the editor learns through flush()");
      assertTrue(e.getCause() instanceof StoreException, String.valueOf(e.getCause()));
      assertTrue(
          e.getCause().getMessage().contains("could not be stored: disk full"),
          e.getCause().getMessage());
      assertFalse(a.state().persisted());
      link.flush();
      assertEquals(1, b.entities().size(), "the peer still received the change");
      assertEquals(1, a.entities().size());
      failing.set(false);
      a.flush().get(30, TimeUnit.SECONDS); // the kept update is retried and now stored
      assertTrue(a.state().persisted(), "persisted again once every change is stored");
    }
    try (YMicrocosm again =
        YMicrocosm.open("flaky", MicrocosmOptions.defaults().persistence(backing))) {
      assertEquals(1, again.entities().size(), "the retried change is in the store");
    }
  }

  /**
   * A store whose appends complete only when the test releases them (a disk that takes its time).
   */
  static final class SlowStore extends ForwardingUpdateStore {
    private final List<CompletableFuture<Long>> held = new ArrayList<>();
    private final List<CompletableFuture<Long>> real = new ArrayList<>();
    private boolean released;

    SlowStore(UpdateStore delegate) {
      super(delegate);
    }

    @Override
    public synchronized CompletableFuture<Long> append(String name, byte[] update) {
      CompletableFuture<Long> done = super.append(name, update);
      if (released) {
        return done;
      }
      CompletableFuture<Long> later = new CompletableFuture<>();
      held.add(later);
      real.add(done);
      return later;
    }

    @Override
    public synchronized CompletableFuture<Void> flush() {
      return CompletableFuture.allOf(held.toArray(new CompletableFuture<?>[0]));
    }

    synchronized int waiting() {
      return (int) held.stream().filter(f -> !f.isDone()).count();
    }

    void release() {
      List<CompletableFuture<Long>> h;
      List<CompletableFuture<Long>> r;
      synchronized (this) {
        released = true;
        h = new ArrayList<>(held);
        r = new ArrayList<>(real);
      }
      for (int i = 0; i < h.size(); i++) {
        h.get(i).complete(r.get(i).join());
      }
    }
  }

  /**
   * Issue 14: no storage wait under the document's lock — edits, reads and peers go on while
   * appends are pending.
   */
  @Test
  void editsGoOnWhileTheStoreIsSlow() throws Exception {
    InMemoryUpdateStore backing = new InMemoryUpdateStore();
    SlowStore slow = new SlowStore(backing);
    ExecutorService editor = Executors.newSingleThreadExecutor();
    try (YMicrocosm a = YMicrocosm.open("slow", MicrocosmOptions.defaults().persistence(slow));
        YMicrocosm b = YMicrocosm.inMemory("slow");
        InMemoryLink link = InMemoryLink.connect(a, b)) {
      try {
        // on another thread, so that an edit waiting for the store fails the test instead of
        // hanging it
        editor
            .submit(
                () -> {
                  a.identify(ME);
                  for (int i = 0; i < 100; i++) {
                    Entity e = a.create(HtmlData.note(i, i, "n" + i));
                    a.update(EntityUpdate.move(e.id(), i + 1, i + 1));
                  }
                  return null;
                })
            .get(60, TimeUnit.SECONDS);
        assertEquals(100, a.entities().size(), "every edit is in the document");
        assertEquals(
            201,
            slow.waiting(),
            "and none of them is stored yet (identify + 100 creates + 100 moves)");
        CompletableFuture<Void> durable = a.flush();
        assertFalse(durable.isDone(), "flush() waits for the store");
        assertTrue(a.state().persisted(), "nothing failed: the store is just slow");
        link.flush();
        assertEquals(
            100, b.entities().size(), "peers got every change without waiting for the store");
        slow.release();
        durable.get(30, TimeUnit.SECONDS);
      } finally {
        slow.release(); // so that closing (which flushes) cannot hang on a failed assertion
      }
    } finally {
      editor.shutdownNow();
    }
    try (YMicrocosm again =
        YMicrocosm.open("slow", MicrocosmOptions.defaults().persistence(backing))) {
      assertEquals(100, again.entities().size());
    }
  }

  @Test
  void listenersCanRunOnACallerSuppliedExecutor() throws Exception {
    ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-ui"));
    try (YMicrocosm m =
        YMicrocosm.open("threads", MicrocosmOptions.defaults().listenerExecutor(ui))) {
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
