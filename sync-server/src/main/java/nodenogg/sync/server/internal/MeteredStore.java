package nodenogg.sync.server.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import nodenogg.sync.server.DocumentStore;

/**
 * A {@link DocumentStore} that times each append until it is durable and keeps the queue depth and
 * the time of the last commit for {@code /status} and {@code /metrics}. Thread-safe as the delegate.
 */
public final class MeteredStore implements DocumentStore {
  private final DocumentStore delegate;
  private final Telemetry telemetry;

  public MeteredStore(DocumentStore delegate, Telemetry telemetry) {
    this.delegate = delegate;
    this.telemetry = telemetry;
  }

  public DocumentStore delegate() {
    return delegate;
  }

  @Override
  public List<byte[]> load(String document) {
    return delegate.load(document);
  }

  @Override
  public CompletableFuture<?> append(String document, byte[] update) {
    long t0 = System.nanoTime();
    telemetry.storeAppendStarted();
    CompletableFuture<?> f;
    try {
      f = delegate.append(document, update);
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

  @Override
  public CompletableFuture<?> flush() {
    return delegate.flush();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
