package nodenogg.sync;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes (then fails with a description). Deadlines
 * are multiplied by {@code -Dnodenogg.timeout.scale} (default 4): they only bound a wait that
 * returns as soon as the condition holds, and a loaded 2-core machine can be many times slower than
 * a quiet one.
 */
final class Await {
  private static final double SCALE =
      Double.parseDouble(System.getProperty("nodenogg.timeout.scale", "4"));

  private Await() {}

  /** Waits for a future with a scaled deadline; returns its value. */
  static <T> T get(java.util.concurrent.Future<T> f, long timeoutMillis) throws Exception {
    return f.get((long) (timeoutMillis * SCALE), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * The deadline after scaling, for waits that are not a polled condition (e.g. a child process).
   */
  static long scaled(long timeoutMillis) {
    return (long) (timeoutMillis * SCALE);
  }

  static void until(String what, long timeoutMillis, BooleanSupplier cond) {
    until(() -> what, timeoutMillis, cond);
  }

  static void until(Supplier<String> what, long timeoutMillis, BooleanSupplier cond) {
    timeoutMillis = (long) (timeoutMillis * SCALE);
    long end = System.currentTimeMillis() + timeoutMillis;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError(
            "timed out after " + timeoutMillis + " ms waiting for: " + what.get());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }
}
