package nodenogg.persistence.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import nodenogg.crdt.Doc;

/**
 * Benchmark (not a test): durable appends per second into PostgreSQL and acknowledgement latency,
 * with the options {@code ./microcosm serve --postgres} uses (2 ms commit window). Two loads, as
 * the SQLite benchmark: <em>open</em> (a fixed arrival rate, latency from the scheduled send time,
 * so a stall is not hidden) and <em>closed</em> (W writers, each sending its next update when the
 * previous one is acknowledged). Starts its own PostgreSQL ({@link PostgresServer}, fsync on,
 * synchronous_commit on).
 *
 * <p>Run: {@code benchmarks/postgres-bench.sh 10 2000 64 3} (seconds per run, open rate, closed
 * writers, repetitions; the open load also runs at twice the rate). Results: {@code
 * docs/benchmarks/postgres.md}. Every line carries the 1-minute load average before and after it:
 * the machine may be shared.
 */
public final class PostgresBenchmark {

  private static final int DOCS = 10;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int writers = args.length > 2 ? Integer.parseInt(args[2]) : 64;
    int reps = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    List<byte[]> updates = new ArrayList<>();
    Doc d = new Doc(new Doc.Options().clientId(7));
    d.onUpdate((u, o, t) -> updates.add(u));
    for (int i = 0; i < 200_000; i++) {
      d.getMap("notes").set("k" + (i % 5000), "note " + i);
    }
    System.out.printf(
        Locale.ROOT,
        "postgres benchmark: %d s per run, %d/s open, %d writers closed, %d docs, %d cores%n",
        seconds,
        rate,
        writers,
        DOCS,
        Runtime.getRuntime().availableProcessors());
    try (PostgresServer pg = PostgresServer.startNew()) {
      PostgresStoreOptions o =
          PostgresStoreOptions.defaults()
              .withCommitWindow(Duration.ofMillis(2))
              .withInstanceId("bench");
      try (PostgresUpdateStore warm = PostgresUpdateStore.open(pg.createDatabase(), o)) {
        open(warm, updates, rate, 3);
      }
      for (int r = 1; r <= reps; r++) {
        for (int k : new int[] {1, 2}) {
          String load = load();
          try (PostgresUpdateStore s = PostgresUpdateStore.open(pg.createDatabase(), o)) {
            report(
                "rep " + r + " open " + k * rate + "/s", open(s, updates, k * rate, seconds), load);
          }
        }
        String load = load();
        try (PostgresUpdateStore s = PostgresUpdateStore.open(pg.createDatabase(), o)) {
          report(
              "rep " + r + " closed " + writers + " writers",
              closed(s, updates, writers, seconds),
              load);
        }
      }
    }
  }

  /** [acked, seconds, latencies (ns)...] */
  private static long[] open(PostgresUpdateStore s, List<byte[]> updates, int rate, int seconds)
      throws Exception {
    int n = rate * seconds;
    long[] lat = new long[n];
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    long interval = 1_000_000_000L / rate;
    List<CompletableFuture<Long>> fs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int idx = i;
      fs.add(
          s.append("doc" + (i % DOCS), updates.get(i % updates.size()))
              .whenComplete((r, e) -> lat[idx] = System.nanoTime() - due));
      next.incrementAndGet();
    }
    CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).join();
    double secs = (System.nanoTime() - start) / 1e9;
    return summary(lat, n, secs);
  }

  private static long[] closed(
      PostgresUpdateStore s, List<byte[]> updates, int writers, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<long[]> all = new ArrayList<>();
    List<Thread> ts = new ArrayList<>();
    AtomicInteger counter = new AtomicInteger();
    long start = System.nanoTime();
    for (int w = 0; w < writers; w++) {
      long[] mine = new long[2_000_000 / writers];
      all.add(mine);
      int wi = w;
      Thread t =
          new Thread(
              () -> {
                int k = 0;
                while (System.nanoTime() < end && k < mine.length - 1) {
                  long t0 = System.nanoTime();
                  s.append(
                          "doc" + (wi % DOCS),
                          updates.get(counter.getAndIncrement() % updates.size()))
                      .join();
                  mine[++k] = System.nanoTime() - t0;
                }
                mine[0] = k;
              });
      ts.add(t);
      t.start();
    }
    for (Thread t : ts) {
      t.join();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    int total = all.stream().mapToInt(a -> (int) a[0]).sum();
    long[] lat = new long[total];
    int p = 0;
    for (long[] a : all) {
      System.arraycopy(a, 1, lat, p, (int) a[0]);
      p += (int) a[0];
    }
    return summary(lat, total, secs);
  }

  private static long[] summary(long[] lat, int n, double secs) {
    long[] sorted = Arrays.copyOf(lat, n);
    Arrays.sort(sorted);
    return new long[] {
      n, (long) (secs * 1000), sorted[n / 2], sorted[(int) (n * 0.99)], sorted[n - 1]
    };
  }

  private static void report(String what, long[] r, String loadBefore) {
    System.out.printf(
        Locale.ROOT,
        "%-28s %8d acks in %6.1f s = %8.0f acks/s; ack latency p50 %.1f ms, p99 %.1f ms,"
            + " max %.1f ms; load %s -> %s%n",
        what,
        r[0],
        r[1] / 1000.0,
        r[0] / (r[1] / 1000.0),
        r[2] / 1e6,
        r[3] / 1e6,
        r[4] / 1e6,
        loadBefore,
        load());
  }

  /**
   * The 1-minute load average and the CPU pressure (share of the last 10 s that tasks waited for a
   * CPU), Linux.
   */
  private static String load() {
    String load = "?";
    String pressure = "?";
    try {
      load = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
      String psi = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/pressure/cpu"));
      pressure = psi.replaceAll("(?s)^some avg10=([0-9.]+).*", "$1") + "%";
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux, or no PSI
    }
    return load + " (cpu pressure " + pressure + ")";
  }
}
