package nodenogg.persistence.sqlite.internal;

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
import nodenogg.persistence.sqlite.CorruptDocumentException;
import nodenogg.persistence.sqlite.DocumentInfo;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The store's SQL, as static functions over a connection. Called on the writer thread only. */
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

  /** True for SQLite errors that mean the file itself is damaged. */
  static boolean isCorruption(SQLException e) {
    if (e instanceof SQLiteException) {
      SQLiteErrorCode code = ((SQLiteException) e).getResultCode();
      int primary = code.code & 0xff;
      return primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
    }
    return false;
  }

  /** Reads {@code doc}'s log (empty log if unknown); a damaged row or page gives {@link CorruptDocumentException}. */
  static Log readLog(Connection c, String doc) throws SQLException {
    Log log = new Log();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT u.seq, u.data, u.crc32 FROM updates u JOIN documents d ON d.id = u.doc_id WHERE d.name = ? ORDER BY u.seq")) {
      ps.setString(1, doc);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          byte[] data = rs.getBytes(2);
          if (data == null || crc(data) != rs.getLong(3)) {
            throw new CorruptDocumentException(doc, "update row seq " + seq + " fails its CRC-32 check", null);
          }
          log.rows.add(data);
          log.seqs.add(seq);
          log.maxSeq = seq;
        }
      }
    } catch (SQLException e) {
      if (isCorruption(e)) {
        throw new CorruptDocumentException(doc, "SQLite reports " + e.getMessage(), e);
      }
      throw e;
    }
    return log;
  }

  static Optional<DocumentInfo> info(Connection c, String doc) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT update_count, update_bytes FROM documents WHERE name = ?")) {
      ps.setString(1, doc);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new DocumentInfo(doc, rs.getLong(1), rs.getLong(2))) : Optional.empty();
      }
    }
  }

  static List<String> names(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM documents ORDER BY name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /** The stored state vector bytes, or null if the document is unknown. */
  static byte[] stateVector(Connection c, String doc) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT state_vector FROM documents WHERE name = ?")) {
      ps.setString(1, doc);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }

  static Map<String, String> metadata(Connection c, String doc) throws SQLException {
    Map<String, String> m = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
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

  /** Every documents row, as cache entries. A damaged coverage blob is rebuilt from the log. */
  static Map<String, DocState> loadStates(Connection c) throws SQLException {
    Map<String, DocState> states = new LinkedHashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT id, name, last_seq, update_count, update_bytes, coverage FROM documents")) {
      while (rs.next()) {
        String name = rs.getString(2);
        ClockCoverage cov;
        try {
          cov = ClockCoverage.decode(rs.getBytes(6));
        } catch (RuntimeException e) {
          cov = null;
        }
        DocState s = new DocState(rs.getLong(1), name, cov);
        s.lastSeq = rs.getLong(3);
        s.count = rs.getLong(4);
        s.bytes = rs.getLong(5);
        states.put(name, s);
      }
    }
    for (DocState s : states.values()) {
      if (s.coverage == null) {
        s.coverage = rebuildCoverage(c, s.name);
      }
    }
    return states;
  }

  /** Scans every row of the log; rows that cannot be read contribute nothing. */
  static ClockCoverage rebuildCoverage(Connection c, String doc) throws SQLException {
    ClockCoverage cov = new ClockCoverage();
    try {
      for (byte[] row : readLog(c, doc).rows) {
        UpdateScanner.scan(row, cov);
      }
    } catch (RuntimeException e) {
      // damaged document: its state vector will be incomplete; check() reports it
    }
    return cov;
  }

  static long insertDocument(Connection c, String name, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO documents (name, state_vector, coverage, updated_at) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, name);
      ps.setBytes(2, new byte[] {0});
      ps.setBytes(3, new byte[] {0});
      ps.setLong(4, now);
      ps.executeUpdate();
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void updateDocument(Connection c, DocState s, long now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE documents SET last_seq = ?, update_count = ?, update_bytes = ?,"
        + " state_vector = ?, coverage = ?, updated_at = ? WHERE id = ?")) {
      ps.setLong(1, s.lastSeq);
      ps.setLong(2, s.count);
      ps.setLong(3, s.bytes);
      ps.setBytes(4, s.coverage.encodeStateVector());
      ps.setBytes(5, s.coverage.encode());
      ps.setLong(6, now);
      ps.setLong(7, s.id);
      if (ps.executeUpdate() != 1) {
        throw new SQLException("documents row " + s.id + " of '" + s.name + "' vanished");
      }
    }
  }

  static long scalarLong(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String scalarString(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static List<String> integrityCheck(Connection c) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return lines;
  }
}
