package nodenogg.sync.server.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: each document gets one, so a
 * document's state is only touched by one thread at a time and socket threads never block on it.
 * Thread-safe. A task that throws is logged and the next task runs.
 */
public final class SerialExecutor implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
  private final Executor pool;
  private final java.util.function.Consumer<OutOfMemoryError> outOfMemory;
  // small at first: most documents are quiet, and the deque grows under load (it never shrinks)
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(3);
  private boolean running;

  public SerialExecutor(Executor pool) {
    this(pool, e -> { });
  }

  /** @param outOfMemory told about an OutOfMemoryError from a task (the server sheds connections) */
  public SerialExecutor(Executor pool, java.util.function.Consumer<OutOfMemoryError> outOfMemory) {
    this.pool = pool;
    this.outOfMemory = outOfMemory;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    pool.execute(this::drain);
  }

  private void drain() {
    int budget = 64; // yield the pool thread now and then so other documents progress
    while (true) {
      Runnable next;
      synchronized (tasks) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
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
