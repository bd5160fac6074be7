package nodenogg.persistence.sqlite;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Subscription;
import nodenogg.crdt.Updates;

/**
 * Keeps one engine {@link Doc} persisted in a {@link SqliteUpdateStore} under a name: created by
 * {@link SqliteUpdateStore#bind}, which first loads the stored updates into the doc (one transaction,
 * origin = the store, so they are not written back) and then appends every later update of the doc.
 *
 * <p>If an append fails (disk full, I/O error), the update is kept and appended again before the next
 * one and on {@link #flush()}, so the store does not silently fall behind the in-memory doc; the doc
 * itself is never rolled back. {@link #flush()} tells whether everything so far is durable.
 *
 * <p>Thread-safe. Closing stops persisting (after flushing); it does not close the store.
 */
public final class DocBinding implements AutoCloseable {

  private final SqliteUpdateStore store;
  private final Doc doc;
  private final String name;
  private final Subscription subscription;
  private final List<byte[]> failed = new ArrayList<>();
  private StoreException lastError;
  private boolean closed;

  DocBinding(SqliteUpdateStore store, Doc doc, String name) {
    this.store = store;
    this.doc = doc;
    this.name = name;
    byte[] before = Updates.encodeStateVector(doc).length > 1 ? Updates.encodeStateAsUpdate(doc) : null;
    store.load(doc, name);
    if (before != null) {
      persist(before); // content the doc had before binding (as y-indexeddb does)
    }
    this.subscription = doc.onUpdate((update, origin, tr) -> {
      if (origin != store) {
        persist(update);
      }
    });
  }

  /** The store's name for the document. */
  public String name() {
    return name;
  }

  /** The bound document. */
  public Doc doc() {
    return doc;
  }

  private void persist(byte[] update) {
    List<byte[]> retry;
    synchronized (this) {
      if (closed) {
        return;
      }
      retry = new ArrayList<>(failed);
      failed.clear();
    }
    for (byte[] u : retry) {
      send(u);
    }
    send(update);
  }

  private void send(byte[] update) {
    store.append(name, update).whenComplete((seq, err) -> {
      if (err != null) {
        synchronized (this) {
          failed.add(update);
          lastError = err instanceof StoreException ? (StoreException) err
              : new StoreException("could not persist an update of '" + name + "': " + err, err);
        }
      }
    });
  }

  /**
   * Retries updates whose append failed, then completes once everything so far is durable; completes
   * exceptionally with the last {@link StoreException} if some update still could not be stored.
   */
  public CompletableFuture<Void> flush() {
    List<byte[]> retry;
    synchronized (this) {
      retry = new ArrayList<>(failed);
      failed.clear();
    }
    for (byte[] u : retry) {
      send(u);
    }
    return store.flush().thenCompose(v -> {
      synchronized (this) {
        if (failed.isEmpty()) {
          return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.failedFuture(lastError);
      }
    });
  }

  /** Updates of the doc whose append failed and that wait for a retry. */
  public synchronized int pendingRetries() {
    return failed.size();
  }

  /** Stops listening to the doc after a best-effort {@link #flush()} (waits for it). Idempotent. */
  @Override
  public void close() {
    subscription.close();
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
}
