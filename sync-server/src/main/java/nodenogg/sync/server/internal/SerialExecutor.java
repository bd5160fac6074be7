package nodenogg.sync.server.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import nodenogg.sync.server.websocket.LoopExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on shared threads: each document gets one, so a
 * document's state is only touched by one thread at a time and socket threads never block on it.
 *
 * <p>Light work runs where it was submitted from ({@code pool}: in the server, the event loop that
 * read the message, so a small update costs no thread hop). Heavy work never runs on an event loop:
 * a task submitted with {@link #executeHeavy}, and every task while the document is large (see
 * {@link #heavyWhen}), is handed to {@code heavyPool} when it reaches the head of the queue on a
 * loop thread, in order, so one document's big update or big initial sync cannot stall the other
 * connections of that loop. Thread-safe. A task that throws is logged and the next task runs.
 */
public final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  private final Executor pool;
  private final Executor heavyPool;
  private final Consumer<OutOfMemoryError> outOfMemory;
  private volatile BooleanSupplier large = () -> false;
  // small at first: most documents are quiet, and the deque grows under load (it never shrinks)
  private final ArrayDeque<Object> tasks = new ArrayDeque<>(3); // Runnable, or Heavy
  private boolean running;

  /** A task that must not run on an event loop. */
  private static final class Heavy {
    final Runnable task;

    Heavy(Runnable task) {
      this.task = task;
    }
  }

  public SerialExecutor(Executor pool) {
    this(pool, pool, e -> {});
  }

  /**
   * @param pool where a drain starts for light work (the server gives the submitting event loop)
   * @param heavyPool threads that are never event loops, for heavy work
   * @param outOfMemory told about an OutOfMemoryError from a task (the server sheds connections)
   */
  public SerialExecutor(Executor pool, Executor heavyPool, Consumer<OutOfMemoryError> outOfMemory) {
    this.pool = pool;
    this.heavyPool = heavyPool;
    this.outOfMemory = outOfMemory;
  }

  /**
   * While {@code isLarge} holds, every task is heavy (a large document's work leaves the event
   * loops).
   */
  public void heavyWhen(BooleanSupplier isLarge) {
    this.large = isLarge;
  }

  @Override
  public void execute(Runnable task) {
    submit(task, false);
  }

  /** Runs {@code task} in order with the others, but never on an event loop. */
  public void executeHeavy(Runnable task) {
    submit(new Heavy(task), true);
  }

  /**
   * True when tasks wait behind the one running now (a hint: another thread may add more at any
   * time).
   */
  public boolean hasQueued() {
    synchronized (tasks) {
      return !tasks.isEmpty();
    }
  }

  private void submit(Object task, boolean heavy) {
    synchronized (tasks) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    (heavy ? heavyPool : pool).execute(this::drain);
  }

  private void drain() {
    int budget = 64; // yield the thread now and then so other documents progress
    boolean onLoop = LoopExecutor.onEventLoop();
    while (true) {
      Object next;
      boolean handOff = false;
      synchronized (tasks) {
        next = tasks.peek();
        if (next == null) {
          running = false;
          return;
        }
        if (onLoop && (next instanceof Heavy || large.getAsBoolean())) {
          handOff = true; // stays running: the worker continues this queue, in order
        } else {
          tasks.poll();
        }
      }
      if (handOff) {
        heavyPool.execute(this::drain);
        return;
      }
      Runnable task = next instanceof Heavy ? ((Heavy) next).task : (Runnable) next;
      try {
        task.run();
      } catch (OutOfMemoryError e) {
        outOfMemory.accept(e);
      } catch (Throwable e) {
        LOG.error("document task failed", e);
      }
      if (--budget == 0) {
        pool.execute(this::drain);
        return;
      }
    }
  }
}
