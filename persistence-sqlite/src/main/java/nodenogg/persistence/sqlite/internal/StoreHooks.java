package nodenogg.persistence.sqlite.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Test seam of the store: named points in the write path where a test can inject a failure ({@code
 * SQLException}) or stop the JVM ({@code Runtime.halt}), and a wrapper around the JDBC connection
 * (for I/O fault injection). Production code uses {@link #NONE}.
 */
public interface StoreHooks {

  /** Points in the write path, in the order a batch passes them. */
  enum Point {
    /** Batch encoded and validated, before the transaction starts. */
    BEFORE_BEGIN,
    /** Rows inserted, before COMMIT. */
    BEFORE_COMMIT,
    /** COMMIT returned, before any acknowledgement is released. */
    AFTER_COMMIT,
    /** Compaction: merged row inserted, old rows not yet deleted (same transaction). */
    COMPACTION_BETWEEN,
    /** Before a WAL checkpoint. */
    CHECKPOINT
  }

  /** No hooks. */
  StoreHooks NONE = new StoreHooks() {};

  /** Called at each point; may throw to simulate a failure there or halt the JVM. */
  default void at(Point point) throws SQLException {}

  /** Committed bytes between background checkpoints (tests lower it to reach CHECKPOINT sooner). */
  default long checkpointEveryBytes() {
    return 2L << 20;
  }

  /** Wraps the connection the store will use. */
  default Connection wrap(Connection connection) {
    return connection;
  }
}
