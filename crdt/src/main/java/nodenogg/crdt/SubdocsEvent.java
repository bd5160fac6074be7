package nodenogg.crdt;

import java.util.Collections;
import java.util.Set;

/**
 * The 'subdocs' event of a Doc (yjs): sub-documents loaded, added and removed by one transaction,
 * in insertion order. Only valid during the listener call. Thread-safety: immutable sets.
 */
public final class SubdocsEvent {
  private final Set<Doc> loaded;
  private final Set<Doc> added;
  private final Set<Doc> removed;
  private final Transaction transaction;

  SubdocsEvent(Set<Doc> loaded, Set<Doc> added, Set<Doc> removed, Transaction transaction) {
    this.loaded = Collections.unmodifiableSet(loaded);
    this.added = Collections.unmodifiableSet(added);
    this.removed = Collections.unmodifiableSet(removed);
    this.transaction = transaction;
  }

  public Set<Doc> loaded() {
    return loaded;
  }

  public Set<Doc> added() {
    return added;
  }

  public Set<Doc> removed() {
    return removed;
  }

  public Transaction transaction() {
    return transaction;
  }
}
