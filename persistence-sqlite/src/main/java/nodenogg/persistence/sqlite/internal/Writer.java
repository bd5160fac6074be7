package nodenogg.persistence.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.sqlite.StoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's one writer thread, which owns the connection: every database operation is a task on
 * one queue, so operations are totally ordered (a load after an append sees it) and SQLite never
 * sees two writers from this process.
 *
 * <p><b>Group commit.</b> The writer takes whatever has accumulated while the previous commit was
 * syncing (up to {@code maxBatch}, waiting up to {@code commitWindow} for more when that is set)
 * and commits it as one {@code BEGIN IMMEDIATE ... COMMIT}: one fsync for many updates. Only after
 * COMMIT returns are the futures completed, in order, on a separate acknowledgement thread (so slow
 * callbacks never hold the writer). A failed batch is rolled back, the cache marked stale, and
 * every future of the batch fails: nothing is ever acknowledged that was not committed.
 *
 * <p><b>Cache.</b> The writer keeps the {@code documents} rows ({@link DocState}: next seq, counts,
 * coverage); batches change it in place, and any failed transaction marks it stale so that the next
 * one reloads it from the database (no copying per batch). {@code PRAGMA data_version} is read
 * inside each write transaction and the cache reloaded if another process (e.g. the CLI) committed
 * in between.
 */
final class Writer {

  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

  /** Work for the writer thread. */
  abstract static class Task {}

  /** One update to store; checked by its format before it was queued. */
  static final class Append extends Task {
    final UpdateFormat format;
    final String doc;
    final byte[] data;
    final UpdateFormat.Coverage covered;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long seq;

    /** Set when the document is stored in another format: the format it is stored in. */
    String refusedFor;

    Append(UpdateFormat format, String doc, byte[] data, UpdateFormat.Coverage covered) {
      this.format = format;
      this.doc = doc;
      this.data = data;
      this.covered = covered;
    }
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** Any other operation, run on the writer between batches. */
  static final class Op<T> extends Task {
    final SqlWork<T> work;
    final CompletableFuture<T> future = new CompletableFuture<>();
    final boolean completeOnAckThread;

    Op(SqlWork<T> work, boolean completeOnAckThread) {
      this.work = work;
      this.completeOnAckThread = completeOnAckThread;
    }
  }

  private static final class Shutdown extends Task {}

  final Path file;
  final StoreOptions options;
  final StoreHooks hooks;
  final Connection conn;
  private final Map<String, UpdateFormat> formats = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Task> queue;
  private final Thread thread;
  private final ExecutorService acks;
  private volatile Thread ackThread;
  private volatile boolean closed;
  private volatile boolean done;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private Compactor compactor;
  private Checkpointer checkpointer;

  // Writer-thread state.
  private final Map<String, DocState> docs = new HashMap<>();
  private boolean cacheValid;
  private long dataVersion;
  private PreparedStatement insertUpdate;

  Writer(Path file, StoreOptions options, StoreHooks hooks, Connection conn) {
    this.file = file;
    this.options = options;
    this.hooks = hooks;
    this.conn = conn;
    this.queue = new LinkedBlockingQueue<>(options.maxQueued());
    this.acks =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = daemon(r, "sqlite-store-acks " + file.getFileName());
              ackThread = t;
              return t;
            });
    this.thread = daemon(this::run, "sqlite-store-writer " + file.getFileName());
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * Loads the cache, prepares the insert statement and starts the thread (and the background
   * checkpointer).
   */
  void start(Compactor compactor) throws SQLException {
    this.compactor = compactor;
    docs.putAll(Queries.loadStates(conn));
    dataVersion = Queries.dataVersion(conn);
    cacheValid = true;
    insertUpdate = Queries.prepareInsertUpdate(conn);
    checkpointer = Checkpointer.start(file, options, hooks);
    if (checkpointer != null) {
      Queries.disableAutoCheckpoint(conn);
    }
    thread.start();
  }

  /** True when WAL checkpoints run on their own thread (the normal case), not inside commits. */
  boolean checkpointsInBackground() {
    return checkpointer != null;
  }

  // ---------------------------------------------------------------- formats

