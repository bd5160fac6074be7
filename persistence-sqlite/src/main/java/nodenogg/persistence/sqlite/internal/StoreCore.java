package nodenogg.persistence.sqlite.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.persistence.sqlite.CheckReport;
import nodenogg.persistence.sqlite.CorruptDocumentException;
import nodenogg.persistence.sqlite.DocumentInfo;
import nodenogg.persistence.sqlite.Durability;
import nodenogg.persistence.sqlite.StoreException;
import nodenogg.persistence.sqlite.StoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.JDBC;

/**
 * Implementation behind {@code SqliteUpdateStore}.
 *
 * <h2>Design</h2>
 * One connection, owned by one writer thread; every database operation is a task on one queue, so
 * operations are totally ordered (a load after an append sees it) and SQLite never sees two writers
 * from this process. Appends are validated and scanned on the caller's thread ({@link UpdateScanner}),
 * then queued. The writer takes whatever has accumulated while the previous commit was syncing (up to
 * {@code maxBatch}) and commits it as one {@code BEGIN IMMEDIATE ... COMMIT}: that is group commit,
 * one fsync for many updates. Only after COMMIT returns are the futures completed, in order, on a
 * separate acknowledgement thread (so slow callbacks never hold the writer). A failed batch is rolled
 * back, the cache reloaded from the database, and every future of the batch fails: nothing is ever
 * acknowledged that was not committed.
 *
 * <p>The writer keeps a cache of the {@code documents} rows ({@link DocState}: next seq, counts,
 * clock coverage); batches change it in place, and any failed transaction marks it stale so that the
 * next one reloads it from the database (no copying per batch, which matters for documents with many
 * client ids). {@code PRAGMA
 * data_version} is read inside each write transaction and the cache reloaded if another process
 * (e.g. the CLI) committed in between.
 *
 * <p>Compaction: the writer reads the log (cheap) and hands the rows to a merge thread; the merged
 * update comes back as a queued task that, in one transaction, writes it at the highest merged seq and
 * deletes the rows before it. Appends that arrived meanwhile have larger seqs and are untouched.
 */
public final class StoreCore {

  private static final Logger LOG = LoggerFactory.getLogger(StoreCore.class);

  private final Path file;
  private final StoreOptions options;
  private final StoreHooks hooks;
  private final UpdateMerger merger;
  private final Connection conn;
  private final LinkedBlockingQueue<Task> queue;
  private final Thread writer;
  private final ExecutorService acks;
  private final ExecutorService merges;
  private volatile boolean closed;
  private volatile boolean writerDone;
  private volatile Thread ackThread;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  // Writer-thread state.
  private final Map<String, DocState> docs = new HashMap<>();
  private final Set<String> compacting = new HashSet<>();
  private boolean cacheValid;
  private long dataVersion;
  private PreparedStatement insertUpdate;
  private Checkpointer checkpointer;

