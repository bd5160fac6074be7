package nodenogg.persistence.sqlite;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark (not a test): durable appends per second and acknowledgement latency of {@link
 * SqliteUpdateStore} with group commit, next to y-leveldb (Node) under the same load in the same
 * run. Two loads: <em>closed</em> (W writers, each sends its next update when the previous one is
 * acknowledged, like clients waiting for SyncStatus) and <em>open</em> (a fixed arrival rate,
 * latency measured from the scheduled send time, so a stall is not hidden by fewer sends).
 *
 * <p>Run: {@code persistence-sqlite/bench.sh [seconds] [writers] [rate]} (see
 * docs/benchmarks/persistence.md).
 */
public final class PersistenceBenchmark {

  private static final int DOCS = 10;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int writers = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    Path jsDir = Path.of(System.getProperty("nodenogg.js.dir", "js")).toAbsolutePath();
    Path work = Files.createTempDirectory("persistence-bench");
    List<List<byte[]>> updates = generate(writers, 8_000);
    Path file = work.resolve("updates.tsv");
    writeUpdates(updates, file);

    System.out.printf(
        Locale.ROOT,
        "persistence benchmark: %d s per run, %d writers (closed), %d/s (open), %d docs, "
            + "%d cores, java %s%n",
        seconds,
        writers,
        rate,
        DOCS,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    String diskBefore = fsyncProbe(work.resolve("probe"));
    System.out.println("disk before: " + diskBefore);
    closed(
        work.resolve("warmup.db"),
        Durability.FULL,
        updates,
        writers,
        3); // JIT warm-up, not reported
    List<String> rows = new ArrayList<>();
    rows.add(
        report(
            "sqlite FULL, closed, " + writers + " writers",
            closed(work.resolve("a.db"), Durability.FULL, updates, writers, seconds)));
    rows.add(
        report(
            "sqlite FULL, open, " + rate + "/s",
            open(work.resolve("b.db"), Durability.FULL, updates, rate, seconds)));
    rows.add(
        report(
            "sqlite NORMAL, closed, " + writers + " writers",
            closed(work.resolve("c.db"), Durability.NORMAL, updates, writers, seconds)));
    rows.add(
        report(
            "sqlite NORMAL, open, " + rate + "/s",
            open(work.resolve("e.db"), Durability.NORMAL, updates, rate, seconds)));
    rows.add(
        report(
            "sqlite FULL, closed, 1 writer (no batching)",
            closed(work.resolve("d.db"), Durability.FULL, updates, 1, seconds)));
    rows.add(
        node(
            jsDir,
            file,
            work.resolve("l1"),
            "closed",
            writers,
            seconds,
            "y-leveldb, closed, " + writers + " writers"));
    rows.add(
        node(
            jsDir,
            file,
            work.resolve("l2"),
            "open",
            rate,
            seconds,
            "y-leveldb, open, " + rate + "/s"));
    String diskAfter = fsyncProbe(work.resolve("probe"));
    System.out.println("disk after: " + diskAfter);
    System.out.println();
    System.out.println(
        "fsync'd 4 KiB writes (FileChannel.force), before: "
            + diskBefore
            + "; after: "
            + diskAfter);
    System.out.println();
    System.out.println("| run | acks/s | p50 ms | p99 ms | max ms | JVM CPU us/ack |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
  }

  /** Latency of 300 synchronous 4 KiB writes: what one FULL commit cannot go below on this disk. */
  static String fsyncProbe(Path file) throws IOException {
    double[] l = new double[300];
    java.nio.ByteBuffer page = java.nio.ByteBuffer.allocate(4096);
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE)) {
      for (int i = 0; i < l.length; i++) {
        long t0 = System.nanoTime();
        page.clear();
        ch.write(page, (long) (i % 64) * 4096);
        ch.force(false);
        l[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Files.deleteIfExists(file);
    Arrays.sort(l);
    return String.format(
        Locale.ROOT,
        "p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        pct(l, 0.5),
        pct(l, 0.99),
        l[l.length - 1]);
  }

  /**
   * Per writer, a chain of typing updates (1-8 chars each) by its own client into one of DOCS docs.
   */
  static List<List<byte[]>> generate(int writers, int perWriter) {
    Random r = new Random(1);
    List<List<byte[]>> all = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      List<byte[]> ups = new ArrayList<>(perWriter);
      long clock = 0;
      for (int i = 0; i < perWriter; i++) {
        int n = 1 + r.nextInt(8);
        char[] cs = new char[n];
        Arrays.fill(cs, (char) ('a' + r.nextInt(26)));
        ups.add(TestUpdates.text(1000 + w, clock, new String(cs)));
        clock += n;
      }
      all.add(ups);
    }
    return all;
  }

  private static String doc(int writer) {
    return "doc" + (writer % DOCS);
  }

  private static void writeUpdates(List<List<byte[]>> updates, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < updates.size(); i++) {
        for (byte[] u : updates.get(i)) {
          w.write(i + "\t" + doc(i) + "\t" + Base64.getEncoder().encodeToString(u) + "\n");
        }
      }
    }
  }

  /**
   * Result: acks, elapsed seconds, sorted latencies in ms, CPU time of the whole JVM during the run
   * (ns).
   */
  record Result(int acks, double seconds, double[] latenciesMs, long cpuNanos) {}

  /** CPU time of this JVM so far (all threads: writers, store writer, acknowledgements, GC). */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static Result closed(Path db, Durability d, List<List<byte[]>> updates, int writers, int seconds)
      throws Exception {
    StoreOptions opts = StoreOptions.defaults().withDurability(d);
    double[][] lat = new double[writers][];
    int[] counts = new int[writers];
    long start = System.nanoTime();
    long cpu0 = cpuNanos();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db, opts)) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        Thread t =
            new Thread(
                () -> {
                  List<byte[]> ups = updates.get(writer);
                  double[] l = new double[ups.size()];
                  int i = 0;
                  for (; i < ups.size() && System.nanoTime() < end; i++) {
                    long t0 = System.nanoTime();
                    store.append(doc(writer), ups.get(i)).join();
                    l[i] = (System.nanoTime() - t0) / 1e6;
                  }
                  lat[writer] = l;
                  counts[writer] = i;
                });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int total = Arrays.stream(counts).sum();
    double[] all = new double[total];
    int k = 0;
    for (int w = 0; w < writers; w++) {
      System.arraycopy(lat[w], 0, all, k, counts[w]);
      k += counts[w];
    }
    Arrays.sort(all);
    return new Result(total, elapsed, all, cpuNanos() - cpu0);
  }

  static Result open(Path db, Durability d, List<List<byte[]>> updates, int rate, int seconds)
      throws Exception {
    int total = rate * seconds;
    double[] lat = new double[total];
    double[] lag = new double[total];
    AtomicInteger done = new AtomicInteger();
    int[] next = new int[updates.size()];
    List<CompletableFuture<Long>> acks = new ArrayList<>(total);
    long start;
    long cpu0 = cpuNanos();
    try (SqliteUpdateStore store =
        SqliteUpdateStore.open(db, StoreOptions.defaults().withDurability(d))) {
      start = System.nanoTime();
      for (int i = 0; i < total; i++) {
        long scheduled = start + (long) (i * 1e9 / rate);
        long wait = scheduled - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        int w = i % updates.size();
        int slot = i;
        lag[i] = (System.nanoTime() - scheduled) / 1e6;
        acks.add(
            store
                .append(doc(w), updates.get(w).get(next[w]++))
                .whenComplete(
                    (s, e) -> {
                      lat[slot] = (System.nanoTime() - scheduled) / 1e6;
                      done.incrementAndGet();
                    }));
      }
      CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Arrays.sort(lat);
    Arrays.sort(lag);
    System.out.printf(
        Locale.ROOT,
        "  (open loop: sender behind schedule p50 %.2f ms, p99 %.2f ms, max %.2f ms)%n",
        pct(lag, 0.5),
        pct(lag, 0.99),
        lag[lag.length - 1]);
    return new Result(done.get(), elapsed, lat, cpuNanos() - cpu0);
  }

  private static String report(String name, Result r) {
    double[] l = r.latenciesMs;
    String row =
        String.format(
            Locale.ROOT,
            "| %s | %.0f | %.2f | %.2f | %.2f | %.1f |",
            name,
            r.acks / r.seconds,
            pct(l, 0.5),
            pct(l, 0.99),
            l.length == 0 ? Double.NaN : l[l.length - 1],
            r.cpuNanos / 1e3 / Math.max(1, r.acks));
    System.out.println(row);
    return row;
  }

  private static double pct(double[] sorted, double p) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))];
  }

  private static String node(
      Path jsDir, Path file, Path dbDir, String mode, int param, int seconds, String name)
      throws Exception {
    Path script = jsDir.resolve("persistence/leveldb-bench.mjs");
    if (!Files.isDirectory(jsDir.resolve("node_modules/y-leveldb"))) {
      String row =
          "| "
              + name
              + " | skipped: js/node_modules/y-leveldb missing (run js/install.sh) | | | | |";
      System.out.println(row);
      return row;
    }
    Process p =
        new ProcessBuilder(
                "node",
                script.toString(),
                file.toString(),
                dbDir.toString(),
                mode,
                Integer.toString(param),
                Integer.toString(seconds))
            .directory(jsDir.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    String json = out.substring(out.lastIndexOf('\n') + 1);
    double perSecond = field(json, "perSecond");
    String row =
        String.format(
            Locale.ROOT,
            "| %s | %.0f | %.2f | %.2f | %.2f | (Node) |",
            name,
            perSecond,
            field(json, "p50Ms"),
            field(json, "p99Ms"),
            field(json, "maxMs"));
    System.out.println(row);
    return row;
  }

  private static double field(String json, String key) {
    int i = json.indexOf("\"" + key + "\":");
    if (i < 0) {
      return Double.NaN;
    }
    int s = i + key.length() + 3;
    int e = s;
    while (e < json.length() && "0123456789.eE+-".indexOf(json.charAt(e)) >= 0) {
      e++;
    }
    return Double.parseDouble(json.substring(s, e));
  }

  private PersistenceBenchmark() {}
}
