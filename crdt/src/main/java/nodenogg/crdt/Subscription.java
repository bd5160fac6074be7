package nodenogg.crdt;

/** Handle of a registered listener; {@link #close()} unsubscribes (idempotent). */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
