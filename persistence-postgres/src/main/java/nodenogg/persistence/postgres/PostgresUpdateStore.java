package nodenogg.persistence.postgres;

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
import nodenogg.persistence.postgres.internal.PgCore;

/**
 * An {@link UpdateStore} in PostgreSQL that several processes share: each sync-server instance of a
 * cluster appends the updates its own clients send, and every instance (and {@code ./microcosm
 * store}) reads the same logs. Plain JDBC ({@code org.postgresql:postgresql}); one writer
 * connection plus {@link PostgresStoreOptions#readConnections()} for reads.
 *
 * <pre>{@code
 * try (PostgresUpdateStore store = PostgresUpdateStore.open("jdbc:postgresql://db:5432/nodenogg?user=sync")) {
 *   store.append("garden", update).thenAccept(seq -> ackToClient());
 * }
 * }</pre>
 *
 * <h2>Guarantee</h2>
 *
 * {@link #append}'s future completes normally only after the transaction holding the update has
 * committed (PostgreSQL's own durability: {@code synchronous_commit} of the server, on by default).
 * Concurrent appends share one transaction (group commit). While the database is unreachable,
 * appends wait unacknowledged and the writer reconnects and retries, for up to {@link
 * PostgresStoreOptions#outageTimeout()}; after that they fail with a {@link StoreException} and
 * nothing of them is acknowledged. {@link #health()} says whether the database answers. An update
 * its format refuses fails with {@link InvalidUpdateException} before anything is queued.
 *
 * <h2>Several instances</h2>
 *
 * Appends of different instances to one document are serialised by a row lock on the document, so
 * sequence numbers, counts and the document's version stay exact. Compaction (automatic past {@link
 * PostgresStoreOptions#compactionCount()} rows or {@link PostgresStoreOptions#compactionBytes()}
 * grown since the last one, or {@link #compact}) holds a PostgreSQL advisory lock on the document
 * and the optional {@link PostgresStoreOptions#compactionLock()}, and swaps the merged update in
 * with one transaction that checks the rows it merged are all still there; appends made meanwhile
 * are kept.
 *
 * <h2>Schema</h2>
 *
 * Tables {@code nodenogg_schema_version}, {@code nodenogg_documents}, {@code nodenogg_updates},
 * {@code nodenogg_metadata} in the connection's current schema, created and migrated forward on
 * open (one instance migrates, under an advisory lock; a database written by a newer library is
 * refused).
 *
 * <h2>Threads</h2>
 *
 * Thread-safe. Append futures complete, in append order, on one acknowledgement thread: callbacks
 * must not block for long and must never wait on another append or {@link #flush()} future of this
 * store. Everything else runs on the calling thread and blocks until the database answers.
 */
public final class PostgresUpdateStore implements UpdateStore {

  private final PgCore core;
  private final UpdateFormat format;
  private final boolean owner;

  private PostgresUpdateStore(PgCore core, UpdateFormat format, boolean owner) {
    this.core = core;
    this.format = format;
    this.owner = owner;
  }

  /** Opens the store at {@code jdbcUrl} with {@link PostgresStoreOptions#defaults()}. */
  public static PostgresUpdateStore open(String jdbcUrl) {
    return open(jdbcUrl, PostgresStoreOptions.defaults());
  }

  /**
   * Connects to {@code jdbcUrl} ({@code
   * jdbc:postgresql://HOST:PORT/DATABASE[?user=..&password=..]}), creating or migrating the store's
   * tables.
   *
   * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL
   * @throws StoreException if the database cannot be reached or was written by a newer version
   */
  public static PostgresUpdateStore open(String jdbcUrl, PostgresStoreOptions options) {
    Objects.requireNonNull(options, "options");
    return new PostgresUpdateStore(PgCore.open(jdbcUrl, options), options.format(), true);
  }

