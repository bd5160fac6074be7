package nodenogg.persistence.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.postgres.PostgresStoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer thread, which owns the write connection. Appends queue up while a commit
 * runs and are committed together (group commit): one transaction locks the touched {@code
 * nodenogg_documents} rows ({@code SELECT ... FOR UPDATE}, in name order), inserts the updates at
 * the next sequence numbers, adds their coverage and writes the rows back. Only after COMMIT
 * returned are the futures completed, in order, on a separate acknowledgement thread.
 *
 * <p>Several store instances (server processes) may write the same document: the row lock
 * serialises their transactions, each reads the row it locked (sequence, counts, coverage), so
 * nothing is counted twice or lost. The writer caches each document's decoded coverage with the
 * sequence number it belongs to and decodes the row's coverage again only when another instance
 * wrote since.
 *
 * <p><b>Outages.</b> When the database cannot be reached the batch is not failed at once: the
 * writer reconnects with back-off and commits the same batch once the database is back, so appends
 * stay unacknowledged, never lost, for up to {@code outageTimeout}; after that the batch (and later
 * ones, until the database answers again) fail with a {@link StoreException}. If the connection
 * died during COMMIT the batch may have been committed; it is committed again then (updates are
 * idempotent, the log holds a duplicate until the next compaction).
 */
final class Writer {

  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

  /** One update to store, checked by its format before it was queued. */
  static final class Append {
    final UpdateFormat format;
    final String doc;
    final byte[] data;
    final UpdateFormat.Coverage covered;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long seq;
    String refusedFor;

    Append(UpdateFormat format, String doc, byte[] data, UpdateFormat.Coverage covered) {
      this.format = format;
      this.doc = doc;
      this.data = data;
      this.covered = covered;
    }
  }

  /** Completes after every earlier append completed. */
  static final class Barrier {
    final CompletableFuture<Void> future = new CompletableFuture<>();
  }

  private static final Object SHUTDOWN = new Object();

  /** What a locked documents row says, plus what this batch adds. */
  private static final class Row {
    long id;
    String name;
    String format;
    long lastSeq;
    long readSeq;
    long count;
    long bytes;
    byte[] coverageBytes;
    UpdateFormat.Coverage coverage;
    UpdateFormat fmt;
  }

  /** A document's coverage as of {@code lastSeq}, kept between batches. */
  private static final class Cached {
    final long id;
    final long lastSeq;
    final UpdateFormat.Coverage coverage;

    Cached(long id, long lastSeq, UpdateFormat.Coverage coverage) {
      this.id = id;
      this.lastSeq = lastSeq;
      this.coverage = coverage;
    }
  }

  /** Told about each committed document (for automatic compaction). */
  interface AfterCommit {
    void committed(UpdateFormat format, String doc, long count, long bytes);
  }

  private final Db db;
  private final PostgresStoreOptions options;
  private final Health health;
  private final AfterCommit afterCommit;
  private final LinkedBlockingQueue<Object> queue;
  private final Thread thread;
  private final ExecutorService acks;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile boolean closed;
  private volatile boolean done;
  private volatile Thread ackThread;

  // writer thread only
  private Connection conn;
  private final Map<String, Cached> cache = new HashMap<>();

