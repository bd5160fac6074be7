package nodenogg.sync.server.websocket;

import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Runs a task on the WebSocket event loop of the calling thread, after the socket events that loop
 * is handling, or on a fallback executor when called from any other thread (or while the loop is
 * stopping). Work that starts from a received message therefore stays on the thread that read it,
 * as in Node: no thread hop, and the messages read in one loop turn are handled together before
 * anything is sent. Use it only for short, non-blocking tasks. Thread-safe.
 */
public final class LoopExecutor implements Executor {

  private final Executor fallback;

  public LoopExecutor(Executor fallback) {
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  /** True when the calling thread is a WebSocket event loop (where nothing slow may run). */
  public static boolean onEventLoop() {
    return Thread.currentThread() instanceof IoLoop.LoopThread;
  }

  @Override
  public void execute(Runnable task) {
    Thread t = Thread.currentThread();
    if (t instanceof IoLoop.LoopThread) {
      IoLoop loop = ((IoLoop.LoopThread) t).loop;
      if (!loop.stopping()) {
        loop.execute(task);
        return;
      }
    }
    fallback.execute(task);
  }
}
