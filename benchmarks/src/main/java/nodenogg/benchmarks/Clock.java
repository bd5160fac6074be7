package nodenogg.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * Wall-clock and process CPU time. On a shared machine the CPU time of the whole process (all threads:
 * JIT compilers and GC included, as Node's {@code process.cpuUsage()} counts them) is far less disturbed
 * by other load than wall time, so the reports compare engines on both.
 */
final class Clock {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  final long wall0 = System.nanoTime();
  final long cpu0 = OS.getProcessCpuTime();

  double wallMs() {
    return (System.nanoTime() - wall0) / 1e6;
  }

  double cpuMs() {
    return (OS.getProcessCpuTime() - cpu0) / 1e6;
  }
}
