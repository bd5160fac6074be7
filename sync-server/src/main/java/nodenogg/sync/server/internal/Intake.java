package nodenogg.sync.server.internal;

import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.MemoryBudget;

/**
 * The messages of one connection handed to document executors and not handled yet. They are charged
 * to the server's memory budget, and while more than {@link #HIGH} bytes wait, reading from the
 * connection pauses (TCP then slows the client down) until they fall to {@link #LOW}: heavy work
 * runs off the event loop, so without this a fast client could queue without bound. Thread-safe.
 */
final class Intake {
  static final long HIGH = 1024 * 1024;
  static final long LOW = HIGH / 2;

  private final Connection conn;
  private final MemoryBudget budget;
  private long pending; // guarded by this
  private boolean paused; // guarded by this

  Intake(Connection conn, MemoryBudget budget) {
    this.conn = conn;
    this.budget = budget;
  }

  /**
   * Charges a message about to be handed over; false when it does not fit (close the connection,
   * 1013).
   */
  boolean admit(int bytes) {
    if (!budget.tryCharge(bytes)) {
      return false;
    }
    boolean pause;
    synchronized (this) {
      pending += bytes;
      pause = !paused && pending > HIGH;
      paused |= pause;
    }
    if (pause) {
      conn.pauseReading();
    }
    return true;
  }

  /** A message admitted earlier has been handled (or dropped). */
  void done(int bytes) {
    budget.release(bytes);
    boolean resume;
    synchronized (this) {
      pending -= bytes;
      resume = paused && pending <= LOW;
      paused &= !resume;
    }
    if (resume) {
      conn.resumeReading();
    }
  }
}
