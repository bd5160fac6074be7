package nodenogg.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Live-heap measurement: used heap after repeated full collections. Not precise to the byte. */
public final class HeapMeter {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapMeter() {}

  /** Used heap bytes after asking for full GC until the number settles (at most a few rounds). */
  public static long liveHeap() {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 6; i++) {
      System.gc();
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (Math.abs(last - used) < 64 * 1024 && i >= 1) {
        return used;
      }
      last = used;
    }
    return last;
  }
}
