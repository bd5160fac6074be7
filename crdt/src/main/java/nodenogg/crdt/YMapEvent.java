package nodenogg.crdt;

import java.util.Set;

/** Event of a {@link YMap}: {@link #keysChanged()} and {@link #keys()}. */
public final class YMapEvent extends YEvent {
  private final Set<String> keysChanged;

  YMapEvent(YMap target, Transaction transaction, Set<String> keysChanged) {
    super(target, transaction);
    this.keysChanged = keysChanged;
  }

  /** Keys touched by the transaction. */
  public Set<String> keysChanged() {
    return keysChanged;
  }
}
