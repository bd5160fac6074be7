package nodenogg.persistence.yjs;

import java.util.concurrent.CompletableFuture;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Subscription;
import nodenogg.crdt.Updates;
import nodenogg.persistence.RetryingAppender;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateStore;

/**
 * Keeps one engine {@link Doc} persisted in an {@link UpdateStore} under a name: made by {@link
 * YjsStorage#bind}, which first loads the stored updates into the doc (one transaction whose origin
 * is the binding's load origin, so they are not written back) and then appends every later update
 * of the doc, plus what the doc held before it was bound.
 *
 * <p><b>Never waits for storage.</b> Appends are queued from inside the doc's update event and
 * return at once, so editing never waits for a disk (only for back-pressure when the store's queue
 * is full). {@link #flush()} is the way to wait: it completes once everything so far is durable.
 *
 * <p><b>Failures are kept and reported.</b> If an append fails (disk full, I/O error), the update
 * is kept and appended again before the next one and on {@link #flush()}, so the store does not
 * silently fall behind the in-memory doc; the doc itself is never rolled back. {@link #flush()}
 * completes exceptionally while some update still could not be stored, and the {@link
 * StatusListener} hears when the binding falls behind and when it has caught up.
 *
 * <p>Thread-safe. Closing stops persisting (after flushing); it does not close the store.
 */
public final class DocBinding implements AutoCloseable {

  /** Hears when a binding falls behind its doc and when it has caught up again. */
  @FunctionalInterface
  public interface StatusListener {
    /**
     * Called with the failure when an update could not be stored (the binding keeps it for a
     * retry), and with {@code null} once every update of the doc is stored again. Runs on the
     * thread that completed the append (often the store's acknowledgement thread): keep it short
     * and never wait on the store.
     */
    void statusChanged(StoreException errorOrNull);
  }

  private final UpdateStore store;
  private final Doc doc;
  private final String name;
  private final Object origin;
  private final RetryingAppender appender;
  private final Subscription subscription;

  DocBinding(UpdateStore store, Doc doc, String name, Object origin, StatusListener listener) {
    this.store = store;
    this.doc = doc;
    this.name = name;
    this.origin = origin;
    this.appender =
        new RetryingAppender(store, name, listener == null ? null : listener::statusChanged);
    byte[] before =
        Updates.encodeStateVector(doc).length > 1 ? Updates.encodeStateAsUpdate(doc) : null;
    // listen first, so an edit made by another thread while loading is not missed
    this.subscription =
        doc.onUpdate(
            (update, o, tr) -> {
              if (o != origin) {
                appender.append(update);
              }
            });
    try {
      YjsStorage.load(store, doc, name, origin);
    } catch (RuntimeException e) {
      subscription.close();
      throw e;
    }
    if (before != null) {
      appender.append(before); // content the doc had before binding (as y-indexeddb does)
    }
  }

  /** The store's name for the document. */
  public String name() {
    return name;
  }

  /** The bound document. */
  public Doc doc() {
    return doc;
  }

  /** The store updates go to. */
  public UpdateStore store() {
    return store;
  }

  /**
   * The transaction origin of the updates loaded from the store; updates with this origin are not
   * stored.
   */
  public Object origin() {
    return origin;
  }

  /**
   * Retries updates whose append failed, then completes once everything so far is durable;
   * completes exceptionally with the last {@link StoreException} if some update still could not be
   * stored.
   */
  public CompletableFuture<Void> flush() {
    return appender.flush();
  }

  /** Updates of the doc whose append failed and that wait for a retry. */
  public int pendingRetries() {
    return appender.pendingRetries();
  }

  /**
   * True while some update of the doc is not stored because its append failed (until a retry
   * succeeds).
   */
  public boolean behind() {
    return appender.behind();
  }

  /** Stops listening to the doc after a best-effort {@link #flush()} (waits for it). Idempotent. */
  @Override
  public void close() {
    subscription.close();
    appender.close();
  }

  @Override
  public String toString() {
    return "DocBinding[" + name + " -> " + store + "]";
  }
}
