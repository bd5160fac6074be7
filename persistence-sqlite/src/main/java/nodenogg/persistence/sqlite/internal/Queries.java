package nodenogg.persistence.sqlite.internal;

import java.nio.file.Path;
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
import java.util.zip.CRC32;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.DocumentInfo;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.sqlite.Durability;
import nodenogg.persistence.sqlite.StoreOptions;

/**
 * Every SQL statement of the store (the schema's DDL is in {@link Schema}), as static functions
 * over a connection. The writer's connection is used on the writer thread only; {@link
 * Checkpointer} has its own.
 */
final class Queries {

  /** A document's log as read back, checksums verified. */
  static final class Log {
    final List<byte[]> rows = new ArrayList<>();
    final List<Long> seqs = new ArrayList<>();
    long maxSeq;
  }

  private Queries() {}

  static long crc(byte[] data) {
    CRC32 c = new CRC32();
    c.update(data);
    return c.getValue();
  }

  // ---------------------------------------------------------------- connection settings

  /**
   * Sets and reads back the writer connection's pragmas (WAL, synchronous, foreign keys, busy
   * timeout).
   */
  static void configure(Connection c, Path file, StoreOptions options) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + options.busyTimeout().toMillis());
      String mode = scalarString(c, "PRAGMA journal_mode = WAL");
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new StoreException(
            "SQLite refused WAL mode for "
                + file
                + " (journal_mode is "
                + mode
                + "); use a local file system, not a network share");
      }
      int sync = synchronous(options);
      st.execute("PRAGMA synchronous = " + sync);
      st.execute("PRAGMA foreign_keys = ON");
      if (scalarLong(c, "PRAGMA synchronous") != sync
          || scalarLong(c, "PRAGMA foreign_keys") != 1) {
        throw new StoreException(
            "SQLite did not accept synchronous/foreign_keys settings for " + file);
      }
    }
  }

  /** The checkpoint connection's pragmas. */
  static void configureCheckpointer(Connection c, StoreOptions options) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = " + options.busyTimeout().toMillis());
      st.execute("PRAGMA synchronous = " + synchronous(options));
    }
  }

  private static int synchronous(StoreOptions options) {
    return options.durability() == Durability.FULL ? 2 : 1;
  }

  /** Checkpoints run on their own thread: the writer never checkpoints inside a commit. */
  static void disableAutoCheckpoint(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA wal_autocheckpoint = 0");
    }
  }

  static void checkpointPassive(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      rs.next();
    }
  }

  static void checkpointTruncate(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  /**
   * Changes whenever another connection commits (sqlite.org {@code
   * pragma.html#pragma_data_version}).
   */
  static long dataVersion(Connection c) throws SQLException {
    return scalarLong(c, "PRAGMA data_version");
  }

  static Map<String, String> settings(Connection c) throws SQLException {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("journal_mode", scalarString(c, "PRAGMA journal_mode"));
    m.put("synchronous", scalarString(c, "PRAGMA synchronous"));
    m.put("foreign_keys", scalarString(c, "PRAGMA foreign_keys"));
    m.put("busy_timeout", scalarString(c, "PRAGMA busy_timeout"));
    m.put("wal_autocheckpoint", scalarString(c, "PRAGMA wal_autocheckpoint"));
    return m;
  }

  static List<String> integrityCheck(Connection c) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return lines;
  }

  // ---------------------------------------------------------------- transactions

  static void beginImmediate(Statement st) throws SQLException {
    st.execute("BEGIN IMMEDIATE");
  }

  static void commit(Statement st) throws SQLException {
    st.execute("COMMIT");
  }

  static void rollback(Statement st) throws SQLException {
    st.execute("ROLLBACK");
  }

  // ---------------------------------------------------------------- documents

  /** The format a document is stored in, or empty if the document is unknown. */
  static Optional<String> formatOf(Connection c, String doc) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT format FROM documents WHERE name = ?")) {
      ps.setString(1, doc);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  static Optional<DocumentInfo> info(Connection c, String doc) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT update_count, update_bytes FROM documents WHERE name = ?")) {
      ps.setString(1, doc);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new DocumentInfo(doc, rs.getLong(1), rs.getLong(2)))
            : Optional.empty();
      }
    }
  }

  /** Names of the documents stored in {@code format}, sorted. */
  static List<String> names(Connection c, String format) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT name FROM documents WHERE format = ? ORDER BY name")) {
      ps.setString(1, format);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }

  /** Every document name with its format, sorted by name. */
  static Map<String, String> formats(Connection c) throws SQLException {
    Map<String, String> m = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT name, format FROM documents ORDER BY name")) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getString(2));
      }
    }
    return m;
  }

  /**
   * The stored version bytes (the {@code state_vector} column), or null if the document is unknown.
   */
  static byte[] version(Connection c, String doc) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT state_vector FROM documents WHERE name = ?")) {
      ps.setString(1, doc);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }

  /** Every documents row, as cache entries (coverage still encoded; see {@link DocState}). */
  static Map<String, DocState> loadStates(Connection c) throws SQLException {
    Map<String, DocState> states = new LinkedHashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT id, name, format, last_seq, update_count, update_bytes, coverage FROM documents")) {
      while (rs.next()) {
        DocState s = new DocState(rs.getLong(1), rs.getString(2), rs.getString(3));
        s.lastSeq = rs.getLong(4);
        s.count = rs.getLong(5);
        s.bytes = rs.getLong(6);
        s.storedCoverage = rs.getBytes(7);
        states.put(s.name, s);
      }
    }
    return states;
  }

  static long insertDocument(
      Connection c, String name, String format, byte[] version, byte[] coverage, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO documents (name, format, state_vector, coverage, updated_at) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, name);
      ps.setString(2, format);
      ps.setBytes(3, version);
      ps.setBytes(4, coverage);
      ps.setLong(5, now);
      ps.executeUpdate();
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Writes a cached row back after appends: sequence, log size, version and coverage. */
  static void updateDocument(Connection c, DocState s, byte[] version, byte[] coverage, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE documents SET last_seq = ?, update_count = ?, update_bytes = ?,"
                + " state_vector = ?, coverage = ?, updated_at = ? WHERE id = ?")) {
      ps.setLong(1, s.lastSeq);
      ps.setLong(2, s.count);
      ps.setLong(3, s.bytes);
      ps.setBytes(4, version);
      ps.setBytes(5, coverage);
      ps.setLong(6, now);
      ps.setLong(7, s.id);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("documents row " + s.id + " of '" + s.name + "' vanished");
      }
    }
  }

  /** Deletes a document; its updates and metadata go with it (ON DELETE CASCADE). */
  static boolean deleteDocument(Connection c, String doc) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM documents WHERE name = ?")) {
      ps.setString(1, doc);
      return ps.executeUpdate() > 0;
    }
  }

  static void deleteDocuments(Connection c, String format) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM documents WHERE format = ?")) {
      ps.setString(1, format);
      ps.executeUpdate();
    }
  }

  // ---------------------------------------------------------------- metadata

  static Map<String, String> metadata(Connection c, String doc) throws SQLException {
    Map<String, String> m = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT m.key, m.value FROM metadata m JOIN documents d ON d.id = m.doc_id WHERE d.name = ? ORDER BY m.key")) {
      ps.setString(1, doc);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          m.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return m;
  }

  /** Sets ({@code value != null}) or removes one metadata entry of a document row. */
  static void putMetadata(Connection c, long docId, String key, String value) throws SQLException {
    String sql =
        value == null
            ? "DELETE FROM metadata WHERE doc_id = ? AND key = ?"
            : "INSERT OR REPLACE INTO metadata (doc_id, key, value) VALUES (?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, docId);
      ps.setString(2, key);
      if (value != null) {
        ps.setString(3, value);
      }
      ps.executeUpdate();
    }
  }

  // ---------------------------------------------------------------- update logs

  /** The statement the writer batches appends into (kept open for the store's lifetime). */
  static PreparedStatement prepareInsertUpdate(Connection c) throws SQLException {
    return c.prepareStatement("INSERT INTO updates (doc_id, seq, data, crc32) VALUES (?, ?, ?, ?)");
  }

  static void addUpdate(PreparedStatement insert, long docId, long seq, byte[] data)
      throws SQLException {
    insert.setLong(1, docId);
    insert.setLong(2, seq);
    insert.setBytes(3, data);
    insert.setLong(4, crc(data));
    insert.addBatch();
  }

  /**
   * Reads {@code doc}'s log (empty log if unknown); a damaged row or page gives {@link
   * CorruptDocumentException}.
   */
  static Log readLog(Connection c, String doc) throws SQLException {
    Log log = new Log();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT u.seq, u.data, u.crc32 FROM updates u JOIN documents d ON d.id = u.doc_id WHERE d.name = ? ORDER BY u.seq")) {
      ps.setString(1, doc);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          byte[] data = rs.getBytes(2);
          if (data == null || crc(data) != rs.getLong(3)) {
            throw new CorruptDocumentException(
                doc, "update row seq " + seq + " fails its CRC-32 check", null);
          }
          log.rows.add(data);
          log.seqs.add(seq);
          log.maxSeq = seq;
        }
      }
    } catch (SQLException e) {
      if (SqliteErrors.isCorruption(e)) {
        throw new CorruptDocumentException(doc, "SQLite reports " + e.getMessage(), e);
      }
      throw e;
    }
    return log;
  }

  /** Rows of a document log with {@code seq <= maxSeq}. */
  static long countRowsUpTo(Connection c, long docId, long maxSeq) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT count(*) FROM updates WHERE doc_id = ? AND seq <= ?")) {
      ps.setLong(1, docId);
      ps.setLong(2, maxSeq);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Writes {@code data} as row {@code seq}, replacing the row there. */
  static void replaceUpdate(Connection c, long docId, long seq, byte[] data) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT OR REPLACE INTO updates (doc_id, seq, data, crc32) VALUES (?, ?, ?, ?)")) {
      ps.setLong(1, docId);
      ps.setLong(2, seq);
      ps.setBytes(3, data);
      ps.setLong(4, crc(data));
      ps.executeUpdate();
    }
  }

  static void deleteUpdates(Connection c, long docId, List<Long> seqs) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM updates WHERE doc_id = ? AND seq = ?")) {
      for (Long seq : seqs) {
        ps.setLong(1, docId);
        ps.setLong(2, seq);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Counts and sizes a document's log from its rows and writes both to its documents row: {count,
   * bytes}.
   */
  static long[] recountLog(Connection c, long docId, long now) throws SQLException {
    long[] size = new long[2];
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*), coalesce(sum(length(data)), 0) FROM updates WHERE doc_id = ?")) {
      ps.setLong(1, docId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        size[0] = rs.getLong(1);
        size[1] = rs.getLong(2);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE documents SET update_count = ?, update_bytes = ?, updated_at = ? WHERE id = ?")) {
      ps.setLong(1, size[0]);
      ps.setLong(2, size[1]);
      ps.setLong(3, now);
      ps.setLong(4, docId);
      ps.executeUpdate();
    }
    return size;
  }

  // ---------------------------------------------------------------- helpers

  static long scalarLong(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String scalarString(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
