package nodenogg.sync.server.internal;

import java.util.List;
import java.util.function.BiConsumer;
import nodenogg.sync.protocol.SyncDocument;

/**
 * A {@link SyncDocument} that times each client update it applies (updates replayed from the store,
 * whose origin is {@link DocumentRegistry#STORE_ORIGIN}, are not counted). Thread-safe as the
 * delegate.
 */
public final class TimedDocument implements SyncDocument {
  private final SyncDocument delegate;
  private final Telemetry telemetry;

  public TimedDocument(SyncDocument delegate, Telemetry telemetry) {
    this.delegate = delegate;
    this.telemetry = telemetry;
  }

  @Override
  public byte[] stateVector() {
    return delegate.stateVector();
  }

  @Override
  public byte[] diff(byte[] remoteStateVector) {
    return delegate.diff(remoteStateVector);
  }

  @Override
  public Applied apply(byte[] update, Object origin) {
    if (origin == DocumentRegistry.STORE_ORIGIN) {
      return delegate.apply(update, origin);
    }
    long t0 = System.nanoTime();
    Applied applied = delegate.apply(update, origin);
    telemetry.updateApplied(System.nanoTime() - t0, update.length);
    return applied;
  }

  @Override
  public boolean containsUpdate(byte[] update) {
    return delegate.containsUpdate(update);
  }

  @Override
  public byte[] merge(List<byte[]> updates) {
    return delegate.merge(updates);
  }

  @Override
  public Registration onUpdate(BiConsumer<byte[], Object> listener) {
    return delegate.onUpdate(listener);
  }
}
