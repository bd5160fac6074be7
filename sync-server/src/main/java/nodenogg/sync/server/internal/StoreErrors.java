package nodenogg.sync.server.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import nodenogg.persistence.StoreException;

/**
 * Tells the two kinds of store error apart, in one place: a <em>rejection</em> (the store refuses
 * these bytes as not a valid update, {@link StoreException#isRejection()}: the sender's problem
 * only) and a <em>failure</em> (I/O, disk full, a closed store: the document can no longer be kept
 * durable). Stateless.
 */
final class StoreErrors {
  private StoreErrors() {}

  /** The cause behind future wrappers. */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** True when the store refused the update itself (typed rejection), not because it failed. */
  static boolean isRejection(Throwable e) {
    Throwable t = unwrap(e);
    return t instanceof StoreException && ((StoreException) t).isRejection();
  }
}
