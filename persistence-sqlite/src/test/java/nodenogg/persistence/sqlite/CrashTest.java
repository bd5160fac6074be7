package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.sqlite.internal.StoreHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, tested for real: a child JVM ({@link CrashChild}) appends as fast as it
 * can and prints every acknowledgement; we SIGKILL it ({@code Process.destroyForcibly}) at a random
 * moment or it halts itself at a named point of the write path, then we reopen the file and check,
 * with plain JDBC rather than the store's own code, that every acknowledged update's exact bytes
 * are there and that {@code PRAGMA integrity_check} says ok. Kills default to 50; {@code
 * -Dnodenogg.crash.kills=1000} for a soak. Seeded: {@code -Dnodenogg.crash.seed=N} replays a run.
 */
class CrashTest {

  @TempDir Path dir;

  /** Deterministic text for (client, clock): 1..40 chars, so updates vary in size. */
  static String payload(long client, long clock) {
    Random r = new Random(client * 1_000_003L + clock);
    int n = 1 + r.nextInt(40);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + r.nextInt(26)));
    }
    return sb.toString();
  }

  private record Ack(String doc, long client, long clock, int len) {}

  @Test
  void acknowledgedUpdatesSurviveKillDashNine() throws Exception {
    int kills = Integer.getInteger("nodenogg.crash.kills", 50);
    long seed = Long.getLong("nodenogg.crash.seed", System.nanoTime());
    System.out.println(
        "CrashTest seed="
            + seed
            + " kills="
            + kills
            + " (replay with -Dnodenogg.crash.seed="
            + seed
            + ")");
    Random rnd = new Random(seed);
    Path db = dir.resolve("crash.db");
    Path nativeDir = java.nio.file.Files.createDirectories(dir.resolve("native"));
    StoreHooks.Point[] points = {
      StoreHooks.Point.BEFORE_BEGIN,
      StoreHooks.Point.BEFORE_COMMIT,
      StoreHooks.Point.AFTER_COMMIT,
      StoreHooks.Point.COMPACTION_BETWEEN,
      StoreHooks.Point.CHECKPOINT
    };
    List<Ack> allAcks = new ArrayList<>();
    long deadline =
        System.nanoTime()
            + TimeUnit.SECONDS.toNanos(Long.getLong("nodenogg.crash.maxSeconds", 110));
    int done = 0;
    Map<String, Integer> selfHalted = new java.util.TreeMap<>();
    for (int run = 1; run <= kills && System.nanoTime() < deadline; run++) {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC"));
      // sqlite-jdbc extracts its native library at start and deletes it at exit, which a SIGKILL
      // skips:
      // extract into the test's temp dir, and once one copy exists let every later child load that
      // one
      cmd.add("-Dorg.sqlite.tmpdir=" + nativeDir);
      nativeLib(nativeDir)
          .ifPresent(
              lib -> {
                cmd.add("-Dorg.sqlite.lib.path=" + nativeDir);
                cmd.add("-Dorg.sqlite.lib.name=" + lib);
              });
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              CrashChild.class.getName(),
              db.toString(),
              Integer.toString(run),
              Integer.toString(1 + rnd.nextInt(3))));
      boolean halting = run % 5 == 0;
      StoreHooks.Point point = points[(run / 5) % points.length];
      boolean compacting =
          run % 3 == 0 || (halting && point == StoreHooks.Point.COMPACTION_BETWEEN);
      cmd.add(Boolean.toString(compacting));
      if (halting) {
        cmd.add(point.name());
        cmd.add(
            Integer.toString(
                point == StoreHooks.Point.COMPACTION_BETWEEN
                    ? 1 + rnd.nextInt(3)
                    : 1 + rnd.nextInt(50)));
      }
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      List<String> lines = new ArrayList<>();
      Thread reader = new Thread(() -> readLines(p, lines));
      reader.start();
      try {
        long waitReady = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!contains(lines, "READY") && p.isAlive() && System.nanoTime() < waitReady) {
          Thread.sleep(5);
        }
        assertTrue(
            contains(lines, "READY"), "child did not start (run " + run + ", seed " + seed + ")");
        if (halting) {
          if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 137) {
            selfHalted.merge(point.name(), 1, Integer::sum);
          }
        } else {
          Thread.sleep(20 + rnd.nextInt(300));
        }
      } finally {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        reader.join(10_000);
      }
      List<Ack> acks = parse(lines);
      allAcks.addAll(acks);
      verify(
          db,
          acks,
          compacting,
          "run "
              + run
              + " (seed "
              + seed
              + ", "
              + acks.size()
              + " acks"
              + (compacting ? ", compacting" : "")
              + (halting ? ", halted at " + point : ", SIGKILL")
              + ")");
      done++;
    }
    assertTrue(done >= Math.min(kills, 10), "too few kill cycles in the time bound: " + done);
    verify(db, allAcks, true, "final check over all " + done + " runs (seed " + seed + ")");
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db)) {
      assertTrue(store.check().ok(), store.check().toString());
    }
    System.out.println(
        "CrashTest: "
            + done
            + " kills, "
            + allAcks.size()
            + " acknowledged updates, none lost;"
            + " halted at named points: "
            + selfHalted);
    assertTrue(selfHalted.size() >= 3, "children halted at named points: " + selfHalted);
  }

  private static java.util.Optional<String> nativeLib(Path nativeDir) throws java.io.IOException {
    try (var files = java.nio.file.Files.list(nativeDir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(
              n ->
                  n.endsWith("libsqlitejdbc.so")
                      || n.endsWith("libsqlitejdbc.dylib")
                      || n.endsWith("sqlitejdbc.dll"))
          .findFirst();
    }
  }

  private static boolean contains(List<String> lines, String s) {
    synchronized (lines) {
      return lines.contains(s);
    }
  }

  private static void readLines(Process p, List<String> lines) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder cur = new StringBuilder();
      int ch;
      while ((ch = r.read()) >= 0) {
        if (ch == '\n') {
          synchronized (lines) {
            lines.add(cur.toString()); // only complete lines count; a torn last line is dropped
          }
          cur.setLength(0);
        } else {
          cur.append((char) ch);
        }
      }
    } catch (java.io.IOException e) {
      // process gone
    }
  }

  private static List<Ack> parse(List<String> lines) {
    List<Ack> acks = new ArrayList<>();
    synchronized (lines) {
      for (String l : lines) {
        if (l.startsWith("A ")) {
          String[] f = l.split(" ");
          acks.add(
              new Ack(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4])));
        }
      }
    }
    return acks;
  }

  /**
   * Independent of the store's code: raw JDBC over the file. Without compaction every acknowledged
   * update's exact bytes must be a row; with compaction (rows merged) the engine, fed every row,
   * must have integrated each acknowledged clock range.
   */
  private static void verify(Path db, List<Ack> acks, boolean merged, String context)
      throws Exception {
    Set<ByteBuffer> stored = new HashSet<>();
    Map<String, Map<Long, Long>> svs = new HashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        assertEquals("ok", rs.getString(1), "integrity_check after " + context);
      }
      Set<String> docs = new HashSet<>();
      for (Ack a : acks) {
        docs.add(a.doc);
      }
      for (String d : docs) {
        Doc doc = new Doc();
        try (ResultSet rs =
            st.executeQuery(
                "SELECT u.data FROM updates u JOIN documents d ON d.id = u.doc_id WHERE d.name = '"
                    + d
                    + "'")) {
          while (rs.next()) {
            byte[] row = rs.getBytes(1);
            stored.add(ByteBuffer.wrap(row));
            if (merged) {
              Updates.applyUpdate(doc, row);
            }
          }
        }
        svs.put(d, Updates.decodeStateVector(Updates.encodeStateVector(doc)));
      }
    }
    for (Ack a : acks) {
      String text = payload(a.client, a.clock);
      assertEquals(text.length(), a.len);
      byte[] expected = TestUpdates.text(a.client, a.clock, text);
      boolean present =
          merged
              ? svs.get(a.doc).getOrDefault(a.client, 0L) >= a.clock + a.len
              : stored.contains(ByteBuffer.wrap(expected));
      assertTrue(
          present,
          "acknowledged update LOST: doc "
              + a.doc
              + " client "
              + a.client
              + " clock "
              + a.clock
              + " in "
              + context);
    }
  }
}
