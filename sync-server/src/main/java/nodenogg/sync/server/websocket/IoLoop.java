package nodenogg.sync.server.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event-loop thread: a selector over a share of the server's sockets, a queue of tasks posted
 * from other threads, and a periodic tick. Every socket is owned by exactly one loop; reading,
 * frame decoding and handler callbacks for it happen on that loop's thread. Other threads reach a
 * socket only through {@link #execute} or by writing under the socket's own lock.
 */
final class IoLoop implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);

  /** What a selected key's attachment does when it is ready. */
  interface Ready {
    void ready(SelectionKey key);
  }

  /**
   * What the loop does with a throwable that escaped a socket's event handling or a task: it never
   * ends the loop. {@code source} is the key's attachment (null for tasks and ticks).
   */
  interface Failures {
    void outOfMemory(Object source, OutOfMemoryError e);

    void failed(Object source, Throwable t);

    /** The selector itself is unusable (closed or broken): this loop cannot go on. */
    void loopBroken(IoLoop loop, Throwable t);
  }

  final Selector selector;
  final Thread thread;

  /** Shared by every socket of this loop: bytes are consumed before the next read. */
  final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final long tickNanos;
  private final Consumer<IoLoop> onTick;
  private final Failures failures;
  private volatile boolean stopping;

  IoLoop(String name, long tickMillis, Consumer<IoLoop> onTick, Failures failures)
      throws IOException {
    this.selector = Selector.open();
    this.tickNanos = tickMillis * 1_000_000L;
    this.onTick = onTick;
    this.failures = failures;
    this.thread = new LoopThread(this, name);
    thread.setDaemon(true);
  }

  /** The thread of an event loop, so code running on it can find its loop. */
  static final class LoopThread extends Thread {
    final IoLoop loop;

    LoopThread(IoLoop loop, String name) {
      super(loop, name);
      this.loop = loop;
    }
  }

  boolean stopping() {
    return stopping;
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs the task on this loop's thread, after the current batch of socket events. Any thread. */
  void execute(Runnable task) {
    tasks.add(task);
    wakeup();
  }

  /** Makes a blocked select return (no-op when already requested or on the loop thread). */
  void wakeup() {
    if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /** Asks the loop to exit after its current iteration; it closes its selector on the way out. */
  void stop() {
    stopping = true;
    selector.wakeup();
  }

  /**
   * The loop. Nothing ends it but {@link #stop()}: a throwable from one socket's events, a task or
   * the tick goes to {@link Failures} (an OutOfMemoryError included, which sheds connections), and
   * the loop carries on with the next event. Only a broken selector ends it, reported as such.
   */
  @Override
  public void run() {
    long nextTick = System.nanoTime() + tickNanos;
    try {
      while (!stopping) {
        try {
          nextTick = turn(nextTick);
        } catch (OutOfMemoryError e) {
          failures.outOfMemory(null, e);
        } catch (java.nio.channels.ClosedSelectorException | IOException e) {
          if (!stopping) {
            failures.loopBroken(this, e);
          }
          return;
        } catch (Throwable t) {
          failures.failed(null, t);
        }
      }
      while (!tasks.isEmpty()) {
        runTasks();
      }
    } finally {
      try {
        selector.close();
      } catch (IOException e) {
        LOG.debug("closing a selector failed", e);
      }
    }
  }

  /** One turn: socket events, then tasks, then the tick when due. Returns the next tick time. */
  private long turn(long nextTick) throws IOException {
    long wait = Math.max(1, (nextTick - System.nanoTime()) / 1_000_000L);
    if (tasks.isEmpty()) {
      selector.select(wait);
    } else {
      selector.selectNow();
    }
    wakeupPending.set(false);
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      Object source = key.attachment();
      try {
        ((Ready) source).ready(key);
      } catch (CancelledKeyException e) {
        // closed while its events were being handled
      } catch (OutOfMemoryError e) {
        failures.outOfMemory(source, e);
      } catch (Throwable t) {
        failures.failed(source, t);
      }
    }
    runTasks();
    long now = System.nanoTime();
    if (now - nextTick >= 0) {
      nextTick = now + tickNanos;
      try {
        onTick.accept(this);
      } catch (OutOfMemoryError e) {
        failures.outOfMemory(null, e);
      } catch (Throwable t) {
        failures.failed(null, t);
      }
    }
    return nextTick;
  }

  private void runTasks() {
    Runnable task;
    int budget = 4096; // bounded, so sockets are not starved by a flood of tasks
    while (budget-- > 0 && (task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (OutOfMemoryError e) {
        failures.outOfMemory(null, e);
      } catch (Throwable t) {
        failures.failed(null, t);
      }
    }
  }
}