  private StoreCore(Path file, StoreOptions options, StoreHooks hooks, UpdateMerger merger, Connection conn) {
    this.file = file;
    this.options = options;
    this.hooks = hooks;
    this.merger = merger;
    this.conn = conn;
    this.queue = new LinkedBlockingQueue<>(options.maxQueued());
    this.acks = Executors.newSingleThreadExecutor(r -> {
      Thread t = daemon(r, "sqlite-store-acks " + file.getFileName());
      ackThread = t;
      return t;
    });
    this.merges = Executors.newSingleThreadExecutor(r -> daemon(r, "sqlite-store-compaction " + file.getFileName()));
    this.writer = daemon(this::runWriter, "sqlite-store-writer " + file.getFileName());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Opens the store; see {@code SqliteUpdateStore.open}. */
  public static StoreCore open(Path file, StoreOptions options, StoreHooks hooks) {
    return open(file, options, hooks, Mergers.engine());
  }

  /** Opens the store with an explicit merger (null disables compaction and {@code loadState}). */
  public static StoreCore open(Path file, StoreOptions options, StoreHooks hooks, UpdateMerger merger) {
    Path abs = file.toAbsolutePath();
    try {
      if (abs.getParent() != null) {
        Files.createDirectories(abs.getParent());
      }
    } catch (IOException e) {
      throw new StoreException("cannot create the directory of " + abs + ": " + e, e);
    }
    Connection c = null;
    try {
      c = hooks.wrap(JDBC.createConnection("jdbc:sqlite:" + abs, new Properties()));
      configure(c, abs, options);
      Schema.migrate(c, abs.toString(), Schema.CURRENT);
      StoreCore core = new StoreCore(abs, options, hooks, merger, c);
      core.docs.putAll(Queries.loadStates(c));
      core.dataVersion = Queries.scalarLong(c, "PRAGMA data_version");
      core.cacheValid = true;
      core.insertUpdate = c.prepareStatement("INSERT INTO updates (doc_id, seq, data, crc32) VALUES (?, ?, ?, ?)");
      core.checkpointer = Checkpointer.start(abs, options, hooks);
      if (core.checkpointer != null) {
        try (Statement st = c.createStatement()) {
          st.execute("PRAGMA wal_autocheckpoint = 0");
        }
      }
      core.writer.start();
      return core;
    } catch (SQLException e) {
      closeQuietly(c);
      if (Queries.isCorruption(e)) {
        throw new StoreException(abs + " is not a readable SQLite database (" + e.getMessage()
            + "); restore it from a backup or move it away to start empty", e);
      }
      throw new StoreException("cannot open the update store " + abs + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static void configure(Connection c, Path file, StoreOptions options) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + options.busyTimeout().toMillis());
      String mode = Queries.scalarString(c, "PRAGMA journal_mode = WAL");
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new StoreException("SQLite refused WAL mode for " + file + " (journal_mode is " + mode
            + "); use a local file system, not a network share");
      }
      int sync = options.durability() == Durability.FULL ? 2 : 1;
      st.execute("PRAGMA synchronous = " + sync);
      st.execute("PRAGMA foreign_keys = ON");
      if (Queries.scalarLong(c, "PRAGMA synchronous") != sync || Queries.scalarLong(c, "PRAGMA foreign_keys") != 1) {
        throw new StoreException("SQLite did not accept synchronous/foreign_keys settings for " + file);
      }
    }
  }

  // ---------------------------------------------------------------- tasks

  private abstract static class Task {}

  private static final class Append extends Task {
    final String doc;
    final byte[] data;
    final ClockCoverage ranges;
    final CompletableFuture<Long> future = new CompletableFuture<>();
    long seq;

