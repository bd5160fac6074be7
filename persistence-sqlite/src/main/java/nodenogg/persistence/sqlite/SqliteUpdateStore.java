package nodenogg.persistence.sqlite;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import nodenogg.persistence.CheckReport;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.DocumentInfo;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.sqlite.internal.StoreCore;
import nodenogg.persistence.sqlite.internal.StoreHooks;

/**
 * A crash-safe {@link UpdateStore} in one SQLite file. One file holds many documents (e.g.
 * microcosms), each an append-only log of updates that is compacted into one merged update when it
 * grows past {@link StoreOptions#compactionCount()} rows or {@link StoreOptions#compactionBytes()}.
 *
 * <h2>Guarantee</h2>
 *
 * The future returned by {@link #append} completes normally only after the SQLite transaction
 * holding the update has committed (WAL journal, {@code synchronous=FULL} by default, see {@link
 * Durability}). An acknowledged update therefore survives {@code kill -9} of the process, and with
 * FULL also an OS crash or power loss. Concurrent appends share one transaction and one fsync
 * (group commit). If the commit fails, every future of that batch completes exceptionally with a
 * {@link StoreException}; the batch was rolled back (only if COMMIT itself reported the failure can
 * its rows still be there). Retrying is safe: updates are idempotent. An update its format refuses
 * fails with {@link InvalidUpdateException} before anything is queued.
 *
 * <h2>Formats</h2>
 *
 * The store writes updates of {@link StoreOptions#format()} (Yjs by default). Documents of another
 * format can live in the same file: {@link #withFormat} gives a view of the same store (same
 * writer, same group commits) for that format. Each document records its format; a name belongs to
 * one format, and a view refuses to touch a document of another one.
 *
 * <h2>Files</h2>
 *
 * {@link #openDirectory(Path)} uses {@code DIR/}{@value #DEFAULT_FILE_NAME}; the sync server and
 * {@code ./microcosm store --data DIR} use the same file. Next to it SQLite keeps {@code -wal} and
 * {@code -shm} files: never delete or copy them separately (copy a live store with {@code VACUUM
 * INTO} or stop it first). Another process may open the same file (the CLI next to a running
 * server): SQLite serialises their writes, each waiting up to {@link StoreOptions#busyTimeout()}.
 *
 * <h2>Threads</h2>
 *
 * Thread-safe. All database work runs on one writer thread per store; the append futures are
 * completed, in append order, on a separate acknowledgement thread: callbacks attached to them must
 * not block for long, as they delay later acknowledgements, and must never wait on another append
 * or {@link #flush()} future (those complete on the same thread). {@link #close()} called from such
 * a callback returns at once and the store finishes closing after the callback.
 */
public final class SqliteUpdateStore implements UpdateStore {

  /** File name used inside a data directory by {@link #openDirectory(Path)}: {@value}. */
  public static final String DEFAULT_FILE_NAME = "microcosm.db";

  private final StoreCore core;
  private final UpdateFormat format;
  private final boolean owner;

  private SqliteUpdateStore(StoreCore core, UpdateFormat format, boolean owner) {
    this.core = core;
    this.format = format;
    this.owner = owner;
  }

  /** Opens (creating if needed) the store in {@code file} with {@link StoreOptions#defaults()}. */
  public static SqliteUpdateStore open(Path file) {
    return open(file, StoreOptions.defaults());
  }

  /**
   * Opens (creating if needed, and migrating an older schema forward) the store in {@code file}.
   *
   * @throws StoreException if the file cannot be opened, is not a SQLite database, or was written
   *     by a newer version of this library
   */
  public static SqliteUpdateStore open(Path file, StoreOptions options) {
    return open(file, options, StoreHooks.NONE);
  }

  /** Test seam: opens with fault-injection hooks. */
  static SqliteUpdateStore open(Path file, StoreOptions options, StoreHooks hooks) {
    return new SqliteUpdateStore(StoreCore.open(file, options, hooks), options.format(), true);
  }

  /** Opens {@code dataDir/}{@value #DEFAULT_FILE_NAME}, creating the directory if needed. */
  public static SqliteUpdateStore openDirectory(Path dataDir) {
    return openDirectory(dataDir, StoreOptions.defaults());
  }

  /**
   * Opens {@code dataDir/}{@value #DEFAULT_FILE_NAME} with the given options, creating the
   * directory if needed.
   */
  public static SqliteUpdateStore openDirectory(Path dataDir, StoreOptions options) {
    return open(databaseFile(dataDir), options);
  }

  /** The database file used for a data directory: {@code dataDir/}{@value #DEFAULT_FILE_NAME}. */
  public static Path databaseFile(Path dataDir) {
    return dataDir.resolve(DEFAULT_FILE_NAME);
  }

