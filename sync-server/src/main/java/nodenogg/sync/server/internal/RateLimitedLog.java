package nodenogg.sync.server.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets through at most {@code perWindow} log lines per key (a refusal reason) in each window, so a
 * flood of refused connections cannot flood the log; the lines held back are counted and reported
 * by the first line let through in a later window. Thread-safe.
 */
public final class RateLimitedLog {
  private final int perWindow;
  private final long windowMillis;
  private final LongSupplier clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  private static final class Window {
    long start;
    int used;
    long suppressed;
  }

  public RateLimitedLog(int perWindow, long windowMillis, LongSupplier clock) {
    this.perWindow = perWindow;
    this.windowMillis = windowMillis;
    this.clock = clock;
  }

  /**
   * Whether a line for {@code key} may be written now: -1 when it is held back, else the number of
   * earlier lines held back since the last one written (0 usually).
   */
  public long admit(String key) {
    long now = clock.getAsLong();
    Window w = windows.computeIfAbsent(key, k -> new Window());
    synchronized (w) {
      if (now - w.start >= windowMillis) {
        w.start = now;
        w.used = 0;
      }
      if (w.used >= perWindow) {
        w.suppressed++;
        return -1;
      }
      w.used++;
      long held = w.suppressed;
      w.suppressed = 0;
      return held;
    }
  }
}