    Append(String doc, byte[] data, ClockCoverage ranges) {
      this.doc = doc;
      this.data = data;
      this.ranges = ranges;
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  private static final class Op<T> extends Task {
    final SqlWork<T> work;
    final CompletableFuture<T> future = new CompletableFuture<>();
    final boolean completeOnAckThread;

    Op(SqlWork<T> work, boolean completeOnAckThread) {
      this.work = work;
      this.completeOnAckThread = completeOnAckThread;
    }
  }

  private static final class Shutdown extends Task {}

  // ---------------------------------------------------------------- public operations

  public CompletableFuture<Long> append(String doc, byte[] update) {
    checkName(doc);
    if (update == null) {
      throw new NullPointerException("update");
    }
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    byte[] copy = update.clone();
    ClockCoverage ranges = new ClockCoverage();
    try {
      UpdateScanner.scan(copy, ranges);
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
    Append a = new Append(doc, copy, ranges);
    enqueue(a, a.future);
    return a.future;
  }

  public CompletableFuture<Void> flush() {
    Op<Void> op = new Op<>(() -> null, true);
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    enqueue(op, op.future);
    return op.future;
  }

  public List<byte[]> loadUpdates(String doc) {
    checkName(doc);
    return call(() -> Queries.readLog(conn, doc).rows);
  }

  public Optional<byte[]> loadState(String doc) {
    UpdateMerger m = requireMerger("loadState");
    List<byte[]> rows = loadUpdates(doc);
    if (rows.isEmpty()) {
      return info(doc).isPresent() ? Optional.of(m.merge(List.of()).update()) : Optional.empty();
    }
    return Optional.of(merge(m, doc, rows).update());
  }

  /** Checks that every row is a well-formed update; a bad one gives {@link CorruptDocumentException}. */
  public void validate(String doc, List<byte[]> rows) {
    for (int i = 0; i < rows.size(); i++) {
      try {
        UpdateScanner.scan(rows.get(i), (client, clock, len) -> { });
      } catch (StoreException e) {
        throw new CorruptDocumentException(doc, "stored update #" + (i + 1) + " is malformed: " + e.getMessage(), e);
      }
    }
  }

  public byte[] stateVector(String doc) {
    checkName(doc);
    byte[] sv = call(() -> Queries.stateVector(conn, doc));
    return sv == null ? new byte[] {0} : sv;
  }

  public Map<Long, Long> stateVectorMap(String doc) {
    try {
      return ClockCoverage.decodeStateVector(stateVector(doc));
    } catch (IllegalArgumentException e) {
      throw new CorruptDocumentException(doc, "its stored state vector is unreadable", e);
    }
  }

  public Optional<DocumentInfo> info(String doc) {
    checkName(doc);
    return call(() -> Queries.info(conn, doc));
  }

  public List<String> listDocuments() {
    return call(() -> Queries.names(conn));
  }

  public boolean deleteDocument(String doc) {
    checkName(doc);
    return call(() -> inTransaction(() -> {
      try (PreparedStatement ps = conn.prepareStatement("DELETE FROM documents WHERE name = ?")) {
        ps.setString(1, doc);
        return ps.executeUpdate() > 0;
      }
    }, () -> docs.remove(doc)));
  }

  public void clear() {
    call(() -> inTransaction(() -> {
      try (Statement st = conn.createStatement()) {
        st.executeUpdate("DELETE FROM documents");
      }
      return null;
    }, docs::clear));
  }

  public Map<String, String> metadata(String doc) {
    checkName(doc);
    return call(() -> Queries.metadata(conn, doc));
  }

  public void putMetadata(String doc, String key, String value) {
    checkName(doc);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("metadata key must be a non-empty string");
    }
    call(() -> {
      Map<String, DocState> created = new HashMap<>();
      return inTransaction(() -> {
        DocState s = docs.get(doc);
        long id;
        if (s == null) {
          s = new DocState(Queries.insertDocument(conn, doc, System.currentTimeMillis()), doc, new ClockCoverage());
          created.put(doc, s);
        }
        id = s.id;
        String sql = value == null ? "DELETE FROM metadata WHERE doc_id = ? AND key = ?"
            : "INSERT OR REPLACE INTO metadata (doc_id, key, value) VALUES (?, ?, ?)";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
          ps.setLong(1, id);
          ps.setString(2, key);
          if (value != null) {
            ps.setString(3, value);
          }
          ps.executeUpdate();
        }
        return null;
      }, () -> docs.putAll(created));
    });
  }

  public Optional<DocumentInfo> compact(String doc) {
    checkName(doc);
    requireMerger("compact");
    CompletableFuture<Optional<DocumentInfo>> done = new CompletableFuture<>();
    call(() -> {
      startCompaction(doc, done);
      return null;
    });
    return await(done);
  }

  public CheckReport check() {
    List<String> integrity;
    try {
      integrity = call(() -> Queries.integrityCheck(conn));
    } catch (StoreException e) {
      integrity = List.of("integrity_check could not run: " + e.getMessage());
    }
    List<String> names;
    try {
      names = listDocuments();
    } catch (StoreException e) {
      return new CheckReport(integrity, 0, Map.of("*", "cannot list documents: " + e.getMessage()));
    }
    Map<String, String> damaged = new LinkedHashMap<>();
    for (String name : names) {
      try {
        for (byte[] row : loadUpdates(name)) {
          UpdateScanner.scan(row, (client, clock, len) -> { });
        }
      } catch (StoreException e) {
        damaged.put(name, e.getMessage());
      }
    }
    return new CheckReport(integrity, names.size(), damaged);
  }

