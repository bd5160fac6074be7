package nodenogg.sync.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the server keeps document updates. The server appends every update that changed a document
 * (broadcasting it to the document's other clients meanwhile) and acknowledges it to its sender only
 * when {@link #append}'s future completes, so an implementation
 * must complete it only once the update is durable (or, for {@link #inMemory()}, kept).
 *
 * <p>Thread-safety: implementations must be thread-safe; futures should complete in append order.
 */
public interface DocumentStore extends AutoCloseable {

  /** The stored updates of {@code document} in order; empty when unknown. May block (called off socket threads). */
  List<byte[]> load(String document);

  /** Appends one v1 update; the future completes once it is durable, exceptionally if it is not. */
  CompletableFuture<?> append(String document, byte[] update);

  /** Completes once every earlier append is durable or failed. */
  CompletableFuture<?> flush();

  /** Makes everything durable and releases resources. Idempotent. */
  @Override
  void close();

  /** A store that keeps updates in memory only (tests, throwaway servers). */
  static DocumentStore inMemory() {
    return new InMemoryStore();
  }
}
