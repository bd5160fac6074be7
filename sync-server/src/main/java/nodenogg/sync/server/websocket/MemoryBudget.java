package nodenogg.sync.server.websocket;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A server-wide budget for memory held on behalf of clients: request heads, incoming frames and
 * reassembled messages, outgoing backlogs, and (through {@link #child}) the protocol handlers'
 * queues before authentication. Bytes are charged <em>before</em> they are allocated; a charge that
 * does not fit is refused and the caller closes the connection that asked (1013, try again later),
 * so the newest demand is shed and never the server. A child budget has its own, smaller limit and
 * charges its parent too, so that for example unauthenticated clients can never hold more than
 * their share. Thread-safe (lock-free).
 */
public final class MemoryBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final MemoryBudget parent;

  /** A budget of {@code limit} bytes. */
  public MemoryBudget(long limit) {
    this(limit, null);
  }

  private MemoryBudget(long limit, MemoryBudget parent) {
    if (limit < 1) {
      throw new IllegalArgumentException("a memory budget must be positive, got " + limit);
    }
    this.limit = limit;
    this.parent = parent;
  }

  /** A sub-budget of at most {@code limit} bytes whose charges also count against this one. */
  public MemoryBudget child(long limit) {
    return new MemoryBudget(Math.min(limit, this.limit), this);
  }

  /**
   * Charges {@code bytes} if they fit here (and in every parent); false, charging nothing, if not.
   */
  public boolean tryCharge(long bytes) {
    if (bytes <= 0) {
      return true;
    }
    while (true) {
      long now = used.get();
      if (now + bytes > limit) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        break;
      }
    }
    if (parent != null && !parent.tryCharge(bytes)) {
      used.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /** Returns {@code bytes} charged earlier. */
  public void release(long bytes) {
    if (bytes <= 0) {
      return;
    }
    used.addAndGet(-bytes);
    if (parent != null) {
      parent.release(bytes);
    }
  }

  public long limit() {
    return limit;
  }

  /** Bytes charged now. */
  public long used() {
    return used.get();
  }

  /** Bytes that can still be charged here (ignoring the parent). */
  public long available() {
    return limit - used.get();
  }

  /**
   * A default server-wide budget for a heap: a quarter of it, at most 256 MiB, at least {@code
   * floor}.
   */
  public static long defaultLimit(long floor) {
    long heapQuarter = Runtime.getRuntime().maxMemory() / 4;
    return Math.max(floor, Math.min(256L * 1024 * 1024, heapQuarter));
  }

  @Override
  public String toString() {
    return "MemoryBudget[" + used.get() + "/" + limit + "]";
  }
}
