package nodenogg.ymicrocosm.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import nodenogg.crdt.YMap;

/**
 * Undo/redo for one collection map whose values are always written whole (the microcosm layout).
 *
 * <p>Each local edit records, per touched key, the value before and after (absent = {@link
 * #ABSENT}). Undo writes the "before" values back, redo the "after" values, each only for keys
 * whose current value is still the one the step left behind: a key that someone else changed since
 * is skipped, which matches what Yjs' UndoManager does for map entries overwritten by another peer.
 * Changes by others never enter the stacks. A new edit clears the redo stack. Edits closer together
 * than the capture timeout merge into one step.
 *
 * <p>Not thread-safe on its own: every method must run inside a transaction of the document (under
 * its lock), which the microcosm guarantees.
 */
public final class CollectionUndo {
  /** Marker for "key not present". */
  public static final Object ABSENT =
      new Object() {
        @Override
        public String toString() {
          return "<absent>";
        }
      };

  private record Change(Object before, Object after) {}

  private static final class Step {
    final Map<String, Change> changes = new LinkedHashMap<>();
    long lastMillis;
  }

  private final YMap map;
  private final long captureTimeoutMillis;
  private final LongSupplier clock;
  private final Deque<Step> undo = new ArrayDeque<>();
  private final Deque<Step> redo = new ArrayDeque<>();
  private Step open;
  private boolean stopped = true;

  public CollectionUndo(YMap map, long captureTimeoutMillis, LongSupplier clock) {
    this.map = Objects.requireNonNull(map, "map");
    this.captureTimeoutMillis = captureTimeoutMillis;
    this.clock = clock;
  }

  /** The next edit starts a new step even within the capture timeout. */
  public void stopCapturing() {
    stopped = true;
  }

  /** Starts recording one edit; follow with {@link #set}/{@link #delete}, then {@link #end}. */
  public void begin() {
    long now = clock.getAsLong();
    Step top = undo.peek();
    if (!stopped && top != null && now - top.lastMillis < captureTimeoutMillis) {
      open = top;
    } else {
      open = new Step();
    }
    open.lastMillis = now;
  }

  /** Writes {@code value} under {@code key}, recording the change. */
  public void set(String key, Object value) {
    record(key, value);
    map.set(key, value);
  }

  /** Deletes {@code key} if present, recording the change; returns whether it was present. */
  public boolean delete(String key) {
    if (!map.has(key)) {
      return false;
    }
    record(key, ABSENT);
    map.delete(key);
    return true;
  }

  private void record(String key, Object after) {
    Change prev = open.changes.get(key);
    Object before = prev != null ? prev.before : current(key);
    open.changes.put(key, new Change(before, after));
  }

  /** Finishes the edit started by {@link #begin}. */
  public void end() {
    Step s = open;
    open = null;
    if (s == null || s.changes.isEmpty()) {
      return;
    }
    if (undo.peek() != s) {
      undo.push(s);
    }
    redo.clear();
    stopped = captureTimeoutMillis <= 0;
  }

  public boolean canUndo() {
    return !undo.isEmpty();
  }

  public boolean canRedo() {
    return !redo.isEmpty();
  }

  /** Reverts the newest step; returns false when there is none. */
  public boolean undo() {
    Step s = undo.poll();
    if (s == null) {
      return false;
    }
    apply(s, true);
    redo.push(s);
    stopped = true;
    return true;
  }

  /** Re-applies the newest undone step; returns false when there is none. */
  public boolean redo() {
    Step s = redo.poll();
    if (s == null) {
      return false;
    }
    apply(s, false);
    undo.push(s);
    stopped = true;
    return true;
  }

  private void apply(Step s, boolean backwards) {
    for (Map.Entry<String, Change> e : s.changes.entrySet()) {
      Object expected = backwards ? e.getValue().after : e.getValue().before;
      Object target = backwards ? e.getValue().before : e.getValue().after;
      if (!Objects.equals(current(e.getKey()), expected)) {
        continue; // changed by someone else since: leave their value
      }
      if (target == ABSENT) {
        map.delete(e.getKey());
      } else {
        map.set(e.getKey(), target);
      }
    }
  }

  private Object current(String key) {
    return map.has(key) ? map.get(key) : ABSENT;
  }
}
