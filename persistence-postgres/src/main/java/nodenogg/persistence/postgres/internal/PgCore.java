package nodenogg.persistence.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import nodenogg.persistence.CheckReport;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.DocumentInfo;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.postgres.CompactionLock;
import nodenogg.persistence.postgres.PostgresStoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Implementation behind {@code PostgresUpdateStore}: appends go to the {@link Writer} (group
 * commit); reads and administration run on the caller's thread on a {@link ReadPool} connection;
 * compaction runs under a PostgreSQL advisory lock (and the configured {@link CompactionLock}) and
 * swaps the merged row in with one transaction that first checks the merged rows are still all
 * there. Every operation names the format of the store view it came from; a document name belongs
 * to one format.
 */
public final class PgCore {

  private static final Logger LOG = LoggerFactory.getLogger(PgCore.class);

  /**
   * First key of the two-key advisory lock held while compacting a document (second:
   * hashtext(name)).
   */
  private static final int COMPACTION_LOCK = 0x6e6e6370; // "nncp"

  private final Db db;
  private final PostgresStoreOptions options;
  private final Health health = new Health();
  private final ReadPool pool;
  private final Writer writer;
  private final ExecutorService compactions;
  private final Map<String, UpdateFormat> formats = new ConcurrentHashMap<>();
  private final Set<String> compacting = ConcurrentHashMap.newKeySet();

  /**
   * Rows and bytes a document's log had after its last compaction here (automatic compaction's
   * baseline).
   */
  private final Map<String, long[]> baselines = new ConcurrentHashMap<>();

  private PgCore(Db db, PostgresStoreOptions options) {
    this.db = db;
    this.options = options;
    this.pool = new ReadPool(db, options.readConnections(), health);
    this.writer = new Writer(db, options, health, this::committed);
    this.compactions =
        Executors.newSingleThreadExecutor(r -> Writer.daemon(r, "postgres-store-compaction"));
  }

  /** Connects, migrates the schema and starts the writer. */
  public static PgCore open(String url, PostgresStoreOptions options) {
    String app =
        options.instanceId() == null ? "nodenogg-sync" : "nodenogg-sync " + options.instanceId();
    Db db =
        new Db(url, options.connectionProperties(), app.length() > 63 ? app.substring(0, 63) : app);
    Connection c = null;
    try {
      c = db.connect();
      Schema.migrate(c, db.displayUrl(), Schema.CURRENT);
      PgCore core = new PgCore(db, options);
      core.register(options.format());
      core.writer.start(c);
      return core;
    } catch (SQLException e) {
      Db.closeQuietly(c);
      throw db.failure("cannot open the update store", e);
    } catch (RuntimeException e) {
      Db.closeQuietly(c);
      throw e;
    }
  }

  public void register(UpdateFormat format) {
    UpdateFormat known = formats.putIfAbsent(format.name(), format);
    if (known != null && known != format && known.getClass() != format.getClass()) {
      throw new IllegalArgumentException(
          "two different formats are named '" + format.name() + "': " + known + " and " + format);
    }
  }

  public String displayUrl() {
    return db.displayUrl();
  }

  public PostgresStoreOptions options() {
    return options;
  }

  public Health health() {
    return health;
  }

  public int queued() {
    return writer.queued();
  }

  private static void checkName(String doc) {
    if (doc == null || doc.isEmpty()) {
      throw new IllegalArgumentException("document name must be a non-empty string");
    }
  }

  private void requireOpen() {
    if (writer.closed()) {
      throw writer.closedError();
    }
  }

  // ---------------------------------------------------------------- appends

