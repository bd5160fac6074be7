package nodenogg.persistence.sqlite;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.sqlite.internal.StoreCore;
import nodenogg.persistence.sqlite.internal.StoreHooks;

/**
 * A crash-safe store of Yjs document updates in one SQLite file. One file holds many documents
 * (e.g. microcosms), each an append-only log of v1 updates that is compacted into one merged update
 * when it grows past {@link StoreOptions#compactionCount()} rows or {@link StoreOptions#compactionBytes()}.
 *
 * <h2>Guarantee</h2>
 * The future returned by {@link #append} completes normally only after the SQLite transaction holding
 * the update has committed (WAL journal, {@code synchronous=FULL} by default, see {@link Durability}).
 * An acknowledged update therefore survives {@code kill -9} of the process, and with FULL also an OS
 * crash or power loss. Concurrent appends share one transaction and one fsync (group commit). If the
 * commit fails, every future of that batch completes exceptionally with a {@link StoreException}; the
 * batch was rolled back (only if COMMIT itself reported the failure can its rows still be there).
 * Retrying is safe: Yjs updates are idempotent.
 *
 * <h2>Files</h2>
 * {@link #openDirectory(Path)} uses {@code DIR/}{@value #DEFAULT_FILE_NAME}; the sync server and
 * {@code ./microcosm store --data DIR} use the same file. Next to it SQLite keeps {@code -wal} and
 * {@code -shm} files: never delete or copy them separately (copy a live store with {@code VACUUM INTO}
 * or stop the process first). One process should own a file; the CLI may open it briefly while a server
 * runs (it waits up to {@link StoreOptions#busyTimeout()} for the lock).
 *
 * <h2>Threads</h2>
 * Thread-safe. All database work runs on one writer thread owned by the store; blocking methods
 * (everything except {@link #append} and {@link #flush}) wait for it. Append futures are completed,
 * in append order, on a separate acknowledgement thread: callbacks attached to them must not block
 * for long, as they delay later acknowledgements, and must never wait on another append or
 * {@link #flush()} future (those complete on the same thread). {@link #close()} called from such a
 * callback returns at once and the store finishes closing after the callback.
 */
public final class SqliteUpdateStore implements AutoCloseable {

  /** File name used inside a data directory by {@link #openDirectory(Path)}: {@value}. */
  public static final String DEFAULT_FILE_NAME = "microcosm.db";

  private final StoreCore core;

  private SqliteUpdateStore(StoreCore core) {
    this.core = core;
  }

  /** Opens (creating if needed) the store in {@code file} with {@link StoreOptions#defaults()}. */
  public static SqliteUpdateStore open(Path file) {
    return open(file, StoreOptions.defaults());
  }

  /**
   * Opens (creating if needed, and migrating an older schema forward) the store in {@code file}.
   *
   * @throws StoreException if the file cannot be opened, is not a SQLite database, or was written by
   *     a newer version of this library
   */
  public static SqliteUpdateStore open(Path file, StoreOptions options) {
    return new SqliteUpdateStore(StoreCore.open(file, options, StoreHooks.NONE));
  }

  /** Test seam: opens with fault-injection hooks. */
  static SqliteUpdateStore open(Path file, StoreOptions options, StoreHooks hooks) {
    return new SqliteUpdateStore(StoreCore.open(file, options, hooks));
  }

  /** Opens {@code dataDir/}{@value #DEFAULT_FILE_NAME}, creating the directory if needed. */
  public static SqliteUpdateStore openDirectory(Path dataDir) {
    return openDirectory(dataDir, StoreOptions.defaults());
  }

  /** Opens {@code dataDir/}{@value #DEFAULT_FILE_NAME} with the given options, creating the directory if needed. */
  public static SqliteUpdateStore openDirectory(Path dataDir, StoreOptions options) {
    return open(databaseFile(dataDir), options);
  }

  /** The database file used for a data directory: {@code dataDir/}{@value #DEFAULT_FILE_NAME}. */
  public static Path databaseFile(Path dataDir) {
    return dataDir.resolve(DEFAULT_FILE_NAME);
  }

  /**
   * Appends one v1 update to {@code doc}'s log (creating the document if new). Does not block unless
   * {@link StoreOptions#maxQueued()} appends are already waiting.
   *
   * @return a future completing with the row's sequence number once the update is durable, or
   *     exceptionally with {@link InvalidUpdateException} (malformed bytes; nothing stored) or
   *     {@link StoreException} (the commit failed or the store is closed; not acknowledged, retry is safe)
   */
  public CompletableFuture<Long> append(String doc, byte[] update) {
    return core.append(doc, update);
  }

  /**
   * A barrier: completes once every append accepted before this call has been committed or has
   * failed. Useful to answer "is everything so far durable" without tracking each future.
   */
  public CompletableFuture<Void> flush() {
    return core.flush();
  }

