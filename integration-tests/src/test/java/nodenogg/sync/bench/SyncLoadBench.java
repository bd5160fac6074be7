package nodenogg.sync.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Loopback load generator (a benchmark, not a test: skipped unless {@code -Dsync.bench=true}). N
 * Java Hocuspocus clients, one socket each, on one document; each writes M map entries as fast as
 * it can; we time until every client holds all N×M entries and every write is acknowledged.
 * Servers: ours in memory, ours on SQLite, and {@code @hocuspocus/server} 4.7.0 on Node. Numbers go
 * to docs/benchmarks/sync.md.
 */
class SyncLoadBench {
  private static final int N = Integer.getInteger("sync.bench.clients", 50);
  private static final int M = Integer.getInteger("sync.bench.writes", 40);

  @Test
  void run() throws Exception {
    Assumptions.assumeTrue(
        Boolean.getBoolean("sync.bench"), "benchmark: run with -Dsync.bench=true");
    List<String> rows = new ArrayList<>();
    for (int round = 0; round < 2; round++) { // first round warms the JVM
      try (SyncServer s =
          SyncServer.builder().port(0).store(new InMemoryUpdateStore()).build().start()) {
        rows.add(measure("ours, in memory", "ws://127.0.0.1:" + s.port() + "/sync"));
      }
      Path dir = Files.createTempDirectory("sync-bench");
      try (SyncServer s =
          SyncServer.builder()
              .port(0)
              .store(SqliteUpdateStore.openDirectory(dir, SyncServer.defaultStoreOptions()))
              .build()
              .start()) {
        rows.add(measure("ours, SQLite (FULL fsync)", "ws://127.0.0.1:" + s.port() + "/sync"));
      }
      Process node =
          new ProcessBuilder("node", "sync/hocuspocus-server.mjs")
              .directory(Path.of(System.getProperty("nodenogg.js.dir")).toFile())
              .start();
      try {
        BufferedReader r =
            new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        int port = Integer.parseInt(line.substring(5).trim());
        rows.add(measure("@hocuspocus/server 4.7.0 (Node 20, memory)", "ws://127.0.0.1:" + port));
      } finally {
        node.destroyForcibly();
        node.waitFor(5, TimeUnit.SECONDS);
      }
    }
    System.out.println(
        "| server | clients | writes each | connect+sync ms | all converged+acked ms | updates/s |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    rows.subList(rows.size() / 2, rows.size()).forEach(System.out::println);
  }

  private static String measure(String label, String url) throws Exception {
    ClientOptions opts =
        ClientOptions.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    List<HocuspocusClient> clients = new ArrayList<>();
    List<HocuspocusDocument> docs = new ArrayList<>();
    List<Doc> ydocs = new ArrayList<>();
    String name = "bench-" + System.nanoTime();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < N; i++) {
        HocuspocusClient c = HocuspocusClient.connect(URI.create(url), opts);
        Doc d = new Doc();
        clients.add(c);
        ydocs.add(d);
        docs.add(c.open(name, new DocSync(d), null, "bench"));
      }
      for (HocuspocusDocument d : docs) {
        d.whenSynced().get(60, TimeUnit.SECONDS);
      }
      long t1 = System.nanoTime();
      List<Thread> writers = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        Doc d = ydocs.get(i);
        int id = i;
        Thread t =
            new Thread(
                () -> {
                  for (int k = 0; k < M; k++) {
                    d.getMap("notes").set("c" + id + "-" + k, k);
                  }
                });
        writers.add(t);
        t.start();
      }
      for (Thread t : writers) {
        t.join();
      }
      long end = System.currentTimeMillis() + 120_000;
      while (true) {
        boolean done = true;
        for (int i = 0; i < N && done; i++) {
          done = ydocs.get(i).getMap("notes").size() == N * M && docs.get(i).unsyncedChanges() == 0;
        }
        if (done) {
          break;
        }
        if (System.currentTimeMillis() > end) {
          throw new AssertionError(label + ": did not converge in 120 s");
        }
        Thread.sleep(2);
      }
      long t2 = System.nanoTime();
      double ms = (t2 - t1) / 1e6;
      return String.format(
          "| %s | %d | %d | %.0f | %.0f | %.0f |",
          label, N, M, (t1 - t0) / 1e6, ms, N * M / (ms / 1000));
    } finally {
      clients.forEach(HocuspocusClient::close);
    }
  }
}