  /**
   * Makes {@code format} known to the store (idempotent); a different format under the same name is
   * refused.
   */
  void register(UpdateFormat format) {
    UpdateFormat known = formats.putIfAbsent(format.name(), format);
    if (known != null && known != format && known.getClass() != format.getClass()) {
      throw new IllegalArgumentException(
          "two different formats are named '" + format.name() + "': " + known + " and " + format);
    }
  }

  /** The format of a cached document, or null if this store does not know it. */
  UpdateFormat format(DocState s) {
    return formats.get(s.format);
  }

  // ---------------------------------------------------------------- queue plumbing (any thread)

  boolean closed() {
    return closed;
  }

  StoreException closedError() {
    return new StoreException("the update store " + file + " is closed");
  }

  boolean isWriterThread() {
    return Thread.currentThread() == thread;
  }

  <T> void enqueue(Task t, CompletableFuture<T> future) {
    try {
      queue.put(t);
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

  /** Runs {@code work} on the writer thread and waits for its result. */
  <T> T call(SqlWork<T> work) {
    if (isWriterThread()) {
      throw new IllegalStateException("blocking store call on the store's own writer thread");
    }
    if (closed) {
      throw closedError();
    }
    Op<T> op = new Op<>(work, false);
    enqueue(op, op.future);
    return await(op.future);
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for the store", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new StoreException(String.valueOf(cause), cause);
    }
  }

  private void failQueued() {
    Task t;
    while ((t = queue.poll()) != null) {
      fail(t, closedError());
    }
  }

  private static void fail(Task t, StoreException err) {
    if (t instanceof Append) {
      ((Append) t).future.completeExceptionally(err);
    } else if (t instanceof Op) {
      ((Op<?>) t).future.completeExceptionally(err);
    }
  }

  /**
   * Commits every queued append, then closes the database; waits unless called from a store
   * callback.
   */
  void close() {
    synchronized (this) {
      if (closed) {
        awaitTermination();
        return;
      }
      closed = true;
    }
    try {
      queue.put(new Shutdown());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    awaitTermination();
  }

  private void awaitTermination() {
    if (isWriterThread() || Thread.currentThread() == ackThread) {
      return; // closing from an acknowledgement callback: the close completes after the callback
      // returns
    }
    terminated.join();
  }

  /** Runs on the acknowledgement thread, after the futures completed before it. */
  void onAckThread(Runnable r) {
    acks.execute(r);
  }

  // ---------------------------------------------------------------- the writer loop

  private void run() {
    List<Task> batch = new ArrayList<>();
    List<Append> run = new ArrayList<>();
    try {
      boolean stop = false;
      while (!stop) {
        batch.clear();
        batch.add(queue.take());
        queue.drainTo(batch, options.maxBatch() - 1);
        long window = options.commitWindow().toNanos();
        if (window > 0 && allAppends(batch)) {
          // group-commit window: gather more appends before committing (nothing is acknowledged
          // sooner)
          long deadline = System.nanoTime() + window;
          long left;
          while (batch.size() < options.maxBatch() && (left = deadline - System.nanoTime()) > 0) {
            Task more = queue.poll(left, TimeUnit.NANOSECONDS);
            if (more == null) {
              break;
            }
            batch.add(more);
            if (!(more instanceof Append)) {
              break; // an operation (flush, compaction, close) is not kept waiting
            }
            queue.drainTo(batch, options.maxBatch() - batch.size());
          }
        }
        for (Task t : batch) {
          if (stop) {
            fail(t, closedError());
          } else if (t instanceof Append) {
            run.add((Append) t);
            if (run.size() >= options.maxBatch()) {
              commitAppends(run);
            }
          } else {
            commitAppends(run);
            if (t instanceof Shutdown) {
              stop = true;
            } else {
              runOp((Op<?>) t);
            }
          }
        }
        commitAppends(run);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      LOG.error("update store writer for {} stopped unexpectedly", file, t);
    } finally {
      finish();
    }
  }

  private static boolean allAppends(List<Task> batch) {
    for (Task t : batch) {
      if (!(t instanceof Append)) {
        return false;
      }
    }
    return true;
  }

  private void finish() {
    closed = true;
    done = true;
    failQueued();
    if (compactor != null) {
      compactor.shutdown();
    }
    if (checkpointer != null) {
      checkpointer.close();
    }
    try {
      hooks.at(StoreHooks.Point.CHECKPOINT);
      Queries.checkpointTruncate(conn);
    } catch (SQLException e) {
      LOG.warn(
          "checkpoint on close of {} failed (harmless: the WAL is replayed on next open): {}",
          file,
          e.getMessage());
    }
    closeQuietly(insertUpdate);
    closeQuietly(conn);
    acks.shutdown();
    try {
      acks.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    terminated.complete(null);
  }

  private <T> void runOp(Op<T> op) {
    T value;
    try {
      value = op.work.run();
    } catch (SQLException e) {
      op.future.completeExceptionally(
          new StoreException("update store " + file + ": " + e.getMessage(), e));
      return;
    } catch (RuntimeException e) {
      op.future.completeExceptionally(e);
      return;
    }
    if (op.completeOnAckThread) {
      acks.execute(() -> op.future.complete(value));
    } else {
      op.future.complete(value);
    }
  }

  // ---------------------------------------------------------------- transactions and cache (writer
  // thread)

  /** Runs {@code work} in a write transaction; {@code onCommit} updates the cache after COMMIT. */
  <T> T inTransaction(SqlWork<T> work, Runnable onCommit) throws SQLException {
    try (Statement st = conn.createStatement()) {
      begin(st);
      try {
        syncCache();
        T result = work.run();
        Queries.commit(st);
        onCommit.run();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackAfterFailure();
        throw e;
      }
    }
  }

  private void begin(Statement st) throws SQLException {
    try {
      Queries.beginImmediate(st);
    } catch (SQLException e) {
      if (!SqliteErrors.isStatementError(e)) {
        throw e; // busy, I/O, full: the transaction did not start
      }
      // an earlier ROLLBACK failed and left a transaction open: end it and start afresh
      rollbackAfterFailure();
      Queries.beginImmediate(st);
    }
  }

  private void rollbackAfterFailure() {
    cacheValid = false;
    for (int attempt = 0; attempt < 3; attempt++) {
      try (Statement st = conn.createStatement()) {
        Queries.rollback(st);
        return;
      } catch (SQLException e) {
        if (SqliteErrors.isStatementError(e)) {
          return; // no transaction is active (a failed COMMIT already ended it): nothing to undo
        }
        LOG.warn("ROLLBACK failed on {} (attempt {}): {}", file, attempt + 1, e.getMessage());
      }
    }
  }

  /** Inside a write transaction: reload the cache if it is stale or another connection wrote. */
  private void syncCache() throws SQLException {
    long v = Queries.dataVersion(conn);
    if (!cacheValid || v != dataVersion) {
      docs.clear();
      docs.putAll(Queries.loadStates(conn));
      dataVersion = v;
      cacheValid = true;
    }
  }

  /**
   * Outside a transaction: the cached state of {@code doc} (reloading a stale cache), or null if
   * unknown.
   */
  DocState state(String doc) throws SQLException {
    DocState s = docs.get(doc);
    if (s == null || !cacheValid) {
      docs.clear();
      docs.putAll(Queries.loadStates(conn));
      dataVersion = Queries.dataVersion(conn);
      cacheValid = true;
      s = docs.get(doc);
    }
    return s;
  }

  /** Inside a write transaction: the cached state of {@code doc}, or null if unknown. */
  DocState cached(String doc) {
    return docs.get(doc);
  }

  void remember(DocState s) {
    docs.put(s.name, s);
  }

  void forget(String doc) {
    docs.remove(doc);
  }

  void forgetAll(String format) {
    docs.values().removeIf(s -> s.format.equals(format));
  }

  /** Marks the cache stale: the next transaction reloads it. */
  void invalidateCache() {
    cacheValid = false;
  }

  /**
   * What {@code s}'s log covers, decoded from its row on first use. A row whose coverage cannot be
   * read (damaged, or written by a buggy tool) gets it rebuilt by checking the log again.
   *
   * @throws StoreException if the document's format is unknown to this store
   */
  UpdateFormat.Coverage coverage(DocState s) throws SQLException {
    if (s.coverage == null) {
      UpdateFormat f = formats.get(s.format);
      if (f == null) {
        throw new StoreException(
            "document '"
                + s.name
                + "' is stored in format '"
                + s.format
                + "', which this store was not opened with (open it with that format)");
      }
      try {
        s.coverage = f.decodeCoverage(s.storedCoverage);
      } catch (IllegalArgumentException e) {
        LOG.warn(
            "the stored coverage of '{}' is unreadable ({}); rebuilding it from the log",
            s.name,
            e.getMessage());
        s.coverage = rebuildCoverage(f, s.name);
      }
      s.storedCoverage = null;
    }
    return s.coverage;
  }

  /**
   * Checks every row of the log; rows that cannot be read contribute nothing (check() reports
   * them).
   */
  private UpdateFormat.Coverage rebuildCoverage(UpdateFormat f, String doc) throws SQLException {
    UpdateFormat.Coverage cov = f.emptyCoverage();
    List<byte[]> rows;
    try {
      rows = Queries.readLog(conn, doc).rows;
    } catch (StoreException e) {
      return cov;
    }
    for (byte[] row : rows) {
      try {
        cov.add(f.check(row));
      } catch (StoreException e) {
        // a damaged row
      }
    }
    return cov;
  }

  // ---------------------------------------------------------------- group commit

  private void commitAppends(List<Append> run) {
    if (run.isEmpty()) {
      return;
    }
    List<Append> appends = new ArrayList<>(run);
    run.clear();
    Map<String, DocState> touched = new LinkedHashMap<>();
    long[] stored = new long[2]; // updates, bytes
    try {
      hooks.at(StoreHooks.Point.BEFORE_BEGIN);
      inTransaction(
          () -> {
            long now = System.currentTimeMillis();
            for (Append a : appends) {
              DocState s = touched.get(a.doc);
              if (s == null) {
                // the cached state is changed in place: if the transaction fails,
                // rollbackAfterFailure
                // marks the cache stale and the next transaction reloads it from the database
                s = docs.get(a.doc);
                if (s == null) {
                  UpdateFormat.Coverage empty = a.format.emptyCoverage();
                  s =
                      new DocState(
                          Queries.insertDocument(
                              conn, a.doc, a.format.name(), empty.version(), empty.encode(), now),
                          a.doc,
                          a.format.name());
                  s.coverage = empty;
                }
              }
              if (!s.format.equals(a.format.name())) {
                a.refusedFor = s.format;
                continue;
              }
              touched.put(a.doc, s);
              a.seq = ++s.lastSeq;
              Queries.addUpdate(insertUpdate, s.id, a.seq, a.data);
              s.count++;
              s.bytes += a.data.length;
              coverage(s).add(a.covered);
              stored[0]++;
              stored[1] += a.data.length;
            }
            if (stored[0] > 0) {
              insertUpdate.executeBatch();
            }
            for (DocState s : touched.values()) {
              Queries.updateDocument(conn, s, s.coverage.version(), s.coverage.encode(), now);
            }
            hooks.at(StoreHooks.Point.BEFORE_COMMIT);
            return null;
          },
          () -> docs.putAll(touched));
    } catch (SQLException | RuntimeException e) {
      try {
        insertUpdate.clearBatch();
      } catch (SQLException ignored) {
        // statement is reset on next use anyway
      }
      StoreException err =
          new StoreException(
              "could not store "
                  + appends.size()
                  + " update(s) in "
                  + file
                  + "; none is acknowledged ("
                  + e.getMessage()
                  + "); retrying is safe, updates are idempotent",
              e);
      LOG.warn("{}", err.getMessage());
      acks.execute(
          () ->
              appends.forEach(
                  a -> a.future.completeExceptionally(a.refusedFor != null ? refusal(a) : err)));
      return;
    }
    try {
      hooks.at(StoreHooks.Point.AFTER_COMMIT);
    } catch (SQLException e) {
      // Committed but told to fail: not acknowledging a stored update is allowed (the reverse is
      // not).
      StoreException err =
          new StoreException("update acknowledgement failed after commit: " + e.getMessage(), e);
      acks.execute(
          () ->
              appends.forEach(
                  a -> a.future.completeExceptionally(a.refusedFor != null ? refusal(a) : err)));
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
    if (checkpointer != null) {
      checkpointer.committed(stored[1] + 32 * stored[0]); // row and index overhead, roughly
    }
    for (DocState s : touched.values()) {
      compactor.maybeCompact(s);
    }
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

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing
      }
    }
  }
}