  public Map<String, String> settings() {
    return call(() -> {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("journal_mode", Queries.scalarString(conn, "PRAGMA journal_mode"));
      m.put("synchronous", Queries.scalarString(conn, "PRAGMA synchronous"));
      m.put("foreign_keys", Queries.scalarString(conn, "PRAGMA foreign_keys"));
      m.put("busy_timeout", Queries.scalarString(conn, "PRAGMA busy_timeout"));
      m.put("wal_autocheckpoint", Queries.scalarString(conn, "PRAGMA wal_autocheckpoint"));
      m.put("background_checkpoint", Boolean.toString(checkpointer != null));
      m.put("schema_version", Integer.toString(Schema.version(conn)));
      return m;
    });
  }

  public Path file() {
    return file;
  }

  public StoreOptions options() {
    return options;
  }

  public void close() {
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
    if (Thread.currentThread() == writer || Thread.currentThread() == ackThread) {
      return; // closing from an acknowledgement callback: the close completes after the callback returns
    }
    terminated.join();
  }

  // ---------------------------------------------------------------- queue plumbing

  private static void checkName(String doc) {
    if (doc == null || doc.isEmpty()) {
      throw new IllegalArgumentException("document name must be a non-empty string");
    }
  }

  private StoreException closedError() {
    return new StoreException("the update store " + file + " is closed");
  }

  private UpdateMerger requireMerger(String what) {
    if (merger == null) {
      throw new StoreException(what + " needs the crdt engine to merge updates, which is not available in this build");
    }
    return merger;
  }

  private <T> void enqueue(Task t, CompletableFuture<T> future) {
    try {
      queue.put(t);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.completeExceptionally(new StoreException("interrupted while waiting for room in the write queue", e));
      return;
    }
    if (writerDone) {
      failQueued();
    }
  }

  /** Runs {@code work} on the writer thread and waits for its result. */
  private <T> T call(SqlWork<T> work) {
    if (Thread.currentThread() == writer) {
      throw new IllegalStateException("blocking store call on the store's own writer thread");
    }
    if (closed) {
      throw closedError();
    }
    Op<T> op = new Op<>(work, false);
    enqueue(op, op.future);
    return await(op.future);
  }

  private static <T> T await(CompletableFuture<T> f) {
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
      StoreException err = closedError();
      if (t instanceof Append) {
        ((Append) t).future.completeExceptionally(err);
      } else if (t instanceof Op) {
        ((Op<?>) t).future.completeExceptionally(err);
      }
    }
  }

  // ---------------------------------------------------------------- writer thread