  public CompletableFuture<Long> append(UpdateFormat format, String doc, byte[] update) {
    checkName(doc);
    if (update == null) {
      throw new NullPointerException("update");
    }
    if (writer.closed()) {
      return CompletableFuture.failedFuture(writer.closedError());
    }
    byte[] copy = update.clone();
    UpdateFormat.Coverage covered;
    try {
      covered = format.check(copy);
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
    Writer.Append a = new Writer.Append(format, doc, copy, covered);
    writer.enqueue(a, a.future);
    return a.future;
  }

  public CompletableFuture<Void> flush() {
    if (writer.closed()) {
      return CompletableFuture.failedFuture(writer.closedError());
    }
    Writer.Barrier b = new Writer.Barrier();
    writer.enqueue(b, b.future);
    return b.future;
  }

  // ---------------------------------------------------------------- reads

  /** The document's stored format, or null if unknown. */
  private static String formatOf(Connection c, String doc) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("SELECT format FROM nodenogg_documents WHERE name = ?")) {
      st.setString(1, doc);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static boolean exists(Connection c, UpdateFormat format, String doc) throws SQLException {
    String stored = formatOf(c, doc);
    if (stored != null && !stored.equals(format.name())) {
      throw new StoreException(
          "document '"
              + doc
              + "' is stored as "
              + stored
              + " updates, not "
              + format.name()
              + " (open the store with that format to read it)");
    }
    return stored != null;
  }

  /** A document's log, checksums verified. */
  private static final class Log {
    long docId = -1;
    String format;
    final List<byte[]> rows = new ArrayList<>();
    final List<Long> seqs = new ArrayList<>();
  }

  private static Log readLog(Connection c, String doc) throws SQLException {
    Log log = new Log();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT d.id, d.format, u.seq, u.data, u.crc32"
                + " FROM nodenogg_documents d LEFT JOIN nodenogg_updates u ON u.doc_id = d.id WHERE d.name = ? ORDER BY u.seq")) {
      st.setString(1, doc);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          log.docId = rs.getLong(1);
          log.format = rs.getString(2);
          byte[] data = rs.getBytes(4);
          if (data == null) {
            continue; // a document without updates (metadata only)
          }
          long seq = rs.getLong(3);
          if (Db.crc(data) != rs.getLong(5)) {
            throw new CorruptDocumentException(
                doc,
                "stored update seq "
                    + seq
                    + " fails its CRC-32 check;"
                    + " restore the document from a backup or delete it",
                null);
          }
          log.seqs.add(seq);
          log.rows.add(data);
        }
      }
    }
    return log;
  }

  public List<byte[]> load(UpdateFormat format, String doc) {
    checkName(doc);
    requireOpen();
    return pool.call(
        "load '" + doc + "'",
        c -> {
          Log log = readLog(c, doc);
          if (log.format != null && !log.format.equals(format.name())) {
            throw new StoreException(
                "document '"
                    + doc
                    + "' is stored as "
                    + log.format
                    + " updates, not "
                    + format.name());
          }
          return log.rows;
        });
  }

  public Optional<byte[]> loadState(UpdateFormat format, String doc) {
    if (!format.canMerge()) {
      throw new StoreException(
          "the "
              + format.name()
              + " format cannot merge updates, so there is no single state to load");
    }
    List<byte[]> rows = load(format, doc);
    if (rows.isEmpty() && info(format, doc).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(merge(format, doc, rows).update());
  }

  static UpdateFormat.Merged merge(UpdateFormat format, String doc, List<byte[]> rows) {
    try {
      return format.merge(rows);
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptDocumentException(
          doc, "a stored update cannot be decoded: " + e.getMessage(), e);
    }
  }

  public byte[] version(UpdateFormat format, String doc) {
    checkName(doc);
    requireOpen();
    byte[] v =
        pool.call(
            "version of '" + doc + "'",
            c -> {
              try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT format, state_vector FROM nodenogg_documents WHERE name = ?")) {
                st.setString(1, doc);
                try (ResultSet rs = st.executeQuery()) {
                  if (!rs.next()) {
                    return null;
                  }
                  if (!rs.getString(1).equals(format.name())) {
                    throw new StoreException(
                        "document '"
                            + doc
                            + "' is stored as "
                            + rs.getString(1)
                            + " updates, not "
                            + format.name());
                  }
                  return rs.getBytes(2);
                }
              }
            });
    return v == null ? format.emptyCoverage().version() : v;
  }

  public Optional<DocumentInfo> info(UpdateFormat format, String doc) {
    checkName(doc);
    requireOpen();
    return pool.call(
        "info of '" + doc + "'", c -> exists(c, format, doc) ? info(c, doc) : Optional.empty());
  }

  private static Optional<DocumentInfo> info(Connection c, String doc) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT update_count, update_bytes FROM nodenogg_documents WHERE name = ?")) {
      st.setString(1, doc);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next()
            ? Optional.of(new DocumentInfo(doc, rs.getLong(1), rs.getLong(2)))
            : Optional.empty();
      }
    }
  }

  public List<String> list(UpdateFormat format) {
    requireOpen();
    List<String> names =
        pool.call(
            "list documents",
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement st =
                  c.prepareStatement("SELECT name FROM nodenogg_documents WHERE format = ?")) {
                st.setString(1, format.name());
                try (ResultSet rs = st.executeQuery()) {
                  while (rs.next()) {
                    out.add(rs.getString(1));
                  }
                }
              }
              return out;
            });
    names.sort(null); // Java's order, whatever the database collation
    return names;
  }

  /** Every document of every format: name to format name, sorted by name. */
  public Map<String, String> formats() {
    requireOpen();
    Map<String, String> m = new java.util.TreeMap<>();
    pool.call(
        "list documents",
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT name, format FROM nodenogg_documents")) {
            while (rs.next()) {
              m.put(rs.getString(1), rs.getString(2));
            }
          }
          return null;
        });
    return m;
  }

  public boolean delete(UpdateFormat format, String doc) {
    checkName(doc);
    requireOpen();
    baselines.remove(doc);
    return pool.call(
        "delete '" + doc + "'",
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("DELETE FROM nodenogg_documents WHERE name = ? AND format = ?")) {
            st.setString(1, doc);
            st.setString(2, format.name());
            if (st.executeUpdate() > 0) {
              return true;
            }
          }
          exists(c, format, doc); // throws for another format
          return false;
        });
  }

  public Map<String, String> metadata(UpdateFormat format, String doc) {
    checkName(doc);
    requireOpen();
    return pool.call(
        "metadata of '" + doc + "'",
        c -> {
          if (!exists(c, format, doc)) {
            return Map.of();
          }
          Map<String, String> m = new java.util.TreeMap<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT m.key, m.value FROM nodenogg_metadata m"
                      + " JOIN nodenogg_documents d ON d.id = m.doc_id WHERE d.name = ?")) {
            st.setString(1, doc);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
              }
            }
          }
          return new LinkedHashMap<>(m);
        });
  }

  public void putMetadata(UpdateFormat format, String doc, String key, String value) {
    checkName(doc);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("metadata key must be a non-empty string");
    }
    requireOpen();
    pool.call(
        "metadata of '" + doc + "'",
        c -> {
          c.setAutoCommit(false);
          try {
            UpdateFormat.Coverage empty = format.emptyCoverage();
            try (PreparedStatement ins =
                c.prepareStatement(
                    "INSERT INTO nodenogg_documents (name, format, state_vector,"
                        + " coverage, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
              ins.setString(1, doc);
              ins.setString(2, format.name());
              ins.setBytes(3, empty.version());
              ins.setBytes(4, empty.encode());
              ins.setLong(5, System.currentTimeMillis());
              ins.executeUpdate();
            }
            long id;
            try (PreparedStatement st =
                c.prepareStatement(
                    "SELECT id, format FROM nodenogg_documents WHERE name = ? FOR UPDATE")) {
              st.setString(1, doc);
              try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                  throw new SQLException("document row for '" + doc + "' vanished", "40001");
                }
                if (!rs.getString(2).equals(format.name())) {
                  throw new StoreException(
                      "document '"
                          + doc
                          + "' is stored as "
                          + rs.getString(2)
                          + " updates, not "
                          + format.name());
                }
                id = rs.getLong(1);
              }
            }
            String sql =
                value == null
                    ? "DELETE FROM nodenogg_metadata WHERE doc_id = ? AND key = ?"
                    : "INSERT INTO nodenogg_metadata (doc_id, key, value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (doc_id, key) DO UPDATE SET value = EXCLUDED.value";
            try (PreparedStatement st = c.prepareStatement(sql)) {
              st.setLong(1, id);
              st.setString(2, key);
              if (value != null) {
                st.setString(3, value);
              }
              st.executeUpdate();
            }
            c.commit();
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- compaction

  /** Writer thread, after a commit: starts an automatic compaction past the thresholds. */
  private void committed(UpdateFormat format, String doc, long count, long bytes) {
    if (!format.canMerge() || count <= 1 || compacting.contains(doc)) {
      return;
    }
    long[] base = baselines.getOrDefault(doc, new long[] {0, 0});
    if (count > satAdd(options.compactionCount(), base[0])
        || bytes > satAdd(options.compactionBytes(), base[1])) {
      if (compacting.add(doc)) {
        try {
          compactions.execute(
              () -> {
                try {
                  compact(format, doc);
                } catch (RuntimeException e) {
                  LOG.warn(
                      "automatic compaction of '{}' failed (the log is unchanged; retried after later appends): {}",
                      doc,
                      e.getMessage());
                  baselines.put(doc, new long[] {count, bytes}); // not again at once
                } finally {
                  compacting.remove(doc);
                }
              });
        } catch (RejectedExecutionException e) {
          compacting.remove(doc);
        }
      }
    }
  }

  private static long satAdd(long a, long b) {
    long r = a + b;
    return r < a ? Long.MAX_VALUE : r;
  }

  /**
   * Compacts {@code doc} now on the calling thread, unless another instance (or thread) is
   * compacting it (then its log is returned as it is).
   */
  public Optional<DocumentInfo> compact(UpdateFormat format, String doc) {
    checkName(doc);
    requireOpen();
    Optional<DocumentInfo> before = info(format, doc);
    if (before.isEmpty() || !format.canMerge() || before.get().updateCount() <= 1) {
      return before;
    }
    Optional<CompactionLock.Held> held;
    try {
      held = options.compactionLock().tryLock(doc);
    } catch (RuntimeException e) {
      LOG.warn(
          "not compacting '{}': the compaction lock cannot be taken ({})", doc, e.getMessage());
      return before;
    }
    if (held.isEmpty()) {
      LOG.debug("not compacting '{}': another instance holds its compaction lock", doc);
      return before;
    }
    try (CompactionLock.Held h = held.get()) {
      return pool.call("compact '" + doc + "'", c -> compactLocked(c, format, doc));
    }
  }

  private Optional<DocumentInfo> compactLocked(Connection c, UpdateFormat format, String doc)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(?))")) {
      st.setInt(1, COMPACTION_LOCK);
      st.setString(2, doc);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return info(c, doc); // another instance is compacting it
        }
      }
    }
    try {
      Log log;
      try {
        log = readLog(c, doc);
      } catch (CorruptDocumentException e) {
        LOG.error("not compacting: {}", e.getMessage());
        throw e;
      }
      if (log.docId < 0) {
        return Optional.empty();
      }
      if (!format.name().equals(log.format)) {
        throw new StoreException(
            "document '" + doc + "' is stored as " + log.format + " updates, not " + format.name());
      }
      if (log.rows.size() <= 1) {
        return info(c, doc);
      }
      UpdateFormat.Merged merged = merge(format, doc, log.rows);
      List<Long> drop = new ArrayList<>();
      long keptRows = 1;
      long keptBytes = merged.update().length;
      for (int i = 0; i < log.rows.size(); i++) {
        if (merged.keep()[i]) {
          keptRows++;
          keptBytes += log.rows.get(i).length;
        } else {
          drop.add(log.seqs.get(i));
        }
      }
      if (drop.size() <= 1) {
        baselines.put(doc, new long[] {log.rows.size(), keptBytes}); // (nearly) everything pending
        return info(c, doc);
      }
      long mergedSeq = drop.remove(0);
      long maxSeq = log.seqs.get(log.seqs.size() - 1);
      c.setAutoCommit(false);
      try {
        try (PreparedStatement st =
            c.prepareStatement("SELECT 1 FROM nodenogg_documents WHERE id = ? FOR UPDATE")) {
          st.setLong(1, log.docId);
          try (ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
              c.rollback();
              return Optional.empty(); // deleted meanwhile
            }
          }
        }
        try (PreparedStatement st =
            c.prepareStatement(
                "SELECT count(*) FROM nodenogg_updates WHERE doc_id = ? AND seq <= ?")) {
          st.setLong(1, log.docId);
          st.setLong(2, maxSeq);
          try (ResultSet rs = st.executeQuery()) {
            rs.next();
            if (rs.getLong(1) != log.rows.size()) {
              c.rollback();
              return info(c, doc); // someone changed the log meanwhile; leave it
            }
          }
        }
        try (PreparedStatement st =
            c.prepareStatement(
                "UPDATE nodenogg_updates SET data = ?, crc32 = ? WHERE doc_id = ? AND seq = ?")) {
          st.setBytes(1, merged.update());
          st.setLong(2, Db.crc(merged.update()));
          st.setLong(3, log.docId);
          st.setLong(4, mergedSeq);
          st.executeUpdate();
        }
        try (PreparedStatement st =
            c.prepareStatement("DELETE FROM nodenogg_updates WHERE doc_id = ? AND seq = ANY(?)")) {
          st.setLong(1, log.docId);
          st.setArray(2, c.createArrayOf("bigint", drop.toArray()));
          st.executeUpdate();
        }
        try (PreparedStatement st =
            c.prepareStatement(
                "UPDATE nodenogg_documents d SET update_count = s.n,"
                    + " update_bytes = s.b, updated_at = ? FROM (SELECT count(*) AS n, coalesce(sum(length(data)), 0) AS b"
                    + " FROM nodenogg_updates WHERE doc_id = ?) s WHERE d.id = ?")) {
          st.setLong(1, System.currentTimeMillis());
          st.setLong(2, log.docId);
          st.setLong(3, log.docId);
          st.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      baselines.put(doc, new long[] {keptRows, keptBytes});
      return info(c, doc);
    } finally {
      try (PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
        st.setInt(1, COMPACTION_LOCK);
        st.setString(2, doc);
        st.executeQuery().close();
      }
    }
  }

  // ---------------------------------------------------------------- check, close

  public CheckReport check(UpdateFormat format) {
    List<String> integrity;
    try {
      integrity =
          pool.call(
              "check",
              c -> {
                try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT version FROM nodenogg_schema_version")) {
                  rs.next();
                  int v = rs.getInt(1);
                  return v == Schema.CURRENT
                      ? List.of("ok")
                      : List.of("schema version " + v + ", expected " + Schema.CURRENT);
                }
              });
    } catch (StoreException e) {
      integrity = List.of("the database cannot be read: " + e.getMessage());
    }
    List<String> names;
    try {
      names = list(format);
    } catch (StoreException e) {
      return new CheckReport(integrity, 0, Map.of("*", "cannot list documents: " + e.getMessage()));
    }
    Map<String, String> damaged = new LinkedHashMap<>();
    for (String name : names) {
      try {
        List<byte[]> rows = load(format, name);
        for (int i = 0; i < rows.size(); i++) {
          try {
            format.check(rows.get(i));
          } catch (StoreException e) {
            throw new CorruptDocumentException(
                name, "stored update #" + (i + 1) + " is malformed: " + e.getMessage(), e);
          }
        }
      } catch (StoreException e) {
        damaged.put(name, e.getMessage());
      }
    }
    return new CheckReport(integrity, names.size(), damaged);
  }

  /** Asks the database for {@code SELECT 1}: true when it answered (updates {@link #health()}). */
  public boolean ping() {
    try {
      pool.call(
          "ping",
          c -> {
            try (Statement st = c.createStatement()) {
              st.execute("SELECT 1");
            }
            return null;
          });
      health.reached();
      return true;
    } catch (StoreException e) {
      return false;
    }
  }

  public void close() {
    writer.close();
    compactions.shutdownNow();
    pool.close();
  }
}
