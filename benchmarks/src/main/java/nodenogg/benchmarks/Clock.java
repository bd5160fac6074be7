package nodenogg.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wall-clock and process CPU time. On a shared machine the CPU time of the whole process (all
 * threads: JIT compilers and GC included, as Node's {@code process.cpuUsage()} counts them) is far
 * less disturbed by other load than wall time, so the reports compare engines on both.
 *
 * <p>Process CPU time is read in nanoseconds from {@code /proc/self/task/<tid>/schedstat} (the
 * scheduler's on-CPU time of every thread) where Linux provides it; the JDK's {@code
 * OperatingSystemMXBean.getProcessCpuTime()} counts 10 ms clock ticks, too coarse for phases of a
 * few tens of milliseconds. Elsewhere it falls back to the MXBean ({@link #PRECISE} says which).
 */
final class Clock {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final Path TASKS = Path.of("/proc/self/task");

  /**
   * Last on-CPU time seen per thread id: a thread that ended keeps the time it had when last seen.
   */
  private static final java.util.Map<String, Long> SEEN = new java.util.HashMap<>();

  /**
   * True when CPU time has nanosecond resolution (Linux schedstat), false for the JDK's tick clock.
   */
  static final boolean PRECISE = schedstatCpu() >= 0;

  final long wall0 = System.nanoTime();
  final long cpu0 = processCpuNanos();

  double wallMs() {
    return (System.nanoTime() - wall0) / 1e6;
  }

  double cpuMs() {
    return (processCpuNanos() - cpu0) / 1e6;
  }

  /** CPU time of the whole process so far, nanoseconds. */
  static long processCpuNanos() {
    if (PRECISE) {
      long ns = schedstatCpu();
      if (ns >= 0) {
        return ns;
      }
    }
    return OS.getProcessCpuTime();
  }

  /**
   * Sum over the threads of the process. A thread that ends between two readings loses only its CPU
   * time since the previous reading (with 2 compiler threads, the JVM's default on 2 cores, none of
   * the long-lived threads end).
   */
  private static synchronized long schedstatCpu() {
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
      for (Path t : tasks) {
        byte[] b;
        try {
          b = Files.readAllBytes(t.resolve("schedstat"));
        } catch (IOException e) {
          continue; // the thread ended while we listed the directory
        }
        long v = 0;
        int i = 0;
        while (i < b.length && b[i] >= '0' && b[i] <= '9') {
          v = v * 10 + (b[i++] - '0');
        }
        if (i == 0) {
          return -1;
        }
        SEEN.merge(t.getFileName().toString(), v, Math::max);
      }
      long sum = 0;
      for (long v : SEEN.values()) {
        sum += v;
      }
      return sum;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return -1;
    }
  }
}