  private void runWriter() {
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
          // group-commit window: gather more appends before committing (nothing is acknowledged sooner)
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
            failTask(t, closedError());
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
      finishWriter();
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

  private void finishWriter() {
    closed = true;
    writerDone = true;
    failQueued();
    merges.shutdownNow();
    if (checkpointer != null) {
      checkpointer.close();
    }
    try {
      hooks.at(StoreHooks.Point.CHECKPOINT);
      try (Statement st = conn.createStatement()) {
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    } catch (SQLException e) {
      LOG.warn("checkpoint on close of {} failed (harmless: the WAL is replayed on next open): {}", file, e.getMessage());
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

  private static void failTask(Task t, StoreException err) {
    if (t instanceof Append) {
      ((Append) t).future.completeExceptionally(err);
    } else if (t instanceof Op) {
      ((Op<?>) t).future.completeExceptionally(err);
    }
  }

  private <T> void runOp(Op<T> op) {
    T value;
    try {
      value = op.work.run();
    } catch (SQLException e) {
      op.future.completeExceptionally(new StoreException("update store " + file + ": " + e.getMessage(), e));
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

  /** Runs {@code work} in a write transaction; {@code onCommit} updates the cache after COMMIT. */
  private <T> T inTransaction(SqlWork<T> work, Runnable onCommit) throws SQLException {
    try (Statement st = conn.createStatement()) {
      begin(st);
      try {
        syncCache();
        T result = work.run();
        st.execute("COMMIT");
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
      st.execute("BEGIN IMMEDIATE");
    } catch (SQLException e) {
      if (!String.valueOf(e.getMessage()).contains("within a transaction")) {
        throw e;
      }
      // an earlier ROLLBACK failed and left a transaction open: end it and start afresh
      rollbackAfterFailure();
      st.execute("BEGIN IMMEDIATE");
    }
  }

  /** Inside a write transaction: reload the cache if it is stale or another connection wrote. */
  private void syncCache() throws SQLException {
    long v = Queries.scalarLong(conn, "PRAGMA data_version");
    if (!cacheValid || v != dataVersion) {
      docs.clear();
      docs.putAll(Queries.loadStates(conn));
      dataVersion = v;
      cacheValid = true;
    }
  }

  private void rollbackAfterFailure() {
    cacheValid = false;
    for (int attempt = 0; attempt < 3; attempt++) {
      try (Statement st = conn.createStatement()) {
        st.execute("ROLLBACK");
        return;
      } catch (SQLException e) {
        if (String.valueOf(e.getMessage()).contains("no transaction is active")) {
          return; // a failed COMMIT already ended it; nothing to undo
        }
        LOG.warn("ROLLBACK failed on {} (attempt {}): {}", file, attempt + 1, e.getMessage());
      }
    }
  }

  private void commitAppends(List<Append> run) {
    if (run.isEmpty()) {
      return;
    }
    List<Append> appends = new ArrayList<>(run);
    run.clear();
    Map<String, DocState> touched = new LinkedHashMap<>();
    try {
      hooks.at(StoreHooks.Point.BEFORE_BEGIN);
      inTransaction(() -> {
        long now = System.currentTimeMillis();
        for (Append a : appends) {
          DocState s = touched.get(a.doc);
          if (s == null) {
            // the cached state is changed in place: if the transaction fails, rollbackAfterFailure
            // marks the cache stale and the next transaction reloads it from the database
            DocState cached = docs.get(a.doc);
            s = cached != null ? cached
                : new DocState(Queries.insertDocument(conn, a.doc, now), a.doc, new ClockCoverage());
            touched.put(a.doc, s);
          }
          a.seq = ++s.lastSeq;
          insertUpdate.setLong(1, s.id);
          insertUpdate.setLong(2, a.seq);
          insertUpdate.setBytes(3, a.data);
          insertUpdate.setLong(4, Queries.crc(a.data));
          insertUpdate.addBatch();
          s.count++;
          s.bytes += a.data.length;
          s.coverage.addAll(a.ranges);
        }
        insertUpdate.executeBatch();
        for (DocState s : touched.values()) {
          Queries.updateDocument(conn, s, now);
        }
        hooks.at(StoreHooks.Point.BEFORE_COMMIT);
        return null;
      }, () -> docs.putAll(touched));
    } catch (SQLException | RuntimeException e) {
      try {
        insertUpdate.clearBatch();
      } catch (SQLException ignored) {
        // statement is reset on next use anyway
      }
      StoreException err = new StoreException("could not store " + appends.size() + " update(s) in " + file
          + "; none is acknowledged (" + e.getMessage() + "); retrying is safe, updates are idempotent", e);
      LOG.warn("{}", err.getMessage());
      acks.execute(() -> appends.forEach(a -> a.future.completeExceptionally(err)));
      return;
    }
    try {
      hooks.at(StoreHooks.Point.AFTER_COMMIT);
    } catch (SQLException e) {
      // Committed but told to fail: not acknowledging a stored update is allowed (the reverse is not).
      StoreException err = new StoreException("update acknowledgement failed after commit: " + e.getMessage(), e);
      acks.execute(() -> appends.forEach(a -> a.future.completeExceptionally(err)));
      return;
    }
    acks.execute(() -> appends.forEach(a -> a.future.complete(a.seq)));
    if (checkpointer != null) {
      long bytes = 0;
      for (Append a : appends) {
        bytes += a.data.length + 32; // row and index overhead, roughly
      }
      checkpointer.committed(bytes);
    }
    for (DocState s : touched.values()) {
      if (merger != null && s.count > 1 && !s.compactionFailed && !compacting.contains(s.name)
          && (s.count > satAdd(options.compactionCount(), s.baselineCount)
              || s.bytes > satAdd(options.compactionBytes(), s.baselineBytes))) {
        try {
          startCompaction(s.name, null);
        } catch (SQLException e) {
          compacting.remove(s.name);
          cacheValid = false;
          LOG.warn("could not start compaction of '{}' (will retry after a later append): {}", s.name, e.getMessage());
        }
      }
    }
  }

  // ---------------------------------------------------------------- compaction

  private static long satAdd(long a, long b) {
    long r = a + b;
    return r < a ? Long.MAX_VALUE : r;
  }

  /** On the writer: read the log and hand it to the merge thread. {@code done} may be null. */
  private void startCompaction(String doc, CompletableFuture<Optional<DocumentInfo>> done) throws SQLException {
    DocState s = docs.get(doc);
    if (s == null || !cacheValid) {
      syncCacheOutsideTransaction();
      s = docs.get(doc);
    }
    if (s == null) {
      complete(done, Optional.empty());
      return;
    }
    if (compacting.contains(doc) && done != null) {
      // one compaction at a time per document: queue behind the running one
      CompletableFuture.runAsync(() -> { }, merges).whenComplete((v, e) -> enqueueRetry(doc, done));
      return;
    }
    Queries.Log log;
    try {
      log = Queries.readLog(conn, doc);
    } catch (CorruptDocumentException e) {
      s.compactionFailed = true;
      LOG.error("not compacting: {}", e.getMessage());
      if (done != null) {
        done.completeExceptionally(e);
      }
      return;
    }
    if (log.rows.size() <= 1) {
      complete(done, Queries.info(conn, doc));
      return;
    }
    compacting.add(doc);
    long docId = s.id;
    try {
      merges.execute(() -> mergeAndSwap(doc, docId, log, done));
    } catch (RuntimeException e) {
      compacting.remove(doc);
      if (done != null) {
        done.completeExceptionally(closedError());
      }
    }
  }

  private void enqueueRetry(String doc, CompletableFuture<Optional<DocumentInfo>> done) {
    Op<Void> op = new Op<>(() -> {
      startCompaction(doc, done);
      return null;
    }, false);
    op.future.whenComplete((v, e) -> {
      if (e != null) {
        done.completeExceptionally(e);
      }
    });
    enqueue(op, op.future);
  }

  private void syncCacheOutsideTransaction() throws SQLException {
    docs.clear();
    docs.putAll(Queries.loadStates(conn));
    dataVersion = Queries.scalarLong(conn, "PRAGMA data_version");
    cacheValid = true;
  }

  private static <T> void complete(CompletableFuture<T> f, T value) {
    if (f != null) {
      f.complete(value);
    }
  }

  /** On the merge thread. */
  private void mergeAndSwap(String doc, long docId, Queries.Log log, CompletableFuture<Optional<DocumentInfo>> done) {
    UpdateMerger.Merged merged;
    RuntimeException failure = null;
    try {
      merged = merge(merger, doc, log.rows);
    } catch (RuntimeException e) {
      merged = null;
      failure = e;
    }
    UpdateMerger.Merged result = merged;
    RuntimeException error = failure;
    Op<Optional<DocumentInfo>> swap = new Op<>(() -> {
      compacting.remove(doc);
      if (error != null) {
        DocState s = docs.get(doc);
        if (s != null) {
          s.compactionFailed = true;
        }
        LOG.error("compaction of '{}' failed: {}", doc, error.getMessage());
        throw error;
      }
      return swapIn(doc, docId, log, result);
    }, false);
    if (done != null) {
      swap.future.whenComplete((v, e) -> {
        if (e != null) {
          done.completeExceptionally(e);
        } else {
          done.complete(v);
        }
      });
    }
    enqueue(swap, swap.future);
  }

  private Optional<DocumentInfo> swapIn(String doc, long docId, Queries.Log log, UpdateMerger.Merged merged)
      throws SQLException {
    long mergedSeq = -1;
    List<Long> drop = new ArrayList<>();
    for (int i = 0; i < log.seqs.size(); i++) {
      if (!merged.keep()[i]) {
        drop.add(log.seqs.get(i));
        mergedSeq = mergedSeq < 0 ? log.seqs.get(i) : mergedSeq;
      }
    }
    if (drop.size() <= 1) {
      DocState s = docs.get(doc);
      if (s != null) { // (nearly) everything is pending: nothing to gain until more arrives
        s.baselineCount = s.count;
        s.baselineBytes = s.bytes;
      }
      return Queries.info(conn, doc);
    }
    long seqOfMerged = mergedSeq;
    // What the compacted log leaves behind: the merged row plus rows kept for their pending data.
    // Rows appended while the merge ran are not part of this baseline: they count toward the next compaction.
    long keptRows = 1;
    long keptBytes = merged.update().length;
    for (int i = 0; i < log.seqs.size(); i++) {
      if (merged.keep()[i]) {
        keptRows++;
        keptBytes += log.rows.get(i).length;
      }
    }
    long baselineRows = keptRows;
    long baselineBytes = keptBytes;
    boolean[] applied = {false};
    long[] after = new long[2];
    inTransaction(() -> {
      DocState s = docs.get(doc);
      if (s == null || s.id != docId) {
        return null; // deleted (or recreated) meanwhile
      }
      long present;
      try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM updates WHERE doc_id = ? AND seq <= ?")) {
        ps.setLong(1, docId);
        ps.setLong(2, log.maxSeq);
        try (var rs = ps.executeQuery()) {
          rs.next();
          present = rs.getLong(1);
        }
      }
      if (present != log.rows.size()) {
        return null; // someone else (another process) changed the log meanwhile; leave it
      }
      // the merged row takes the place of the first row it replaces; rows holding pending data stay
      try (PreparedStatement ps = conn.prepareStatement(
          "INSERT OR REPLACE INTO updates (doc_id, seq, data, crc32) VALUES (?, ?, ?, ?)")) {
        ps.setLong(1, docId);
        ps.setLong(2, seqOfMerged);
        ps.setBytes(3, merged.update());
        ps.setLong(4, Queries.crc(merged.update()));
        ps.executeUpdate();
      }
      hooks.at(StoreHooks.Point.COMPACTION_BETWEEN);
      try (PreparedStatement ps = conn.prepareStatement("DELETE FROM updates WHERE doc_id = ? AND seq = ?")) {
        for (Long seq : drop) {
          if (seq != seqOfMerged) {
            ps.setLong(1, docId);
            ps.setLong(2, seq);
            ps.addBatch();
          }
        }
        ps.executeBatch();
      }
      try (PreparedStatement ps = conn.prepareStatement(
          "SELECT count(*), coalesce(sum(length(data)), 0) FROM updates WHERE doc_id = ?")) {
        ps.setLong(1, docId);
        try (var rs = ps.executeQuery()) {
          rs.next();
          after[0] = rs.getLong(1);
          after[1] = rs.getLong(2);
        }
      }
      try (PreparedStatement ps = conn.prepareStatement(
          "UPDATE documents SET update_count = ?, update_bytes = ?, updated_at = ? WHERE id = ?")) {
        ps.setLong(1, after[0]);
        ps.setLong(2, after[1]);
        ps.setLong(3, System.currentTimeMillis());
        ps.setLong(4, docId);
        ps.executeUpdate();
      }
      applied[0] = true;
      return null;
    }, () -> {
      DocState s = docs.get(doc);
      if (applied[0] && s != null) {
        s.count = after[0];
        s.bytes = after[1];
        s.baselineCount = baselineRows;
        s.baselineBytes = baselineBytes;
        // appends that arrived while this compaction ran may already be past the threshold again, and
        // no further append may come to notice it: check now
        if (merger != null && s.count > 1 && !s.compactionFailed && !compacting.contains(doc)
            && (s.count > satAdd(options.compactionCount(), s.baselineCount)
                || s.bytes > satAdd(options.compactionBytes(), s.baselineBytes))) {
          try {
            startCompaction(doc, null);
          } catch (SQLException | RuntimeException e) {
            compacting.remove(doc);
            cacheValid = false;
            LOG.warn("could not start compaction of '{}' (will retry after a later append): {}", doc, e.getMessage());
          }
        }
      }
    });
    return Queries.info(conn, doc);
  }

  private static UpdateMerger.Merged merge(UpdateMerger m, String doc, List<byte[]> rows) {
    try {
      return m.merge(rows);
    } catch (CompletionException e) {
      throw new CorruptDocumentException(doc, "a stored update cannot be decoded: " + e.getCause(), e.getCause());
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptDocumentException(doc, "a stored update cannot be decoded: " + e.getMessage(), e);
    }
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
