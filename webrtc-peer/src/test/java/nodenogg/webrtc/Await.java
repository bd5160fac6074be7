package nodenogg.webrtc;

import java.util.function.BooleanSupplier;

/**
 * Polls a condition with a generous bound (never a timing assertion: the bound only stops a hung
 * test).
 */
final class Await {
  private Await() {}

  static void until(String what, long millis, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
