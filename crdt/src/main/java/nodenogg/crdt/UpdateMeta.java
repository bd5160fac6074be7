package nodenogg.crdt;

import java.util.Collections;
import java.util.Map;

/**
 * Clock ranges of an update per client (yjs parseUpdateMeta): {@link #from()} is the first clock,
 * {@link #to()} the clock after the last struct, both in the update's client order. Immutable.
 */
public final class UpdateMeta {
  private final Map<Long, Long> from;
  private final Map<Long, Long> to;

  UpdateMeta(Map<Long, Long> from, Map<Long, Long> to) {
    this.from = Collections.unmodifiableMap(from);
    this.to = Collections.unmodifiableMap(to);
  }

  /** client -> first clock in the update. */
  public Map<Long, Long> from() {
    return from;
  }

  /** client -> clock after the last struct of the update. */
  public Map<Long, Long> to() {
    return to;
  }

  @Override
  public String toString() {
    return "UpdateMeta{from=" + from + ", to=" + to + "}";
  }
}
