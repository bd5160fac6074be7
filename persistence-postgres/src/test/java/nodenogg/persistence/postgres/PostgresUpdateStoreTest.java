package nodenogg.persistence.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.yjs.YjsStorage;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL store adds to the contract: several instances (stores) writing one database,
 * compaction racing appends and other compactions, the lock hook, migrations, damage, and an
 * outage.
 */
class PostgresUpdateStoreTest {

  /** Each transaction's update of {@code n} text inserts by {@code client}. */
  static List<byte[]> typing(long client, int n) {
    Doc d = new Doc(new Doc.Options().clientId(client));
    List<byte[]> out = new ArrayList<>();
    d.onUpdate((u, origin, tr) -> out.add(u));
    for (int i = 0; i < n; i++) {
      d.getText("t").insert(d.getText("t").length(), "x" + i);
    }
    return out;
  }

  private static String text(PostgresUpdateStore store, String doc) {
    Doc d = new Doc();
    YjsStorage.load(store, d, doc);
    return d.getText("t").toString();
  }

  private static Doc replay(List<List<byte[]>> all) {
    Doc d = new Doc();
    for (List<byte[]> l : all) {
      for (byte[] u : l) {
        Updates.applyUpdate(d, u);
      }
    }
    return d;
  }

  @Test
  void threeInstancesAppendingToOneDocumentStoreEverythingOnceWithExactCounts() throws Exception {
    String url = PostgresServer.shared().createDatabase();
    PostgresStoreOptions o = PostgresStoreOptions.defaults().withoutAutoCompaction();
    List<PostgresUpdateStore> stores =
        List.of(
            PostgresUpdateStore.open(url, o.withInstanceId("a")),
            PostgresUpdateStore.open(url, o.withInstanceId("b")),
            PostgresUpdateStore.open(url, o.withInstanceId("c")));
    try {
      List<List<byte[]>> sent = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      List<CompletableFuture<Long>> acks = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 6; i++) {
        List<byte[]> ups = typing(1000 + i, 120);
        sent.add(ups);
        PostgresUpdateStore s = stores.get(i % 3);
        Thread t = new Thread(() -> ups.forEach(u -> acks.add(s.append("shared", u))));
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      Set<Long> seqs = new HashSet<>();
      for (CompletableFuture<Long> f : acks) {
        assertTrue(
            seqs.add(f.get(30, TimeUnit.SECONDS)),
            "every sequence number is used once across instances");
      }
      assertEquals(720, seqs.size());
      assertEquals(720L, Collections.max(seqs), "sequence numbers are dense: 1..720");
      Doc reference = replay(sent);
      for (PostgresUpdateStore s : stores) {
        assertEquals(720, s.info("shared").orElseThrow().updateCount());
        assertEquals(reference.getText("t").toString(), text(s, "shared"));
        assertArrayEquals(
            Updates.encodeStateVector(reference),
            s.version("shared"),
            "the version adds up appends of every instance");
      }
      try (Connection c = DriverManager.getConnection(url);
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT written_by, count(*) FROM nodenogg_updates GROUP BY written_by ORDER BY 1")) {
        List<String> by = new ArrayList<>();
        while (rs.next()) {
          by.add(rs.getString(1) + "=" + rs.getLong(2));
        }
        assertEquals(
            List.of("a=240", "b=240", "c=240"), by, "each instance wrote what it was given, once");
      }
    } finally {
      stores.forEach(PostgresUpdateStore::close);
    }
  }

