package nodenogg.persistence.postgres.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import nodenogg.persistence.StoreException;

/**
 * The store's tables and their forward migrations. Every table is named {@code nodenogg_*} and
 * lives in the connection's current schema (set {@code currentSchema} in the JDBC URL to keep it
 * apart). {@code nodenogg_schema_version} holds the version the database is at; each migration
 * moves it up by one inside a single transaction (PostgreSQL DDL is transactional), under an
 * advisory lock, so that several instances starting at once migrate exactly once and a failed
 * migration leaves the previous version intact. A database at a version newer than {@link #CURRENT}
 * is refused.
 */
public final class Schema {

  /** Advisory lock key held while migrating (any constant; "nnsync" in ASCII). */
  static final long MIGRATION_LOCK = 0x6e6e73796e63L;

  /** Migration {@code i} (0-based) brings the schema from version {@code i} to {@code i + 1}. */
  private static final List<List<String>> MIGRATIONS =
      List.of(
          // v1: documents, their append-only update logs and small metadata
          List.of(
              "CREATE TABLE nodenogg_schema_version (version integer NOT NULL)",
              "INSERT INTO nodenogg_schema_version (version) VALUES (0)",
              "CREATE TABLE nodenogg_documents ("
                  + " id bigserial PRIMARY KEY,"
                  + " name text NOT NULL UNIQUE,"
                  + " format text NOT NULL," // UpdateFormat.name() of every update of the log
                  + " last_seq bigint NOT NULL DEFAULT 0," // highest seq ever used (survives
                  // compaction)
                  + " update_count bigint NOT NULL DEFAULT 0,"
                  + " update_bytes bigint NOT NULL DEFAULT 0,"
                  + " state_vector bytea NOT NULL," // the format's version of the stored log
                  + " coverage bytea NOT NULL," // what the log covers (UpdateFormat.Coverage)
                  + " updated_at bigint NOT NULL)", // epoch millis of the last write
              "CREATE INDEX nodenogg_documents_format ON nodenogg_documents (format, name)",
              "CREATE TABLE nodenogg_updates ("
                  + " doc_id bigint NOT NULL REFERENCES nodenogg_documents(id) ON DELETE CASCADE,"
                  + " seq bigint NOT NULL,"
                  + " data bytea NOT NULL," // one update in the document's format
                  + " crc32 bigint NOT NULL," // CRC-32 of data: detects damaged rows
                  + " written_by text," // the instance that received it (diagnostics)
                  + " PRIMARY KEY (doc_id, seq))",
              "CREATE TABLE nodenogg_metadata ("
                  + " doc_id bigint NOT NULL REFERENCES nodenogg_documents(id) ON DELETE CASCADE,"
                  + " key text NOT NULL,"
                  + " value text NOT NULL,"
                  + " PRIMARY KEY (doc_id, key))"));

  /** The schema version this library writes. */
  public static final int CURRENT = MIGRATIONS.size();

  private Schema() {}

  /** The database's schema version; 0 when the store's tables do not exist yet. */
  public static int version(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        // an MVCC read of the catalog (not to_regclass, whose cache may predate a concurrent
        // migration)
        ResultSet rs =
            st.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE c.relname = 'nodenogg_schema_version' AND n.nspname = current_schema())")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return 0;
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM nodenogg_schema_version")) {
      if (!rs.next()) {
        throw new StoreException(
            "the table nodenogg_schema_version is empty; these tables were not written by"
                + " nodenogg persistence-postgres (use another schema or database)");
      }
      return rs.getInt(1);
    }
  }

  /**
   * Migrates up to {@code target} (tests use targets below {@link #CURRENT}); {@code c} is in
   * auto-commit mode and is left so.
   */
  public static void migrate(Connection c, String where, int target) throws SQLException {
    int v = version(c);
    if (v >= target) {
      check(v, where);
      return;
    }
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")"); // one migrator at a time
      v = version(c); // another instance may have migrated while we waited
      check(v, where);
      for (; v < target; v++) {
        for (String sql : MIGRATIONS.get(v)) {
          st.execute(sql);
        }
        st.execute("UPDATE nodenogg_schema_version SET version = " + (v + 1));
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the original error is what matters
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static void check(int v, String where) {
    if (v > CURRENT) {
      throw new StoreException(
          where
              + " has nodenogg schema version "
              + v
              + " but this library reads at most "
              + CURRENT
              + "; use a newer nodenogg-sync");
    }
  }
}
