package nodenogg.sync.server;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import nodenogg.persistence.sqlite.SqliteUpdateStore;

/**
 * {@link DocumentStore} on the SQLite update store: appends complete after their group commit,
 * so the server acknowledges only durable updates; loading reads the stored log (compacted prefix first).
 * Thread-safe.
 */
public final class SqliteDocumentStore implements DocumentStore {
  private final SqliteUpdateStore store;

  public SqliteDocumentStore(SqliteUpdateStore store) {
    this.store = store;
  }

  /** Opens (creating) {@code dataDir/microcosm.db}, the file {@code ./microcosm store} also uses. */
  public static SqliteDocumentStore openDirectory(Path dataDir) {
    return new SqliteDocumentStore(SqliteUpdateStore.openDirectory(dataDir));
  }

  public SqliteUpdateStore store() {
    return store;
  }

  @Override
  public List<byte[]> load(String document) {
    return store.loadUpdates(document);
  }

  @Override
  public CompletableFuture<?> append(String document, byte[] update) {
    return store.append(document, update);
  }

  @Override
  public CompletableFuture<?> flush() {
    return store.flush();
  }

  @Override
  public void close() {
    store.close();
  }
}
