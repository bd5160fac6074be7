package nodenogg.persistence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A durable store of document updates: per document name, an append-only log of updates in one
 * {@link UpdateFormat}, compacted from time to time into one merged update. This is the one seam
 * between documents (a microcosm, the sync server) and storage: {@link InMemoryUpdateStore}, the
 * SQLite store ({@code nodenogg.persistence.sqlite.SqliteUpdateStore}) and any future backend
 * implement it, and every user (y-microcosm, the sync server, {@code ./microcosm store}) talks only
 * to it.
 *
 * <h2>Appends are asynchronous</h2>
 *
 * {@link #append} checks the update, queues it and returns at once (it may block only for
 * back-pressure, when the backend's queue is full). Its future completes normally <em>only once the
 * update is durable</em> — nothing may be acknowledged to anyone before that — and exceptionally
 * otherwise:
 *
 * <ul>
 *   <li>{@link InvalidUpdateException}: the bytes are not an update of this store's format
 *       (exactly: the format's engine would refuse them too). Nothing was stored; the store is
 *       fine. This is the sender's problem, never a storage failure.
 *   <li>any other {@link StoreException}: the store could not make it durable (I/O error, disk
 *       full, lock timeout, closed store). Not stored; retrying is safe because updates are
 *       idempotent.
 * </ul>
 *
 * {@link #flush()} is the barrier "everything appended so far is durable (or failed)". Append
 * futures of one store complete in append order; callbacks attached to them must not block for long
 * (they may run on the store's acknowledgement thread) and must never wait on another future of the
 * same store.
 *
 * <h2>Everything else blocks</h2>
 *
 * Reads and administration ({@link #load}, {@link #compact}, {@link #list}, ...) return when the
 * backend has answered; call them off event-loop threads. They see every append whose future has
 * completed, and with the SQLite store every append made before them on the same store.
 *
 * <h2>Documents and formats</h2>
 *
 * Document names are non-empty strings (a microcosm id, a room name); an empty or null name throws
 * {@link IllegalArgumentException} at once. A store holds documents of its {@link #format()}; a
 * backend that keeps documents of several formats in one place gives one {@code UpdateStore} per
 * format and refuses to mix them (a name belongs to one format).
 *
 * <h2>Writing a backend</h2>
 *
 * Implement every method with the guarantees above; call {@link UpdateFormat#check} before anything
 * is queued (so a rejected update changes nothing), keep the per-document {@link
 * UpdateFormat.Coverage} (added up on each append, persisted with the log) to answer {@link
 * #version} without reading the log, and compact with {@link UpdateFormat#merge}, replacing the
 * merged rows and writing the merged update in one atomic step (keeping rows {@link
 * UpdateFormat.Merged#keep()} flags). Run the behaviour tests of the {@code persistence-api}
 * test-jar ({@code nodenogg.persistence.UpdateStoreContract}) against it, as {@code
 * InMemoryUpdateStoreTest} and the SQLite module do. {@link ForwardingUpdateStore} helps to wrap
 * one store in another (metrics, fault injection).
 *
 * <p>Thread-safety: implementations must be safe for use by many threads at once.
 */
public interface UpdateStore extends AutoCloseable {

  /** The format of every update in this store. */
  UpdateFormat format();

  /**
   * Appends one update to {@code document}'s log, creating the document if new. Returns without
   * waiting for storage.
   *
   * @return completes with the update's sequence number in the document's log (increasing, never
   *     reused) once the update is durable; exceptionally with {@link InvalidUpdateException}
   *     (refused, nothing stored) or another {@link StoreException} (not stored)
   * @throws IllegalArgumentException for an empty or null document name
   * @throws NullPointerException for a null update
   */
  CompletableFuture<Long> append(String document, byte[] update);

  /**
   * A barrier: completes once every append accepted before this call has completed (durable or
   * failed). It completes normally even if some of those appends failed; their own futures say so.
   */
  CompletableFuture<Void> flush();

  /**
   * The document's stored updates in log order (a compacted prefix appears as one merged update);
   * empty for an unknown document. Applying them all to an empty document gives the stored state.
   *
   * @throws CorruptDocumentException if the stored data of this document is damaged
   */
  List<byte[]> load(String document);

  /**
   * The document's whole stored state as one update ({@link UpdateFormat#merge} of its log), or
   * empty if the document is unknown.
   *
   * @throws StoreException if this store's format cannot merge ({@link UpdateFormat#canMerge()})
   */
  Optional<byte[]> loadState(String document);

  /**
   * What the stored log holds, in the format's own terms ({@link UpdateFormat.Coverage#version()}):
   * for Yjs the v1 state vector counting, per client, the clocks stored contiguously from 0. Kept
   * up to date on every append, so this never reads the log. An unknown document gives the empty
   * version.
   */
  byte[] version(String document);

  /** Row count and size of the document's log, or empty if unknown. */
  Optional<DocumentInfo> info(String document);

  /** Names of all documents of this store's format, sorted. */
  List<String> list();

  /**
   * Replaces the document's log by one merged update now, atomically: the document is never missing
   * and appends made meanwhile are kept, as are rows {@link UpdateFormat.Merged#keep() flagged} by
   * the format (data not yet integrable). A format that cannot merge leaves the log as it is.
   *
   * @return the log's size afterwards, or empty if the document is unknown
   * @throws CorruptDocumentException if a stored update is damaged (the log is left as it was)
   */
  Optional<DocumentInfo> compact(String document);

  /**
   * Deletes a document with its updates and metadata, durably. @return false if it did not exist
   */
  boolean delete(String document);

  /** The document's metadata (small string key/value pairs); empty if none or unknown. */
  Map<String, String> metadata(String document);

  /**
   * Sets ({@code value != null}) or removes ({@code value == null}) one metadata entry, durably;
   * creates the document if needed.
   */
  void putMetadata(String document, String key, String value);

  /**
   * Checks the storage and reads every document of this format back; reports damage, never throws
   * for it.
   */
  CheckReport check();

  /**
   * Completes every queued append (their futures complete), then releases resources. Later calls
   * fail with {@link StoreException}. Idempotent.
   */
  @Override
  void close();
}
