package nodenogg.earthstarit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import nodenogg.automerge.AutomergeMicrocosm;
import nodenogg.automerge.AutomergeOptions;
import nodenogg.automerge.repo.RepoClient;
import nodenogg.crdt.Doc;
import nodenogg.earthstar.AuthorKeypair;
import nodenogg.earthstar.EarthstarPeer;
import nodenogg.earthstar.EarthstarStorage;
import nodenogg.earthstar.Replica;
import nodenogg.earthstar.ShareKeypair;
import nodenogg.earthstar.SyncHandle;
import nodenogg.earthstar.SyncLimits;
import nodenogg.earthstar.SyncMode;
import nodenogg.earthstar.microcosm.EarthstarMicrocosm;
import nodenogg.earthstar.microcosm.LocalSync;
import nodenogg.earthstar.testing.JsPeer;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.server.SyncServer;
import nodenogg.ymicrocosm.YMicrocosm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Earthstar benchmarks (not tests: skipped unless {@code -Dearthstar.bench=true}); numbers go to
 * docs/earthstar.md. A: 10,000 documents synced into an empty peer (the real earthstar client),
 * ours (serve in a child JVM, SQLite) vs the earthstar Server (Node, memory): time, server CPU,
 * server RSS. B: 20 continuous peers writing 50 documents/s in total for 30 s: server CPU and RSS.
 * C: the microcosm workload (1,000 notes, 10,000 moves, 1,000 HTML edits) on Yjs and on Earthstar,
 * then a second peer's first full sync: time, bytes on the wire, bytes stored (and on Automerge
 * through /automerge).
 */
class EarthstarBench {
  private static final int DOCS = Integer.getInteger("earthstar.bench.docs", 10_000);
  private static final int SECONDS = Integer.getInteger("earthstar.bench.seconds", 30);

  private final ShareKeypair share = ShareKeypair.generate("bench");
  private final AuthorKeypair author = AuthorKeypair.generate("java");

