package nodenogg.sync.server.internal;

import java.util.concurrent.CompletableFuture;
import nodenogg.persistence.ForwardingUpdateStore;
import nodenogg.persistence.UpdateStore;

/**
 * An {@link UpdateStore} that times each append until it is durable and keeps the queue depth and
 * the time of the last commit for {@code /status} and {@code /metrics}. Everything else is
 * forwarded. Thread-safe as the delegate.
 */
public final class MeteredStore extends ForwardingUpdateStore {
  private final Telemetry telemetry;

  public MeteredStore(UpdateStore delegate, Telemetry telemetry) {
    super(delegate);
    this.telemetry = telemetry;
  }

  @Override
  public CompletableFuture<Long> append(String document, byte[] update) {
    long t0 = System.nanoTime();
    telemetry.storeAppendStarted();
    CompletableFuture<Long> f;
    try {
      f = delegate().append(document, update);
    } catch (RuntimeException e) {
      telemetry.storeAppendFinished(System.nanoTime() - t0, false);
      throw e;
    }
    if (f.isDone()) { // the in-memory store: no callback, the ack path stays synchronous
      telemetry.storeAppendFinished(System.nanoTime() - t0, !f.isCompletedExceptionally());
      return f;
    }
    f.whenComplete((r, e) -> telemetry.storeAppendFinished(System.nanoTime() - t0, e == null));
    return f;
  }
}