  /**
   * A view of this store for documents of another format, sharing its file, writer thread and group
   * commits (e.g. Automerge documents next to Yjs ones). Closing a view does nothing; closing the
   * store it came from closes every view.
   *
   * @throws IllegalArgumentException if a different format with the same name is already in use
   */
  public SqliteUpdateStore withFormat(UpdateFormat other) {
    Objects.requireNonNull(other, "format");
    if (other == format) {
      return this;
    }
    core.register(other);
    return new SqliteUpdateStore(core, other, false);
  }

  @Override
  public UpdateFormat format() {
    return format;
  }

  /**
   * Appends one update to {@code doc}'s log (creating the document if new). Does not block unless
   * {@link StoreOptions#maxQueued()} appends are already waiting (back-pressure).
   *
   * @return a future completing with the row's sequence number once the update is durable, or
   *     exceptionally with {@link InvalidUpdateException} (refused by the format, or the document
   *     holds another format; nothing stored) or {@link StoreException} (the commit failed or the
   *     store is closed; not acknowledged, retry is safe)
   */
  @Override
  public CompletableFuture<Long> append(String doc, byte[] update) {
    return core.append(format, doc, update);
  }

  /**
   * A barrier: completes once every append accepted before this call has been committed or has
   * failed. Useful to answer "is everything so far durable" without tracking each future.
   */
  @Override
  public CompletableFuture<Void> flush() {
    return core.flush();
  }

  /**
   * The document's stored updates in log order (a compacted prefix appears as one merged update);
   * empty if unknown.
   *
   * @throws CorruptDocumentException if a row fails its checksum or SQLite reports the pages
   *     damaged
   */
  @Override
  public List<byte[]> load(String doc) {
    return core.load(format, doc);
  }

  /**
   * The document's whole stored state as one update (for Yjs: {@code encodeStateAsUpdate} of an
   * engine Doc that applied every stored update); empty if the document is unknown. Structs that
   * are still pending (their dependencies were never stored) are in it only as far as the engine's
   * encoder includes pending data; {@link #load} always gives them back.
   */
  @Override
  public Optional<byte[]> loadState(String doc) {
    return core.loadState(format, doc);
  }

  /**
   * The document's version (for Yjs its state vector, v1 encoding), kept up to date on every append
   * so this is a single-row read. For Yjs it counts, per client, the clock range stored
   * contiguously from 0 (like {@code encodeStateVectorFromUpdate} over the merged log), so it can
   * run ahead of a Doc's own state vector while some stored structs are still pending. An unknown
   * document gives the empty version.
   */
  @Override
  public byte[] version(String doc) {
    return core.version(format, doc);
  }

  @Override
  public Optional<DocumentInfo> info(String doc) {
    return core.info(format, doc);
  }

  @Override
  public List<String> list() {
    return core.list(format);
  }

  /**
   * Every document in the file, of any format: name to {@link UpdateFormat#name()}, sorted by name.
   */
  public Map<String, String> documentFormats() {
    return core.formats();
  }

  @Override
  public boolean delete(String doc) {
    return core.delete(format, doc);
  }

  /** Deletes every document of this store's format, durably. */
  public void clear() {
    core.clear(format);
  }

  @Override
  public Map<String, String> metadata(String doc) {
    return core.metadata(format, doc);
  }

  @Override
  public void putMetadata(String doc, String key, String value) {
    core.putMetadata(format, doc, key, value);
  }

  /**
   * Replaces the document's log with one merged update now, atomically (the merged row is inserted
   * and the rows it covers deleted in one transaction). Appends made meanwhile are kept, and so are
   * rows holding pending data (structs or deletions whose dependencies are not stored yet).
   *
   * @return the log's size afterwards, or empty if the document is unknown
   * @throws CorruptDocumentException if a stored row is damaged (the log is left as it was)
   */
  @Override
  public Optional<DocumentInfo> compact(String doc) {
    return core.compact(format, doc);
  }

  /**
   * Runs SQLite's {@code integrity_check} and reads every document of this format back, checking
   * each row; never throws for damage, reports it.
   */
  @Override
  public CheckReport check() {
    return core.check(format);
  }

  /** The database file. */
  public Path file() {
    return core.file();
  }

  /** The options this store was opened with. */
  public StoreOptions options() {
    return core.options();
  }

  /**
   * The live connection's settings as SQLite reports them: journal_mode, synchronous, foreign_keys,
   * busy_timeout, schema_version.
   */
  public Map<String, String> settings() {
    return core.settings();
  }

  /**
   * Commits every queued append (their futures complete), then closes the database. Later calls
   * fail with {@link StoreException}. Idempotent. Does nothing on a view made by {@link
   * #withFormat}.
   */
  @Override
  public void close() {
    if (owner) {
      core.close();
    }
  }

  @Override
  public String toString() {
    return "SqliteUpdateStore[" + core.file() + ", " + format.name() + "]";
  }
}
