package nodenogg.crdt;

/**
 * What applying an update to a {@link Doc} did ({@link Doc#applyUpdate}, {@link
 * Doc#applyUpdateV2}). Immutable and safe to share between threads; {@link #update()} is the array
 * the Doc's update listeners received too, so treat it as read-only.
 */
public final class ApplyResult {
  private final byte[] update;
  private final boolean pendingStructs;
  private final boolean pendingDeletes;

  ApplyResult(byte[] update, boolean pendingStructs, boolean pendingDeletes) {
    this.update = update;
    this.pendingStructs = pendingStructs;
    this.pendingDeletes = pendingDeletes;
  }

  /**
   * True when the document changed: structs were integrated or content deleted (an update event was
   * emitted). False for an update the document already had, or one that is only kept pending.
   */
  public boolean changed() {
    return update != null;
  }

  /**
   * The update the document emitted for this change (what its update listeners received: only what
   * was new to it, v1 for {@code applyUpdate}, v2 for {@code applyUpdateV2}), or null when nothing
   * changed.
   */
  public byte[] update() {
    return update;
  }

  /**
   * True when structs wait for missing dependencies after this update (yjs {@code
   * store.pendingStructs}).
   */
  public boolean pendingStructs() {
    return pendingStructs;
  }

  /**
   * True when deletions wait for the structs they delete after this update (yjs {@code
   * store.pendingDs}).
   */
  public boolean pendingDeletes() {
    return pendingDeletes;
  }

  /**
   * Either kind is pending: the document holds data it cannot show yet (see {@link
   * Doc#hasPending()}).
   */
  public boolean hasPending() {
    return pendingStructs || pendingDeletes;
  }

  @Override
  public String toString() {
    return "ApplyResult{changed="
        + changed()
        + (update != null ? ", update=" + update.length + " bytes" : "")
        + ", pendingStructs="
        + pendingStructs
        + ", pendingDeletes="
        + pendingDeletes
        + "}";
  }
}