  Writer(Db db, PostgresStoreOptions options, Health health, AfterCommit afterCommit) {
    this.db = db;
    this.options = options;
    this.health = health;
    this.afterCommit = afterCommit;
    this.queue = new LinkedBlockingQueue<>(options.maxQueued());
    this.acks =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = daemon(r, "postgres-store-acks");
              ackThread = t;
              return t;
            });
    this.thread = daemon(this::run, "postgres-store-writer");
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Starts with an open connection (the caller checked the database is there). */
  void start(Connection first) throws SQLException {
    first.setAutoCommit(false);
    conn = first;
    thread.start();
  }

  boolean closed() {
    return closed;
  }

  StoreException closedError() {
    return new StoreException("the PostgreSQL update store (" + db.displayUrl() + ") is closed");
  }

  /** Queues an append or barrier; blocks while {@code maxQueued} are waiting. */
  void enqueue(Object task, CompletableFuture<?> future) {
    try {
      queue.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.completeExceptionally(
          new StoreException("interrupted while waiting for room in the write queue", e));
      return;
    }
    if (done) {
      failQueued();
    }
  }

  int queued() {
    return queue.size();
  }

  private void failQueued() {
    Object t;
    while ((t = queue.poll()) != null) {
      fail(t, closedError());
    }
  }

  private static void fail(Object t, StoreException e) {
    if (t instanceof Append) {
      ((Append) t).future.completeExceptionally(e);
    } else if (t instanceof Barrier) {
      ((Barrier) t).future.completeExceptionally(e);
    }
  }

  /**
   * Commits every queued append, then closes the connection; returns at once from an ack callback.
   */
  void close() {
    synchronized (this) {
      if (!closed) {
        closed = true;
        try {
          queue.put(SHUTDOWN);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    if (Thread.currentThread() == thread || Thread.currentThread() == ackThread) {
      return; // closing from an acknowledgement callback: the close completes after the callback
      // returns
    }
    terminated.join();
  }

  // ---------------------------------------------------------------- the loop

  private void run() {
    List<Object> batch = new ArrayList<>();
    List<Append> run = new ArrayList<>();
    try {
      boolean stop = false;
      while (!stop) {
        batch.clear();
        batch.add(queue.take());
        queue.drainTo(batch, options.maxBatch() - 1);
        long window = options.commitWindow().toNanos();
        if (window > 0 && batch.stream().allMatch(t -> t instanceof Append)) {
          long deadline = System.nanoTime() + window;
          long left;
          while (batch.size() < options.maxBatch() && (left = deadline - System.nanoTime()) > 0) {
            Object more = queue.poll(left, TimeUnit.NANOSECONDS);
            if (more == null) {
              break;
            }
            batch.add(more);
            if (!(more instanceof Append)) {
              break;
            }
            queue.drainTo(batch, options.maxBatch() - batch.size());
          }
        }
        for (Object t : batch) {
          if (stop) {
            fail(t, closedError());
          } else if (t instanceof Append) {
            run.add((Append) t);
            if (run.size() >= options.maxBatch()) {
              commit(run);
            }
          } else {
            commit(run);
            if (t == SHUTDOWN) {
              stop = true;
            } else {
              Barrier b = (Barrier) t;
              acks.execute(() -> b.future.complete(null));
            }
          }
        }
        commit(run);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      LOG.error("PostgreSQL update store writer stopped unexpectedly", t);
    } finally {
      finish();
    }
  }

  private void finish() {
    closed = true;
    done = true;
    failQueued();
    Db.closeQuietly(conn);
    conn = null;
    acks.shutdown();
    try {
      acks.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    terminated.complete(null);
  }

  // ---------------------------------------------------------------- group commit

  private void commit(List<Append> run) throws InterruptedException {
    if (run.isEmpty()) {
      return;
    }
    List<Append> appends = new ArrayList<>(run);
    run.clear();
    int transientRetries = 0;
    long backoff = 50;
    while (true) {
      Map<String, Row> rows;
      try {
        if (conn == null) {
          conn = db.connect();
          conn.setAutoCommit(false);
          LOG.info("reconnected to PostgreSQL at {}", db.displayUrl());
        }
        rows = commitOnce(appends);
        health.reached();
      } catch (SQLException e) {
        rollbackQuietly();
        cache.clear();
        if (Db.isUnreachable(e)) {
          boolean first = health.problem() == null;
          health.unreachable(e);
          Db.closeQuietly(conn);
          conn = null;
          long down = System.currentTimeMillis() - health.since();
          if (down >= options.outageTimeout().toMillis()) {
            failAll(
                appends,
                db.failure(
                    "could not store "
                        + appends.size()
                        + " update(s) for "
                        + down / 1000
                        + " s; none is acknowledged, retrying is safe",
                    e));
            return;
          }
          if (first) {
            LOG.warn(
                "PostgreSQL at {} is unreachable ({}); {} update(s) wait unacknowledged, retrying for up to {} s",
                db.displayUrl(),
                e.getMessage(),
                appends.size(),
                options.outageTimeout().toSeconds());
          }
          Thread.sleep(backoff);
          backoff = Math.min(1000, backoff * 2);
          continue;
        }
        if (Db.isTransient(e) && transientRetries++ < 10) {
          continue; // a deadlock with another instance: PostgreSQL aborted us, run the batch again
        }
        failAll(
            appends,
            db.failure(
                "could not store "
                    + appends.size()
                    + " update(s); none is acknowledged,"
                    + " retrying is safe",
                e));
        return;
      } catch (RuntimeException e) {
        rollbackQuietly();
        cache.clear();
        failAll(
            appends,
            e instanceof StoreException
                ? (StoreException) e
                : new StoreException("could not store " + appends.size() + " update(s): " + e, e));
        return;
      }
      acks.execute(
          () ->
              appends.forEach(
                  a -> {
                    if (a.refusedFor != null) {
                      a.future.completeExceptionally(refusal(a));
                    } else {
                      a.future.complete(a.seq);
                    }
                  }));
      for (Row r : rows.values()) {
        if (r.coverage != null) {
          afterCommit.committed(r.fmt, r.name, r.count, r.bytes);
        }
      }
      return;
    }
  }

  private void failAll(List<Append> appends, StoreException err) {
    LOG.warn("{}", err.getMessage());
    acks.execute(
        () ->
            appends.forEach(
                a -> a.future.completeExceptionally(a.refusedFor != null ? refusal(a) : err)));
  }

  private static InvalidUpdateException refusal(Append a) {
    return new InvalidUpdateException(
        "document '"
            + a.doc
            + "' is stored as "
            + a.refusedFor
            + " updates, not "
            + a.format.name()
            + "; nothing stored (a document name belongs to one format)");
  }

  private void rollbackQuietly() {
    if (conn != null) {
      try {
        conn.rollback();
      } catch (SQLException ignored) {
        // a dead connection is replaced
      }
    }
  }

  /**
   * One transaction for {@code appends}; returns the touched rows (coverage set) once committed.
   */
  private Map<String, Row> commitOnce(List<Append> appends) throws SQLException {
    long t0 = System.nanoTime();
    Map<String, UpdateFormat> names = new LinkedHashMap<>();
    for (Append a : appends) {
      names.putIfAbsent(a.doc, a.format);
    }
    Map<String, Row> rows = lock(new TreeSet<>(names.keySet()));
    long tLocked = System.nanoTime();
    if (rows.size() < names.size()) {
      long now = System.currentTimeMillis();
      try (PreparedStatement ins =
          conn.prepareStatement(
              "INSERT INTO nodenogg_documents"
                  + " (name, format, state_vector, coverage, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
        TreeSet<String> missing = new TreeSet<>();
        for (Map.Entry<String, UpdateFormat> e : names.entrySet()) {
          if (!rows.containsKey(e.getKey())) {
            missing.add(e.getKey());
          }
        }
        for (String name : missing) {
          UpdateFormat.Coverage empty = names.get(name).emptyCoverage();
          ins.setString(1, name);
          ins.setString(2, names.get(name).name());
          ins.setBytes(3, empty.version());
          ins.setBytes(4, empty.encode());
          ins.setLong(5, now);
          ins.addBatch();
        }
        ins.executeBatch();
        rows.putAll(lock(missing));
      }
    }
    try (PreparedStatement ins =
        conn.prepareStatement(
            "INSERT INTO nodenogg_updates (doc_id, seq, data, crc32, written_by) VALUES (?, ?, ?, ?, ?)")) {
      int n = 0;
      for (Append a : appends) {
        a.refusedFor = null;
        Row r = rows.get(a.doc);
        if (r == null) {
          throw new SQLException(
              "document row for '" + a.doc + "' vanished during the transaction", "40001");
        }
        if (!r.format.equals(a.format.name())) {
          a.refusedFor = r.format;
          continue;
        }
        coverage(r, a.format).add(a.covered);
        a.seq = ++r.lastSeq;
        r.count++;
        r.bytes += a.data.length;
        ins.setLong(1, r.id);
        ins.setLong(2, a.seq);
        ins.setBytes(3, a.data);
        ins.setLong(4, Db.crc(a.data));
        ins.setString(5, options.instanceId());
        ins.addBatch();
        n++;
      }
      if (n > 0) {
        ins.executeBatch();
      }
    }
    long tInserted = System.nanoTime();
    long now = System.currentTimeMillis();
    try (PreparedStatement up =
        conn.prepareStatement(
            "UPDATE nodenogg_documents SET last_seq = ?, update_count = ?,"
                + " update_bytes = ?, state_vector = ?, coverage = ?, updated_at = ? WHERE id = ?")) {
      for (Row r : rows.values()) {
        if (r.coverage == null) {
          continue; // nothing stored here (refused: another format)
        }
        up.setLong(1, r.lastSeq);
        up.setLong(2, r.count);
        up.setLong(3, r.bytes);
        up.setBytes(4, r.coverage.version());
        up.setBytes(5, r.coverage.encode());
        up.setLong(6, now);
        up.setLong(7, r.id);
        up.addBatch();
      }
      up.executeBatch();
    }
    long tUpdated = System.nanoTime();
    conn.commit();
    long tCommitted = System.nanoTime();
    if (LOG.isDebugEnabled() && tCommitted - t0 > 20_000_000) {
      LOG.debug(
          "slow transaction: {} appends to {} documents in {} ms (lock {}, insert {}, update {}, commit {})",
          appends.size(),
          rows.size(),
          (tCommitted - t0) / 1_000_000,
          (tLocked - t0) / 1_000_000,
          (tInserted - tLocked) / 1_000_000,
          (tUpdated - tInserted) / 1_000_000,
          (tCommitted - tUpdated) / 1_000_000);
    }
    for (Row r : rows.values()) {
      if (r.coverage != null) {
        cache.put(r.name, new Cached(r.id, r.lastSeq, r.coverage));
      }
    }
    return rows;
  }

  /** Locks the named rows (in name order) and reads them; absent names are left out. */
  private Map<String, Row> lock(TreeSet<String> names) throws SQLException {
    Map<String, Row> rows = new LinkedHashMap<>();
    if (names.isEmpty()) {
      return rows;
    }
    try (PreparedStatement st =
        conn.prepareStatement(
            "SELECT id, name, format, last_seq, update_count, update_bytes,"
                + " coverage FROM nodenogg_documents WHERE name = ANY(?) ORDER BY name FOR UPDATE")) {
      st.setArray(1, conn.createArrayOf("text", names.toArray()));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Row r = new Row();
          r.id = rs.getLong(1);
          r.name = rs.getString(2);
          r.format = rs.getString(3);
          r.lastSeq = rs.getLong(4);
          r.readSeq = r.lastSeq;
          r.count = rs.getLong(5);
          r.bytes = rs.getLong(6);
          r.coverageBytes = rs.getBytes(7);
          rows.put(r.name, r);
        }
      }
    }
    return rows;
  }

  /**
   * The row's coverage: the cached one if nobody wrote since we did (same id and sequence), else
   * decoded from the row. The cached object is changed in place; a failed transaction clears the
   * cache.
   */
  private UpdateFormat.Coverage coverage(Row r, UpdateFormat format) throws SQLException {
    if (r.coverage == null) {
      r.fmt = format;
      Cached c = cache.get(r.name);
      if (c != null && c.id == r.id && c.lastSeq == r.readSeq) {
        r.coverage = c.coverage;
      } else {
        cache.remove(r.name);
        try {
          r.coverage = format.decodeCoverage(r.coverageBytes);
        } catch (IllegalArgumentException e) {
          LOG.warn(
              "the stored coverage of '{}' is unreadable ({}); rebuilding it from the log",
              r.name,
              e.getMessage());
          r.coverage = rebuild(format, r.id);
        }
      }
    }
    return r.coverage;
  }

  private UpdateFormat.Coverage rebuild(UpdateFormat format, long docId) throws SQLException {
    UpdateFormat.Coverage cov = format.emptyCoverage();
    try (PreparedStatement st =
        conn.prepareStatement("SELECT data FROM nodenogg_updates WHERE doc_id = ? ORDER BY seq")) {
      st.setLong(1, docId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          try {
            cov.add(format.check(rs.getBytes(1)));
          } catch (StoreException e) {
            // a damaged row contributes nothing; check() reports it
          }
        }
      }
    }
    return cov;
  }
}
