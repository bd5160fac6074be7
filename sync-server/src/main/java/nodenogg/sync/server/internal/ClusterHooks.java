package nodenogg.sync.server.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a document tells the cluster layer (fan-out to other instances over Redis) and asks of it.
 * {@link #NONE} for a server alone. Methods are called on the document's executor and must not
 * block.
 */
public interface ClusterHooks {

  /** A server alone: nothing to tell anyone. */
  ClusterHooks NONE = new ClusterHooks() {};

  /**
   * The document was loaded here. The returned future completes once the other instances that have
   * it open sent their state (or a timeout passed); the document is handed to clients only then.
   */
  default CompletableFuture<Void> opened(ServerDocument doc) {
    return CompletableFuture.completedFuture(null);
  }

  /** The document was unloaded here. */
  default void closed(ServerDocument doc) {}

  /** An update from one of this instance's clients changed the document. */
  default void localUpdate(ServerDocument doc, byte[] update) {}

  /** Awareness states of this instance's clients changed ({@code awarenessUpdate} holds them). */
  default void localAwareness(ServerDocument doc, byte[] awarenessUpdate) {}

  /**
   * True when other instances write the same store and may hold, unstored, updates this instance
   * got from them: a client update that changes nothing here is then made durable (see {@link
   * ServerDocument#applyUpdate}) before it is acknowledged.
   */
  default boolean sharesStore() {
    return false;
  }

  /** Where blocking store reads run (never a document executor). */
  default Executor blocking() {
    return Runnable::run;
  }
}