  @Test
  void run() throws Exception {
    Assumptions.assumeTrue(
        Boolean.getBoolean("earthstar.bench"), "benchmark: run with -Dearthstar.bench=true");
    Path dir = Files.createTempDirectory("earthstar-bench");
    Path shares =
        Files.writeString(dir.resolve("known_shares.json"), "[\"" + share.shareAddress() + "\"]");
    String parts = System.getProperty("earthstar.bench.parts", "ABC");
    Path results =
        Path.of(System.getProperty("earthstar.bench.out", dir.resolve("results.md").toString()));
    Files.deleteIfExists(results);
    List<String> out =
        new java.util.AbstractList<String>() {
          private final List<String> lines = new ArrayList<>();

          @Override
          public boolean add(String line) { // printed and saved as soon as measured
            System.out.println(line);
            try {
              Files.writeString(
                  results,
                  line + System.lineSeparator(),
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return lines.add(line);
          }

          @Override
          public String get(int i) {
            return lines.get(i);
          }

          @Override
          public int size() {
            return lines.size();
          }
        };
    if (parts.contains("A")) {
      out.add(
          "A. N documents into an empty peer (once sync); the empty peer is our Java client for both servers");
      out.add("| server | documents | sync ms | server CPU ms | server RSS MiB after |");
      out.add("| --- | --- | --- | --- | --- |");
      for (int n : new int[] {1000, DOCS}) {
        Path data = dir.resolve("data-" + n);
        try (EarthstarStorage s = EarthstarStorage.open(data)) {
          Replica r = s.replica(share.shareAddress());
          for (int i = 0; i < n; i++) {
            r.set(author, share.secret(), "/bench/" + i, "document text number " + i, null, null);
          }
          s.flush().get();
        }
        try (ServeChild serve = new ServeChild(data, shares, dir.resolve("serve.log"))) {
          int port = serve.port();
          out.add(
              syncInto(
                  "ours (serve, SQLite)",
                  n,
                  "http://127.0.0.1:" + port + "/earthstar/",
                  serve.process.pid()));
        }
        try (JsPeer server = JsPeer.server(share, 0)) {
          server.call(JsPeer.cmd("seed").put("n", n).put("prefix", "/bench/"), 1200);
          out.add(
              syncInto(
                  "earthstar 10.2.2 Server (Node, memory)",
                  n,
                  "http://127.0.0.1:" + server.port + "/",
                  server.pid()));
        }
      }
      try (ServeChild serve =
          new ServeChild(dir.resolve("data-1000"), shares, dir.resolve("serve.log"))) {
        int port = serve.port();
        try (JsPeer client = JsPeer.client(share, null)) {
          long t0 = System.nanoTime();
          var res = client.syncOnce("http://127.0.0.1:" + port + "/earthstar/", 600);
          out.add(
              "| ours (serve, SQLite), the JS client as the empty peer | 1000 | "
                  + (System.nanoTime() - t0) / 1_000_000
                  + (res.path("synced").asBoolean()
                      ? ""
                      : " (failed: " + res.path("error").asText() + ")")
                  + " | | |");
        }
      }
    }
    if (parts.contains("B")) {
      out.add("");
      out.add("B. 20 continuous peers (Java clients), 50 documents/s in total, " + SECONDS + " s");
      out.add(
          "| server | server CPU % of one core | server RSS MiB after | documents everywhere |");
      out.add("| --- | --- | --- | --- |");
      Path data2 = dir.resolve("data2");
      try (ServeChild serve = new ServeChild(data2, shares, dir.resolve("serve2.log"))) {
        int port = serve.port();
        out.add(
            continuous(
                "ours (serve, SQLite)",
                "http://127.0.0.1:" + port + "/earthstar/",
                serve.process.pid()));
      }
      try (JsPeer server = JsPeer.server(share, 0)) {
        out.add(
            continuous(
                "earthstar 10.2.2 Server (Node, memory)",
                "http://127.0.0.1:" + server.port + "/",
                server.pid()));
      }
    }
    if (parts.contains("C")) {
      out.add("");
      workload(dir, out);
    }
  }

  private String syncInto(String label, int n, String url, long serverPid) throws Exception {
    long best = Long.MAX_VALUE;
    long cpu = 0;
    String failure = null;
    for (int round = 0; round < 2; round++) { // the first warms the server
      try (EarthstarStorage s = EarthstarStorage.inMemory();
          EarthstarPeer client =
              new EarthstarPeer(s, List.of(share.shareAddress()), SyncLimits.defaults())) {
        long c0 = Proc.cpuMillis(serverPid);
        long t0 = System.nanoTime();
        try {
          client.sync(url, SyncMode.ONCE).done().get(600, TimeUnit.SECONDS);
        } catch (Exception e) {
          failure = e.getCause() != null ? e.getCause().getMessage() : e.toString();
          continue;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        int got = client.replica(share.shareAddress()).size();
        if (got != n) {
          failure = "the client got " + got + " documents";
          continue;
        }
        if (ms < best) {
          best = ms;
          cpu = Proc.cpuMillis(serverPid) - c0;
        }
      }
    }
    if (best == Long.MAX_VALUE) {
      return String.format("| %s | %d | failed: %s | | |", label, n, failure);
    }
    return String.format(
        "| %s | %d | %d | %d | %.0f |",
        label, n, best, cpu, Proc.statusKib(serverPid, "VmRSS") / 1024.0);
  }

  private String continuous(String label, String url, long serverPid) throws Exception {
    int peers = 20;
    List<EarthstarStorage> storages = new ArrayList<>();
    List<EarthstarPeer> clients = new ArrayList<>();
    List<SyncHandle> handles = new ArrayList<>();
    try {
      for (int i = 0; i < peers; i++) {
        EarthstarStorage s = EarthstarStorage.inMemory();
        EarthstarPeer p =
            new EarthstarPeer(s, List.of(share.shareAddress()), SyncLimits.defaults());
        storages.add(s);
        clients.add(p);
        handles.add(p.sync(url, SyncMode.CONTINUOUS));
      }
      Thread.sleep(3000);
      long c0 = Proc.cpuMillis(serverPid);
      long t0 = System.nanoTime();
      int written = 0;
      long next = System.nanoTime();
      while (System.nanoTime() - t0 < SECONDS * 1_000_000_000L) {
        EarthstarPeer p = clients.get(written % peers);
        p.replica(share.shareAddress())
            .set(
                author,
                share.secret(),
                "/live/" + label.hashCode() + "/" + written,
                "live document " + written,
                null,
                null);
        written++;
        next += 20_000_000L; // 50 per second
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cpu = Proc.cpuMillis(serverPid) - c0;
      long end = System.currentTimeMillis() + 30_000;
      int everywhere = 0;
      while (System.currentTimeMillis() < end) {
        everywhere = Integer.MAX_VALUE;
        for (EarthstarPeer p : clients) {
          everywhere = Math.min(everywhere, p.replica(share.shareAddress()).size());
        }
        if (everywhere >= written) {
          break;
        }
        Thread.sleep(100);
      }
      return String.format(
          "| %s | %.1f | %.0f | %d of %d |",
          label,
          100.0 * cpu / (seconds * 1000),
          Proc.statusKib(serverPid, "VmRSS") / 1024.0,
          everywhere,
          written);
    } finally {
      handles.forEach(SyncHandle::cancel);
      clients.forEach(EarthstarPeer::close);
      storages.forEach(EarthstarStorage::close);
    }
  }

  /** The microcosm workload on both backends; a second peer's first full sync. */
  private void workload(Path dir, List<String> out) throws Exception {
    out.add(
        "C. Microcosm workload: 1,000 notes, 10,000 moves, 1,000 HTML edits by one peer; then a second, empty peer syncs");
    out.add("| backend | workload ms | first full sync ms | bytes on the wire | bytes stored |");
    out.add("| --- | --- | --- | --- | --- |");
    // Yjs
    try (YMicrocosm m = YMicrocosm.inMemory("bench")) {
      AtomicLong log = new AtomicLong();
      m.doc().onUpdate((u, o, t) -> log.addAndGet(u.length));
      long t0 = System.nanoTime();
      apply(m, "@aaaaaaaaaaaaaaa1");
      long workMs = (System.nanoTime() - t0) / 1_000_000;
      byte[] state = m.encodeStateAsUpdate();
      try (SyncServer server =
          SyncServer.builder().port(0).store(new InMemoryUpdateStore()).build().start()) {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/sync");
        ClientOptions opts =
            ClientOptions.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        Doc a = new Doc();
        nodenogg.crdt.Updates.applyUpdate(a, state);
        try (HocuspocusClient ca = HocuspocusClient.connect(uri, opts)) {
          HocuspocusDocument da = ca.open("bench", new DocSync(a), null, "");
          da.whenSynced().get(60, TimeUnit.SECONDS);
          while (da.unsyncedChanges() > 0) {
            Thread.sleep(5);
          }
          long best = Long.MAX_VALUE;
          for (int round = 0; round < 3; round++) {
            Doc b = new Doc();
            long t1 = System.nanoTime();
            try (HocuspocusClient cb = HocuspocusClient.connect(uri, opts)) {
              cb.open("bench", new DocSync(b), null, "").whenSynced().get(60, TimeUnit.SECONDS);
              best = Math.min(best, (System.nanoTime() - t1) / 1_000_000);
            }
          }
          out.add(
              String.format(
                  "| Yjs (y-microcosm, Hocuspocus) | %d | %d | ~%d (the state update) | %d compacted, %d as the update log |",
                  workMs, best, state.length, state.length, log.get()));
        }
      }
    }
    // Earthstar
    try (EarthstarStorage sa = EarthstarStorage.inMemory();
        EarthstarPeer pa =
            new EarthstarPeer(sa, List.of(share.shareAddress()), SyncLimits.defaults());
        SyncServer server =
            SyncServer.builder()
                .port(0)
                .store(new InMemoryUpdateStore())
                .earthstar(pa)
                .build()
                .start();
        EarthstarMicrocosm m =
            new EarthstarMicrocosm(pa.replica(share.shareAddress()), author, share.secret())) {
      m.identify(m.authorIdentityId().orElseThrow());
      long t0 = System.nanoTime();
      apply(m, m.authorIdentityId().orElseThrow());
      long workMs = (System.nanoTime() - t0) / 1_000_000;
      long best = Long.MAX_VALUE;
      long bytes = 0;
      for (int round = 0; round < 3; round++) {
        long in0 = pa.stats().bytesIn.get();
        long out0 = pa.stats().bytesOut.get();
        try (EarthstarStorage sb = EarthstarStorage.inMemory();
            EarthstarPeer pb =
                new EarthstarPeer(sb, List.of(share.shareAddress()), SyncLimits.defaults())) {
          long t1 = System.nanoTime();
          pb.sync("http://127.0.0.1:" + server.port() + "/earthstar/", SyncMode.ONCE)
              .done()
              .get(120, TimeUnit.SECONDS);
          long ms = (System.nanoTime() - t1) / 1_000_000;
          if (ms < best) {
            best = ms;
            bytes = pa.stats().bytesIn.get() - in0 + pa.stats().bytesOut.get() - out0;
          }
        }
      }
      Path stored = dir.resolve("workload-store");
      try (EarthstarStorage s = EarthstarStorage.open(stored)) {
        LocalSync.copy(pa.replica(share.shareAddress()), s.replica(share.shareAddress()));
        s.flush().get();
      }
      long size = 0;
      try (var files = Files.list(stored)) {
        for (Path f : files.toList()) {
          size += Files.size(f);
        }
      }
      out.add(
          String.format(
              "| Earthstar (earthstar-microcosm, es.5) | %d | %d | %d | %d (earthstar.db, %d documents) |",
              workMs, best, bytes, size, pa.replica(share.shareAddress()).size()));
    }
    automergeWorkload(out);
  }

  /**
   * The workload on Automerge: peer A (AutomergeMicrocosm, offline) edits, then attaches to our
   * /automerge through RepoClient; then an empty AutomergeMicrocosm syncs until it holds A's heads
   * (one unmeasured round first, so the server holds everything; then best of 3). Wire bytes: the
   * /automerge payload bytes the server received and sent during the best round.
   */
  private void automergeWorkload(List<String> out) throws Exception {
    String ada = "@aaaaaaaaaaaaaaa1";
    try (SyncServer server =
        SyncServer.builder().port(0).store(new InMemoryUpdateStore()).build().start()) {
      URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/automerge");
      try (RepoClient ca = RepoClient.connect(uri);
          AutomergeMicrocosm a = AutomergeMicrocosm.inMemory("bench")) {
        AtomicLong log = new AtomicLong();
        a.document()
            .onChange(
                c -> {
                  if (c.local()) {
                    log.addAndGet(c.bytes().length);
                  }
                });
        long t0 = System.nanoTime();
        apply(a, ada);
        long workMs = (System.nanoTime() - t0) / 1_000_000; // offline, as the other rows
        ca.ready().get(60, TimeUnit.SECONDS);
        a.attach(ca);
        java.util.Set<Object> headsA = java.util.Set.of((Object[]) a.document().heads());
        long best = Long.MAX_VALUE;
        long bytes = 0;
        for (int round = 0; round < 4; round++) {
          long wire0 = automergeWireBytes(server);
          long t1 = System.nanoTime();
          try (RepoClient cb = RepoClient.connect(uri);
              AutomergeMicrocosm b =
                  AutomergeMicrocosm.open("bench", AutomergeOptions.defaults().transport(cb))) {
            long end = System.currentTimeMillis() + 300_000;
            while (!java.util.Set.of((Object[]) b.document().heads()).equals(headsA)) {
              if (System.currentTimeMillis() > end) {
                throw new AssertionError("the second Automerge peer did not sync within 300 s");
              }
              Thread.sleep(1);
            }
            long ms = (System.nanoTime() - t1) / 1_000_000;
            if (b.entities().size() != 1000) {
              throw new AssertionError(
                  "the second peer holds " + b.entities().size() + " entities");
            }
            if (round > 0 && ms < best) {
              best = ms;
              bytes = automergeWireBytes(server) - wire0;
            }
          }
        }
        byte[] saved = a.save();
        out.add(
            String.format(
                "| Automerge (automerge-microcosm, automerge-repo) | %d | %d | %d | %d saved (compacted), %d as the change log |",
                workMs, best, bytes, saved.length, log.get()));
      }
    }
  }

  /** Payload bytes received plus sent on /automerge so far (the server's Prometheus counters). */
  private static long automergeWireBytes(SyncServer server) {
    long sum = 0;
    for (String line : server.metrics().split("\n")) {
      if ((line.contains("received_bytes_total{") || line.contains("sent_bytes_total{"))
          && line.contains("\"automerge-repo\"")) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private static void apply(nodenogg.microcosm.EditableMicrocosmAPI m, String identity) {
    if (m.identityId().isEmpty()) {
      m.identify(identity);
    }
    Random rnd = new Random(1);
    List<Entity> notes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      notes.add(
          m.create(HtmlData.note(rnd.nextInt(2000), rnd.nextInt(2000), "<p>note " + i + "</p>")));
    }
    for (int i = 0; i < 10_000; i++) {
      m.update(
          EntityUpdate.move(
              notes.get(rnd.nextInt(1000)).id(), rnd.nextInt(2000), rnd.nextInt(2000)));
    }
    for (int i = 0; i < 1000; i++) {
      m.update(
          EntityUpdate.content(
              notes.get(rnd.nextInt(1000)).id(),
              "<p>edited " + i + " " + "text ".repeat(20) + "</p>"));
    }
  }
}
