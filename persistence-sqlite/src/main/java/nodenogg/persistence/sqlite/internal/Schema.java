package nodenogg.persistence.sqlite.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import nodenogg.persistence.StoreException;

/**
 * The database schema and its forward migrations. {@code schema_version} holds one row with the
 * version the file is at; each migration moves it up by one inside a single transaction, so a crash
 * mid-migration leaves the previous version intact. A file at a version newer than {@link #CURRENT}
 * is refused (it was written by a newer library and may hold data this one would mangle).
 */
public final class Schema {

  /** Migration {@code i} (0-based) brings the schema from version {@code i} to {@code i + 1}. */
  private static final List<List<String>> MIGRATIONS =
      List.of(
          // v1: documents and their append-only update logs
          List.of(
              "CREATE TABLE schema_version (version INTEGER NOT NULL)",
              "INSERT INTO schema_version (version) VALUES (0)",
              "CREATE TABLE documents ("
                  + " id INTEGER PRIMARY KEY,"
                  + " name TEXT NOT NULL UNIQUE,"
                  + " last_seq INTEGER NOT NULL DEFAULT 0," // highest seq ever used (survives
                  // compaction)
                  + " update_count INTEGER NOT NULL DEFAULT 0,"
                  + " update_bytes INTEGER NOT NULL DEFAULT 0,"
                  + " state_vector BLOB NOT NULL," // the format's version of the stored log (Yjs:
                  // v1 state vector)
                  + " coverage BLOB NOT NULL," // what the log covers (UpdateFormat.Coverage; Yjs:
                  // clock ranges)
                  + " updated_at INTEGER NOT NULL)", // epoch millis of the last write
              "CREATE TABLE updates ("
                  + " doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
                  + " seq INTEGER NOT NULL,"
                  + " data BLOB NOT NULL," // one update in the document's format
                  + " crc32 INTEGER NOT NULL," // CRC-32 of data: detects damaged rows
                  + " PRIMARY KEY (doc_id, seq))"),
          // v2: small per-document key/value metadata
          List.of(
              "CREATE TABLE metadata ("
                  + " doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
                  + " key TEXT NOT NULL,"
                  + " value TEXT NOT NULL,"
                  + " PRIMARY KEY (doc_id, key)) WITHOUT ROWID"),
          // v3: the format of each document's updates (UpdateFormat.name()); every earlier document
          // holds Yjs v1 updates
          List.of("ALTER TABLE documents ADD COLUMN format TEXT NOT NULL DEFAULT 'yjs-update-v1'"));

  /** The schema version this library writes. */
  public static final int CURRENT = MIGRATIONS.size();

  private Schema() {}

  /** The file's schema version; 0 for an empty database. */
  public static int version(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
      rs.next();
      if (rs.getInt(1) == 0) {
        return 0;
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM schema_version")) {
      if (!rs.next()) {
        throw new StoreException(
            "the schema_version table is empty; this file was not written by nodenogg persistence-sqlite");
      }
      return rs.getInt(1);
    }
  }

  /**
   * Migrates an auto-commit connection up to {@code target} (tests use targets below {@link
   * #CURRENT}).
   */
  public static void migrate(Connection c, String fileName, int target) throws SQLException {
    int v = version(c);
    if (v > CURRENT) {
      throw new StoreException(
          fileName
              + " has schema version "
              + v
              + " but this library reads at most "
              + CURRENT
              + "; open it with a newer nodenogg-sync");
    }
    if (v == 0) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
        rs.next();
        if (rs.getInt(1) > 0) {
          throw new StoreException(
              fileName
                  + " is a SQLite database but not an update store (it has other tables); use another file");
        }
      }
    }
    for (; v < target; v++) {
      try (Statement st = c.createStatement()) {
        st.execute("BEGIN IMMEDIATE");
        try {
          for (String sql : MIGRATIONS.get(v)) {
            st.execute(sql);
          }
          st.execute("UPDATE schema_version SET version = " + (v + 1));
          st.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
          try {
            st.execute("ROLLBACK");
          } catch (SQLException ignored) {
            // the original error is what matters
          }
          throw e;
        }
      }
    }
  }
}
