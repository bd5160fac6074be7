package nodenogg.persistence.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import nodenogg.persistence.StoreException;

/**
 * A fixed number of connections for reads and administration, opened on first use. A call that
 * fails because its connection died is retried once on a fresh connection (the server may have
 * restarted since the connection was last used); a second failure is reported to the caller.
 * Thread-safe.
 */
final class ReadPool {

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final Db db;
  private final Semaphore permits;
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  private final Health health;
  private boolean closed;

  ReadPool(Db db, int size, Health health) {
    this.db = db;
    this.permits = new Semaphore(size, true);
    this.health = health;
  }

  /** Runs {@code work} on a pooled connection in auto-commit mode. */
  <T> T call(String what, Work<T> work) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a database connection", e);
    }
    try {
      for (int attempt = 0; ; attempt++) {
        Connection c = null;
        try {
          c = take();
          T result = work.run(c);
          give(c);
          return result;
        } catch (SQLException e) {
          if (c != null) {
            reset(c, e);
          }
          if (Db.isUnreachable(e)) {
            health.unreachable(e);
            if (attempt == 0) {
              continue; // the connection may have died while idle: one retry on a new one
            }
          }
          throw db.failure(what, e);
        } catch (RuntimeException e) {
          if (c != null) {
            reset(c, null);
          }
          throw e;
        }
      }
    } finally {
      permits.release();
    }
  }

  private Connection take() throws SQLException {
    synchronized (this) {
      if (closed) {
        throw new StoreException("the PostgreSQL update store is closed");
      }
      Connection c = idle.pollFirst();
      if (c != null) {
        return c;
      }
    }
    Connection c = db.connect();
    health.reached();
    return c;
  }

  private void give(Connection c) {
    synchronized (this) {
      if (!closed) {
        idle.addFirst(c);
        return;
      }
    }
    Db.closeQuietly(c);
  }

  /** After a failure: a dead connection is closed, a live one rolled back and kept. */
  private void reset(Connection c, SQLException e) {
    if (e != null && Db.isUnreachable(e)) {
      Db.closeQuietly(c);
      return;
    }
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
      give(c);
    } catch (SQLException ignored) {
      Db.closeQuietly(c);
    }
  }

  void close() {
    synchronized (this) {
      closed = true;
      for (Connection c : idle) {
        Db.closeQuietly(c);
      }
      idle.clear();
    }
  }
}