  /**
   * A view of this store for documents of another format, sharing its connections and group
   * commits. Closing a view does nothing; closing the store it came from closes every view.
   */
  public PostgresUpdateStore withFormat(UpdateFormat other) {
    Objects.requireNonNull(other, "format");
    if (other == format) {
      return this;
    }
    core.register(other);
    return new PostgresUpdateStore(core, other, false);
  }

  @Override
  public UpdateFormat format() {
    return format;
  }

  /**
   * Queues one update; blocks only while {@link PostgresStoreOptions#maxQueued()} appends are
   * waiting.
   *
   * @return completes with the update's sequence number in the document's log once committed; or
   *     exceptionally with {@link InvalidUpdateException} (refused, nothing stored) or {@link
   *     StoreException} (not stored: the database failed or stayed unreachable past the outage
   *     timeout; retrying is safe)
   */
  @Override
  public CompletableFuture<Long> append(String document, byte[] update) {
    return core.append(format, document, update);
  }

  @Override
  public CompletableFuture<Void> flush() {
    return core.flush();
  }

  /**
   * @throws CorruptDocumentException if a stored row fails its CRC-32 check
   */
  @Override
  public List<byte[]> load(String document) {
    return core.load(format, document);
  }

  @Override
  public Optional<byte[]> loadState(String document) {
    return core.loadState(format, document);
  }

  @Override
  public byte[] version(String document) {
    return core.version(format, document);
  }

  @Override
  public Optional<DocumentInfo> info(String document) {
    return core.info(format, document);
  }

  @Override
  public List<String> list() {
    return core.list(format);
  }

  /** Every document of any format: name to {@link UpdateFormat#name()}, sorted by name. */
  public Map<String, String> documentFormats() {
    return core.formats();
  }

  /**
   * Compacts now, on the calling thread. If another instance holds the document's compaction lock
   * (advisory or {@link PostgresStoreOptions#compactionLock()}) it is compacting: the log is
   * returned as it is.
   */
  @Override
  public Optional<DocumentInfo> compact(String document) {
    return core.compact(format, document);
  }

  @Override
  public boolean delete(String document) {
    return core.delete(format, document);
  }

  @Override
  public Map<String, String> metadata(String document) {
    return core.metadata(format, document);
  }

  @Override
  public void putMetadata(String document, String key, String value) {
    core.putMetadata(format, document, key, value);
  }

  /** Checks the schema version and reads every document of this format back, row by row. */
  @Override
  public CheckReport check() {
    return core.check(format);
  }

  /**
   * Whether the database answered the last time the store used it: {@link Health#ok()} or what
   * failed and since when. Does not contact the database; {@link #ping()} does.
   */
  public Health health() {
    String problem = core.health().problem();
    return problem == null
        ? Health.OK
        : new Health(false, problem, core.health().since(), core.queued());
  }

  /** Asks the database a trivial query now; true if it answered. */
  public boolean ping() {
    return core.ping();
  }

  /** Appends waiting for the writer (not yet in a transaction). */
  public int queued() {
    return core.queued();
  }

  /** The JDBC URL, password removed. */
  public String url() {
    return core.displayUrl();
  }

  public PostgresStoreOptions options() {
    return core.options();
  }

  /**
   * Commits every queued append (waiting up to the outage timeout if the database is unreachable),
   * then closes the connections. Idempotent; does nothing on a view made by {@link #withFormat}.
   */
  @Override
  public void close() {
    if (owner) {
      core.close();
    }
  }

  @Override
  public String toString() {
    return "PostgresUpdateStore[" + core.displayUrl() + ", " + format.name() + "]";
  }

  /**
   * The database's reachability as the store last saw it.
   *
   * @param ok true when the last use of the database succeeded
   * @param problem what failed, or null
   * @param sinceMillis epoch millis since when it has been failing (0 when ok)
   * @param queued appends waiting meanwhile
   */
  public record Health(boolean ok, String problem, long sinceMillis, int queued) {
    static final Health OK = new Health(true, null, 0, 0);
  }
}
