package nodenogg.crdt;

/** Receives the v1 update bytes of every transaction that changed the document. */
@FunctionalInterface
public interface UpdateListener {
  void onUpdate(byte[] update, Object origin, Transaction transaction);
}
