package nodenogg.webrtc.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread a room's state lives on. {@link #post} never throws (native callbacks post here,
 * and an exception thrown back into libwebrtc would take the process down); tasks posted after
 * {@link #shutdown} are dropped. A task that throws is logged and the loop goes on.
 */
public final class Loop {
  private static final Logger LOG = LoggerFactory.getLogger(Loop.class);
  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  public Loop(String name) {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              thread = t;
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  public void post(Runnable task) {
    try {
      executor.execute(() -> run(task));
    } catch (RejectedExecutionException e) {
      // shut down: the room is closed
    }
  }

  /** Runs {@code task} now when called on the loop, else posts it. */
  public void run(Runnable task, boolean now) {
    if (now && inLoop()) {
      run(task);
    } else {
      post(task);
    }
  }

  private static void run(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LOG.error("unexpected failure in a WebRTC room task", e);
    }
  }

  /** Schedules {@code task}; null when the loop is shut down. */
  public ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
    try {
      return executor.schedule(() -> run(task), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  public ScheduledFuture<?> every(Runnable task, long periodMillis) {
    try {
      return executor.scheduleWithFixedDelay(
          () -> run(task), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  /** Stops after the tasks already queued; waits at most {@code millis} for the thread to end. */
  public void shutdown(long millis) {
    executor.shutdown();
    if (!inLoop()) {
      try {
        executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
