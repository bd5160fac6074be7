package nodenogg.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Appends one document's updates to an {@link UpdateStore} without ever waiting for the disk,
 * keeping what failed: the format-neutral core of a document kept in a store ({@code DocBinding}
 * for Yjs docs, the Automerge binding for Automerge documents). {@link #append} queues at once; an
 * update whose append fails is kept and appended again before the next one and on {@link #flush()},
 * so the store never silently falls behind the document. The {@link StatusListener} hears when the
 * appender falls behind and when it has caught up.
 *
 * <p>Thread-safe. After {@link #close()} appends are ignored.
 */
public final class RetryingAppender implements AutoCloseable {

  /** Hears when the appender falls behind its document and when it has caught up again. */
  @FunctionalInterface
  public interface StatusListener {
    /**
     * Called with the failure when an update could not be stored (it is kept for a retry), and with
     * {@code null} once every update is stored again. Runs on the thread that completed the append
     * (often the store's acknowledgement thread): keep it short and never wait on the store.
     */
    void statusChanged(StoreException errorOrNull);
  }

  private final UpdateStore store;
  private final String name;
  private final StatusListener listener;
  private final List<byte[]> failed = new ArrayList<>();
  private int retrying;
  private boolean behind;
  private StoreException lastError;
  private boolean closed;

  /**
   * @param listener told when an append fails and when the appender has caught up; may be null
   */
  public RetryingAppender(UpdateStore store, String name, StatusListener listener) {
    this.store = store;
    this.name = name;
    this.listener = listener;
  }

  /** The store's name for the document. */
  public String name() {
    return name;
  }

  /** The store updates go to. */
  public UpdateStore store() {
    return store;
  }

  /**
   * Queues {@code update} (after any failed ones, retried first) and returns without waiting.
   *
   * @return completes when this update is durable; exceptionally when its append failed (it is then
   *     kept for a retry, and {@link #flush()} reports it until a retry succeeds)
   */
  public CompletableFuture<Long> append(byte[] update) {
    List<byte[]> retry;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new StoreException("'" + name + "' is no longer persisted (closed)"));
      }
      retry = takeFailed();
    }
    for (byte[] u : retry) {
      send(u, true);
    }
    return send(update, false);
  }

  /** Under the lock: the failed updates, now counted as retries in flight. */
  private List<byte[]> takeFailed() {
    List<byte[]> retry = new ArrayList<>(failed);
    failed.clear();
    retrying += retry.size();
    return retry;
  }

  private CompletableFuture<Long> send(byte[] update, boolean isRetry) {
    CompletableFuture<Long> f;
    try {
      f = store.append(name, update);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.whenComplete((seq, err) -> stored(update, isRetry, err));
  }

  private void stored(byte[] update, boolean isRetry, Throwable err) {
    boolean notify;
    StoreException report;
    synchronized (this) {
      if (isRetry) {
        retrying--;
      }
      if (err != null) {
        failed.add(update);
        Throwable cause =
            err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        lastError =
            cause instanceof StoreException
                ? (StoreException) cause
                : new StoreException(
                    "could not persist an update of '" + name + "': " + cause, cause);
        notify = !behind;
        behind = true;
        report = lastError;
      } else {
        notify = behind && failed.isEmpty() && retrying == 0;
        if (notify) {
          behind = false;
        }
        report = null;
      }
    }
    if (notify && listener != null) {
      listener.statusChanged(report);
    }
  }

  /**
   * Retries updates whose append failed, then completes once everything so far is durable;
   * completes exceptionally with the last {@link StoreException} if some update still could not be
   * stored.
   */
  public CompletableFuture<Void> flush() {
    List<byte[]> retry;
    synchronized (this) {
      retry = takeFailed();
    }
    for (byte[] u : retry) {
      send(u, true);
    }
    return store
        .flush()
        .thenCompose(
            v -> {
              synchronized (this) {
                if (failed.isEmpty()) {
                  return CompletableFuture.completedFuture(null);
                }
                return CompletableFuture.failedFuture(lastError);
              }
            });
  }

  /** Updates whose append failed and that wait for a retry. */
  public synchronized int pendingRetries() {
    return failed.size();
  }

  /** True while some update is not stored because its append failed (until a retry succeeds). */
  public synchronized boolean behind() {
    return behind;
  }

  /**
   * Waits for a best-effort {@link #flush()}, then ignores further appends. Idempotent; never
   * throws.
   */
  @Override
  public void close() {
    try {
      flush().join();
    } catch (RuntimeException e) {
      // reported by flush() to those who asked; closing must not throw
    } finally {
      synchronized (this) {
        closed = true;
      }
    }
  }

  @Override
  public String toString() {
    return "RetryingAppender[" + name + " -> " + store + "]";
  }
}
