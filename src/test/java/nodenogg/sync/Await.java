package nodenogg.sync;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes (then fails with a description). */
final class Await {
  private Await() {}

  static void until(String what, long timeoutMillis, BooleanSupplier cond) {
    until(() -> what, timeoutMillis, cond);
  }

  static void until(Supplier<String> what, long timeoutMillis, BooleanSupplier cond) {
    long end = System.currentTimeMillis() + timeoutMillis;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for: " + what.get());
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
