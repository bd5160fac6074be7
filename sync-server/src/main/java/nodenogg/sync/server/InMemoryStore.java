package nodenogg.sync.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** {@link DocumentStore} in memory; appends complete at once. Thread-safe. */
final class InMemoryStore implements DocumentStore {
  private final Map<String, List<byte[]>> docs = new ConcurrentHashMap<>();

  @Override
  public List<byte[]> load(String document) {
    List<byte[]> l = docs.get(document);
    if (l == null) {
      return List.of();
    }
    synchronized (l) {
      return new ArrayList<>(l);
    }
  }

  @Override
  public CompletableFuture<?> append(String document, byte[] update) {
    List<byte[]> l = docs.computeIfAbsent(document, k -> new ArrayList<>());
    synchronized (l) {
      l.add(update.clone());
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<?> flush() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {}
}
