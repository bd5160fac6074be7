package nodenogg.persistence.postgres.internal;

import java.sql.SQLException;

/** Whether the database answered last time we asked, and since when it has not. Thread-safe. */
public final class Health {

  private volatile String problem;
  private volatile long since;

  /** A connection or statement reached the database. */
  void reached() {
    problem = null;
  }

  void unreachable(SQLException e) {
    if (problem == null) {
      since = System.currentTimeMillis();
    }
    problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Null when healthy, else what failed. */
  public String problem() {
    return problem;
  }

  /**
   * Epoch millis since when the database is unreachable (meaningful only while {@link #problem()}
   * is set).
   */
  public long since() {
    return since;
  }
}
