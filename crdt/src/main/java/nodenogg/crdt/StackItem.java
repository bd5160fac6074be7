package nodenogg.crdt;

import java.util.HashMap;
import java.util.Map;

/**
 * One undo/redo step: the insertions and deletions it covers, plus mutable metadata (for example a
 * cursor position to restore). Thread-safety: guarded by the Doc's lock.
 */
public final class StackItem {
  DeleteSet deletions;
  DeleteSet insertions;
  private final Map<Object, Object> meta = new HashMap<>();

  StackItem(DeleteSet deletions, DeleteSet insertions) {
    this.deletions = deletions;
    this.insertions = insertions;
  }

  /** Mutable user metadata stored with this step. */
  public Map<Object, Object> meta() {
    return meta;
  }
}
