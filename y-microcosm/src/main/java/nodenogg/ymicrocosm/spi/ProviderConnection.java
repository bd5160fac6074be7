package nodenogg.ymicrocosm.spi;

/** A running provider attachment; {@link #close()} disconnects and stops syncing. Idempotent. */
@FunctionalInterface
public interface ProviderConnection extends AutoCloseable {
  @Override
  void close();
}
