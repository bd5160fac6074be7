package nodenogg.sync.server;

/**
 * Deadlines for waits in tests, multiplied by {@code -Dnodenogg.timeout.scale} (default 4). A
 * deadline only bounds a wait that ends as soon as its condition holds; a loaded 2-core machine can
 * be many times slower than a quiet one, so the bound is generous.
 */
public final class TestTime {
  private static final double SCALE =
      Double.parseDouble(System.getProperty("nodenogg.timeout.scale", "4"));

  private TestTime() {}

  /** Polls {@code condition} until it holds; fails with {@code what} after 20 s. */
  public static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long end = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out: " + what);
      }
      Thread.sleep(2);
    }
  }

  /** {@code seconds} scaled, in seconds. */
  public static long seconds(long seconds) {
    return (long) Math.ceil(seconds * SCALE);
  }
}