  @Test
  void compactionRacingAppendsAndAnotherInstancesCompactionKeepsEverything() throws Exception {
    String url = PostgresServer.shared().createDatabase();
    PostgresStoreOptions o = PostgresStoreOptions.defaults().withoutAutoCompaction();
    try (PostgresUpdateStore a = PostgresUpdateStore.open(url, o);
        PostgresUpdateStore b = PostgresUpdateStore.open(url, o)) {
      List<byte[]> first = typing(5, 300);
      for (byte[] u : first) {
        a.append("d", u);
      }
      a.flush().get(30, TimeUnit.SECONDS);
      List<byte[]> more = typing(6, 300);
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        Future<?> writer = pool.submit(() -> more.forEach(u -> b.append("d", u).join()));
        Future<Optional<?>> ca = pool.submit(() -> Optional.of(a.compact("d")));
        Future<Optional<?>> cb = pool.submit(() -> Optional.of(b.compact("d")));
        writer.get(60, TimeUnit.SECONDS);
        ca.get(60, TimeUnit.SECONDS);
        cb.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdown();
      }
      Doc reference = replay(List.of(first, more));
      assertEquals(reference.getText("t").toString(), text(a, "d"));
      assertArrayEquals(Updates.encodeStateVector(reference), a.version("d"));
      long rows = a.info("d").orElseThrow().updateCount();
      assertTrue(rows < 600, "some compaction happened: " + rows + " rows");
      assertEquals(rows, a.load("d").size(), "the counted rows are the stored rows");
      assertEquals(1, a.compact("d").orElseThrow().updateCount());
      assertEquals(reference.getText("t").toString(), text(b, "d"));
    }
  }

  @Test
  void automaticCompactionRunsPastTheThresholdAndTheLockHookCanSkipIt() throws Exception {
    String url = PostgresServer.shared().createDatabase();
    AtomicInteger asked = new AtomicInteger();
    CompactionLock busy =
        doc -> {
          asked.incrementAndGet();
          return Optional.empty(); // "another instance is storing it"
        };
    try (PostgresUpdateStore s =
        PostgresUpdateStore.open(
            url,
            PostgresStoreOptions.defaults().withCompactionCount(50).withCompactionLock(busy))) {
      for (byte[] u : typing(1, 120)) {
        s.append("d", u).get(10, TimeUnit.SECONDS);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (asked.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(asked.get() > 0, "compaction asked for the lock");
      assertEquals(
          120, s.info("d").orElseThrow().updateCount(), "a held lock means: not compacted here");
    }
    try (PostgresUpdateStore s =
        PostgresUpdateStore.open(url, PostgresStoreOptions.defaults().withCompactionCount(50))) {
      s.append("d", typing(2, 1).get(0)).get(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (s.info("d").orElseThrow().updateCount() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(
          1, s.info("d").orElseThrow().updateCount(), "compacted automatically past 50 rows");
      assertEquals(
          replay(List.of(typing(1, 120), typing(2, 1))).getText("t").toString(), text(s, "d"));
    }
  }

  @Test
  void schemaIsMigratedOnceByConcurrentOpensAndANewerSchemaIsRefused() throws Exception {
    String url = PostgresServer.shared().createDatabase();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<PostgresUpdateStore>> opened = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      opened.add(pool.submit(() -> PostgresUpdateStore.open(url)));
    }
    for (Future<PostgresUpdateStore> f : opened) {
      f.get(60, TimeUnit.SECONDS).close();
    }
    pool.shutdown();
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery("SELECT count(*), max(version) FROM nodenogg_schema_version")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
        assertEquals(1, rs.getInt(2));
      }
      st.execute("UPDATE nodenogg_schema_version SET version = 99");
    }
    StoreException e = assertThrows(StoreException.class, () -> PostgresUpdateStore.open(url));
    assertTrue(
        e.getMessage().contains("schema version 99") && e.getMessage().contains("newer"),
        e.getMessage());
  }

  @Test
  void aDamagedRowIsReportedAndNotCompacted() throws Exception {
    String url = PostgresServer.shared().createDatabase();
    try (PostgresUpdateStore s =
        PostgresUpdateStore.open(url, PostgresStoreOptions.defaults().withoutAutoCompaction())) {
      for (byte[] u : typing(1, 5)) {
        s.append("bad", u).get(10, TimeUnit.SECONDS);
      }
      s.append("good", typing(2, 1).get(0)).get(10, TimeUnit.SECONDS);
      try (Connection c = DriverManager.getConnection(url);
          Statement st = c.createStatement()) {
        st.execute(
            "UPDATE nodenogg_updates SET data = '\\x0102'::bytea WHERE seq = 3 AND doc_id ="
                + " (SELECT id FROM nodenogg_documents WHERE name = 'bad')");
      }
      assertThrows(CorruptDocumentException.class, () -> s.load("bad"));
      assertThrows(CorruptDocumentException.class, () -> s.compact("bad"));
      assertEquals(5, s.info("bad").orElseThrow().updateCount(), "the log is left as it was");
      var report = s.check();
      assertFalse(report.ok());
      assertEquals(Set.of("bad"), report.damagedDocuments().keySet());
      assertEquals(1, s.load("good").size());
    }
  }

  @Test
  void formatViewsShareTheDatabaseAndANameBelongsToOneFormat() throws Exception {
    String url = PostgresServer.shared().createDatabase();
    try (PostgresUpdateStore yjs = PostgresUpdateStore.open(url)) {
      PostgresUpdateStore raw = yjs.withFormat(UpdateFormat.opaque());
      raw.append("blob", new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
      yjs.append("doc", typing(1, 1).get(0)).get(10, TimeUnit.SECONDS);
      assertEquals(List.of("doc"), yjs.list());
      assertEquals(List.of("blob"), raw.list());
      assertEquals(
          Map.of("blob", UpdateFormat.opaque().name(), "doc", "yjs-update-v1"),
          yjs.documentFormats());
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () -> raw.append("doc", new byte[] {9}).get(10, TimeUnit.SECONDS));
      assertTrue(assertInstanceOf(StoreException.class, e.getCause()).isRejection());
      assertThrows(StoreException.class, () -> yjs.load("blob"));
      assertArrayEquals(new byte[] {1, 2, 3}, raw.load("blob").get(0));
    }
  }

  @Test
  void whileTheDatabaseIsDownNothingIsAcknowledgedAndEverythingIsAfterItReturns() throws Exception {
    try (PostgresServer pg = PostgresServer.startNew()) {
      String url = pg.createDatabase();
      try (PostgresUpdateStore s =
          PostgresUpdateStore.open(
              url, PostgresStoreOptions.defaults().withOutageTimeout(Duration.ofSeconds(60)))) {
        List<byte[]> ups = typing(3, 40);
        s.append("d", ups.get(0)).get(10, TimeUnit.SECONDS);
        assertTrue(s.health().ok());
        pg.stop();
        List<CompletableFuture<Long>> pending = new ArrayList<>();
        for (byte[] u : ups.subList(1, ups.size())) {
          pending.add(s.append("d", u));
        }
        Thread.sleep(2000);
        for (CompletableFuture<Long> f : pending) {
          assertFalse(f.isDone(), "nothing is acknowledged while the database is down");
        }
        PostgresUpdateStore.Health h = s.health();
        assertFalse(h.ok());
        assertTrue(h.sinceMillis() > 0 && h.problem() != null, h.toString());
        assertThrows(
            StoreException.class, () -> s.load("d"), "reads fail at once with what is wrong");
        pg.start();
        for (CompletableFuture<Long> f : pending) {
          f.get(60, TimeUnit.SECONDS);
        }
        assertTrue(s.health().ok());
        assertEquals(replay(List.of(ups)).getText("t").toString(), text(s, "d"));
      }
      // past the outage timeout, appends fail (a StoreException, not a rejection) instead of
      // waiting forever
      try (PostgresUpdateStore s =
          PostgresUpdateStore.open(
              url, PostgresStoreOptions.defaults().withOutageTimeout(Duration.ofSeconds(1)))) {
        pg.stop();
        ExecutionException e =
            assertThrows(
                ExecutionException.class,
                () -> s.append("d", typing(4, 1).get(0)).get(30, TimeUnit.SECONDS));
        StoreException failure = assertInstanceOf(StoreException.class, e.getCause());
        assertFalse(failure.isRejection());
        assertTrue(failure.getMessage().contains("unreachable"), failure.getMessage());
        pg.start();
        s.append("d", typing(4, 1).get(0)).get(30, TimeUnit.SECONDS);
      }
    }
  }
}
