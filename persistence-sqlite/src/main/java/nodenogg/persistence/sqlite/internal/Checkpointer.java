package nodenogg.persistence.sqlite.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import nodenogg.persistence.sqlite.StoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.JDBC;

/**
 * Moves WAL checkpoints off the writer thread. SQLite's automatic checkpoint runs inside the COMMIT
 * that crosses the threshold and, with {@code synchronous=FULL}, writes and fsyncs the database
 * file there: a stall of tens of milliseconds for every append waiting on that commit. Instead the
 * writer connection runs with {@code wal_autocheckpoint=0} and this thread runs a PASSIVE
 * checkpoint (never waits for, nor blocks, the writer) on its own connection once about 2 MB
 * ({@link StoreHooks#checkpointEveryBytes()}) were committed (SQLite's own default is 1000 pages,
 * about 4 MB of WAL), or at most every {@link #MAX_DELAY_MS} ms when less was written, so that
 * checkpoint fsyncs do not multiply.
 *
 * <p>Both connections live in the same SQLite library, which shares one lock state per file across
 * a process's connections, so closing one does not drop the other's POSIX locks. A checkpoint never
 * loses committed data: an interrupted checkpoint is redone from the WAL on next open.
 */
final class Checkpointer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
  static final long PERIOD_MS = 100;
  static final long MAX_DELAY_MS = 5_000;

  private final Connection conn;
  private final StoreHooks hooks;
  private final Thread thread;
  private volatile boolean stop;
  private final java.util.concurrent.atomic.AtomicLong written =
      new java.util.concurrent.atomic.AtomicLong();

  private Checkpointer(Connection conn, StoreHooks hooks, String name) {
    this.conn = conn;
    this.hooks = hooks;
    this.thread = new Thread(this::run, "sqlite-store-checkpoint " + name);
    this.thread.setDaemon(true);
  }

  /**
   * Starts a checkpointer for {@code file}, or returns null (and the writer keeps
   * auto-checkpointing).
   */
  static Checkpointer start(Path file, StoreOptions options, StoreHooks hooks) {
    Connection c = null;
    try {
      c = JDBC.createConnection("jdbc:sqlite:" + file, new Properties());
      Queries.configureCheckpointer(c, options);
      Checkpointer cp = new Checkpointer(c, hooks, String.valueOf(file.getFileName()));
      cp.thread.start();
      return cp;
    } catch (SQLException e) {
      LOG.warn(
          "no background checkpointer for {} ({}); SQLite will checkpoint during commits",
          file,
          e.getMessage());
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // giving up on it anyway
        }
      }
      return null;
    }
  }

  /** Called by the writer after each commit with the bytes it stored. */
  void committed(long bytes) {
    written.addAndGet(bytes);
  }

  private void run() {
    long last = System.nanoTime();
    while (!stop) {
      try {
        TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
      long pending = written.get();
      boolean due =
          pending >= hooks.checkpointEveryBytes()
              || (pending > 0
                  && System.nanoTime() - last > TimeUnit.MILLISECONDS.toNanos(MAX_DELAY_MS));
      if (stop || !due) {
        continue;
      }
      written.addAndGet(-pending);
      last = System.nanoTime();
      try {
        hooks.at(StoreHooks.Point.CHECKPOINT);
        Queries.checkpointPassive(conn);
      } catch (SQLException e) {
        LOG.debug("passive checkpoint skipped: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      conn.close();
    } catch (SQLException e) {
      LOG.debug("closing the checkpoint connection: {}", e.getMessage());
    }
  }
}
