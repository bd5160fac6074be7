package nodenogg.microcosm;

/** A registered listener; {@link #close()} removes it. Idempotent and thread-safe. */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
