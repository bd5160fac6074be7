package nodenogg.persistence.sqlite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import nodenogg.microcosm.spi.UpdatePersistence;

/**
 * The SQLite store behind the microcosm storage SPI: pass it as
 * {@code MicrocosmOptions.defaults().persistence(...)} and {@code YMicrocosm.open} loads the microcosm
 * from the store and appends every later update. Each microcosm is one document named by its id.
 * {@link #append} returns only once the update is durable (it shares group commits with other threads'
 * appends).
 *
 * <p>Thread-safe. {@link #close()} closes the store only if this object opened it ({@link #open(Path)}).
 */
public final class SqliteMicrocosmPersistence implements UpdatePersistence {

  private final SqliteUpdateStore store;
  private final boolean ownsStore;

  /** Uses {@code store}, which the caller keeps and closes. */
  public SqliteMicrocosmPersistence(SqliteUpdateStore store) {
    this(store, false);
  }

  private SqliteMicrocosmPersistence(SqliteUpdateStore store, boolean ownsStore) {
    this.store = store;
    this.ownsStore = ownsStore;
  }

  /** Opens {@code dataDir/microcosm.db} (the sync server's file); {@link #close()} closes it. */
  public static SqliteMicrocosmPersistence open(Path dataDir) {
    return new SqliteMicrocosmPersistence(SqliteUpdateStore.openDirectory(dataDir), true);
  }

  /** The underlying store. */
  public SqliteUpdateStore store() {
    return store;
  }

  @Override
  public List<byte[]> load(String documentName) throws IOException {
    try {
      return store.loadUpdates(documentName);
    } catch (StoreException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void append(String documentName, byte[] update) throws IOException {
    try {
      store.append(documentName, update).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      throw new IOException("update of '" + documentName + "' not stored: " + cause.getMessage(), cause);
    }
  }

  @Override
  public void close() {
    if (ownsStore) {
      store.close();
    }
  }
}
