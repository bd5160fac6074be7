package nodenogg.ymicrocosm.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.EntityListener;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.MicrocosmState;
import nodenogg.microcosm.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application listeners of one microcosm and the executor they run on. Calls are queued in
 * order on that executor and never run on the thread that posts them (a caller's thread or a
 * transport's I/O thread). A failing listener is logged and does not stop the others. Thread-safe.
 */
public final class ListenerHub {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerHub.class);

  private final String name;
  private final Executor executor;
  private final List<EntityListener> entity = new CopyOnWriteArrayList<>();
  private final List<Consumer<MicrocosmState>> state = new CopyOnWriteArrayList<>();
  private final List<Consumer<InvalidValue>> invalid = new CopyOnWriteArrayList<>();

  public ListenerHub(String name, Executor executor) {
    this.name = name;
    this.executor = executor;
  }

  public Subscription onEntity(EntityListener l) {
    return add(entity, Objects.requireNonNull(l, "listener"));
  }

  public Subscription onState(Consumer<MicrocosmState> l) {
    return add(state, Objects.requireNonNull(l, "listener"));
  }

  public Subscription onInvalid(Consumer<InvalidValue> l) {
    return add(invalid, Objects.requireNonNull(l, "listener"));
  }

  private static <T> Subscription add(List<T> list, T l) {
    list.add(l);
    return () -> list.remove(l);
  }

  /** Queues the events and invalid-value reports of one transaction. */
  public void post(List<EntityEvent> events, List<InvalidValue> bad) {
    if (!events.isEmpty() && !entity.isEmpty()) {
      submit(
          () -> {
            for (EntityEvent ev : events) {
              for (EntityListener l : entity) {
                run(() -> l.onEvent(ev));
              }
            }
          });
    }
    if (!bad.isEmpty() && !invalid.isEmpty()) {
      submit(
          () -> {
            for (InvalidValue v : bad) {
              for (Consumer<InvalidValue> l : invalid) {
                run(() -> l.accept(v));
              }
            }
          });
    }
  }

  /** Queues a state change. */
  public void post(MicrocosmState s) {
    if (!state.isEmpty()) {
      submit(
          () -> {
            for (Consumer<MicrocosmState> l : state) {
              run(() -> l.accept(s));
            }
          });
    }
  }

  /** Blocks until every call queued so far has run (not from a listener). */
  public void drain() {
    CountDownLatch done = new CountDownLatch(1);
    try {
      executor.execute(done::countDown);
    } catch (RejectedExecutionException e) {
      return; // closed: nothing more will run
    }
    try {
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            "listener executor of microcosm "
                + name
                + " did not run queued events within 30 s (is a listener blocked?)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void submit(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("microcosm {} is closed; dropping a listener call", name);
    }
  }

  private void run(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("listener of microcosm {} failed", name, e);
    }
  }
}
