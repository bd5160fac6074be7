package nodenogg.crdt;

/** Event of a {@link YArray}; see {@link #delta()}. */
public final class YArrayEvent extends YEvent {
  YArrayEvent(YArray target, Transaction transaction) {
    super(target, transaction);
  }
}
