package nodenogg.sync.server.internal;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram with fixed bucket bounds in seconds, recorded in nanoseconds, rendered in the
 * Prometheus text format (cumulative {@code _bucket}s, {@code _sum}, {@code _count}). Recording is
 * lock-free; a scrape may see a record half-applied (count before sum), as Prometheus clients do.
 * Thread-safe.
 */
public final class Histogram {
  /** 50 µs … 10 s: update applies sit at the low end, store commits (fsync) in the middle. */
  public static final double[] LATENCY_BOUNDS = {
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
    2.5, 5, 10
  };

  private final double[] bounds;
  private final long[] boundNanos;
  private final LongAdder[] buckets; // non-cumulative; the last is +Inf
  private final LongAdder count = new LongAdder();
  private final LongAdder sumNanos = new LongAdder();

  public Histogram(double[] boundsSeconds) {
    this.bounds = boundsSeconds.clone();
    this.boundNanos = new long[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      boundNanos[i] = Math.round(bounds[i] * 1e9);
    }
    this.buckets = new LongAdder[bounds.length + 1];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new LongAdder();
    }
  }

  public void recordNanos(long nanos) {
    long n = Math.max(0, nanos);
    int i = 0;
    while (i < boundNanos.length && n > boundNanos[i]) {
      i++;
    }
    buckets[i].increment();
    sumNanos.add(n);
    count.increment();
  }

  public long count() {
    return count.sum();
  }

  public double sumSeconds() {
    return sumNanos.sum() / 1e9;
  }

  /** Appends {@code name_bucket{le=...}}, {@code name_sum} and {@code name_count} lines. */
  void render(StringBuilder out, String name) {
    long cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += buckets[i].sum();
      out.append(name)
          .append("_bucket{le=\"")
          .append(Prometheus.number(bounds[i]))
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    cumulative += buckets[bounds.length].sum();
    out.append(name).append("_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
    out.append(name)
        .append("_sum ")
        .append(String.format(Locale.ROOT, "%.9f", sumSeconds()))
        .append('\n');
    out.append(name).append("_count ").append(cumulative).append('\n');
  }
}