  /** The document's stored updates in log order (a compacted prefix appears as one merged update); empty if unknown. */
  public List<byte[]> loadUpdates(String doc) {
    return core.loadUpdates(doc);
  }

  /**
   * The document's whole stored state as one v1 update: {@code encodeStateAsUpdate} of an engine Doc
   * that applied every stored update; empty if the document is unknown. Structs that are still pending
   * (their dependencies were never stored) are in it only as far as the engine's encoder includes
   * pending data; {@link #loadUpdates} and {@link #load} always give them back.
   */
  public Optional<byte[]> loadState(String doc) {
    return core.loadState(doc);
  }

  /**
   * Applies every stored update of {@code name} to {@code doc} in one transaction whose origin is this
   * store (so a {@link DocBinding} or any listener that skips {@code origin == store} does not write
   * them back). The updates are validated first, so a damaged document changes nothing.
   *
   * @return false if nothing is stored under {@code name}
   * @throws CorruptDocumentException if a stored update is damaged
   */
  public boolean load(Doc doc, String name) {
    List<byte[]> rows = core.loadUpdates(name);
    if (rows.isEmpty()) {
      return false;
    }
    core.validate(name, rows);
    try {
      doc.transact(tr -> {
        for (byte[] u : rows) {
          Updates.applyUpdate(doc, u, this);
        }
      }, this);
    } catch (RuntimeException e) {
      throw new CorruptDocumentException(name, "a stored update was rejected by the engine: " + e.getMessage(), e);
    }
    return true;
  }

  /**
   * Loads {@code name} into {@code doc} (see {@link #load}), stores what the doc already held, and from
   * then on appends every update of {@code doc} that did not come from this store. The usual way to
   * give an engine document local persistence:
   * <pre>{@code
   * try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dataDir);
   *      DocBinding binding = store.bind(doc, "my-doc")) {
   *   doc.getText("t").insert(0, "hello");
   *   binding.flush().join(); // durable
   * }
   * }</pre>
   */
  public DocBinding bind(Doc doc, String name) {
    return new DocBinding(this, doc, name);
  }

  /**
   * The document's state vector in Yjs v1 encoding, kept up to date on every append so this is a
   * single-row read. It counts, per client, the clock range stored contiguously from 0 (like Yjs
   * {@code encodeStateVectorFromUpdate} over the merged log), so it can run ahead of a Doc's own state
   * vector while some stored structs are still pending. An unknown document gives the empty vector.
   */
  public byte[] stateVector(String doc) {
    return core.stateVector(doc);
  }

  /** {@link #stateVector} decoded: client id to next expected clock. */
  public Map<Long, Long> stateVectorMap(String doc) {
    return core.stateVectorMap(doc);
  }

  /** Row count and size of a document's log, or empty if unknown. */
  public Optional<DocumentInfo> info(String doc) {
    return core.info(doc);
  }

  /** Names of all stored documents, sorted. */
  public List<String> listDocuments() {
    return core.listDocuments();
  }

  /** Deletes a document with its updates and metadata, durably. @return false if it did not exist */
  public boolean deleteDocument(String doc) {
    return core.deleteDocument(doc);
  }

  /** Deletes every document, durably. */
  public void clear() {
    core.clear();
  }

  /** The document's metadata (small string key/value pairs); empty if none or unknown. */
  public Map<String, String> metadata(String doc) {
    return core.metadata(doc);
  }

  /** Sets ({@code value != null}) or removes ({@code value == null}) one metadata entry, durably; creates the document if needed. */
  public void putMetadata(String doc, String key, String value) {
    core.putMetadata(doc, key, value);
  }

  /**
   * Replaces the document's log with one merged update now, atomically (the merged row is inserted and
   * the rows it covers deleted in one transaction). Appends made meanwhile are kept, and so are rows
   * holding pending data (structs or deletions whose dependencies are not stored yet).
   *
   * @return the log's size afterwards, or empty if the document is unknown
   * @throws CorruptDocumentException if a stored row is damaged (the log is left as it was)
   */
  public Optional<DocumentInfo> compact(String doc) {
    return core.compact(doc);
  }

  /** Runs SQLite's {@code integrity_check} and reads every document back; never throws for damage, reports it. */
  public CheckReport check() {
    return core.check();
  }

  /** The database file. */
  public Path file() {
    return core.file();
  }

  /** The options this store was opened with. */
  public StoreOptions options() {
    return core.options();
  }

  /** The live connection's settings as SQLite reports them: journal_mode, synchronous, foreign_keys, busy_timeout, schema_version. */
  public Map<String, String> settings() {
    return core.settings();
  }

  /**
   * Commits every queued append (their futures complete), then closes the database. Later calls fail
   * with {@link StoreException}. Idempotent.
   */
  @Override
  public void close() {
    core.close();
  }
}
