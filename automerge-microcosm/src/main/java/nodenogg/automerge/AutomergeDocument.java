package nodenogg.automerge;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import nodenogg.automerge.store.AutomergeFormat;
import nodenogg.microcosm.Subscription;
import nodenogg.persistence.InvalidUpdateException;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.SyncState;
import org.automerge.Transaction;

/**
 * One Automerge document shared by everything that works on it — a microcosm, its storage, sync transports —
 * with one lock and one stream of change notifications. Every access to the underlying {@link Document} goes
 * through this class, so a change and what listens to it (an index, an append to a store, a sync message to
 * peers) see the same states in the same order.
 *
 * <p><b>Changes.</b> {@link #change} (a local transaction), {@link #applyChanges} (bytes from a file or a store)
 * and {@link #receiveSyncMessage} (a peer) each notify every {@link ChangeListener} once, with the heads before
 * and after, <em>while the lock is still held</em>: listeners must be quick and must not block
 * (queue work elsewhere). Bytes that the library would refuse are refused first and leave the document as it was.
 *
 * <p>No patches: org.automerge 0.0.7's JNI layer aborts the JVM when it converts a patch that flags a conflict
 * ({@code makePatches}, {@code diff}), so this class never asks for them; {@code ChangeOps} reads what a change
 * touched from its bytes instead.
 *
 * <p>Thread-safe: every method may be called from any thread. Native memory is released by {@link #close()}.
 */
public final class AutomergeDocument implements AutoCloseable {

  /** Hears every change of the document (see the class comment for the rules). */
  @FunctionalInterface
  public interface ChangeListener {
    void changed(Change change);
  }

  /**
   * One change of the document as listeners see it.
   *
   * @param origin who made it: the value given to {@link #change}, {@link #applyChanges} or
   *     {@link #receiveSyncMessage}
   * @param local true for {@link #change} (a transaction on this document)
   */
  public record Change(AutomergeDocument document, Object origin, boolean local, ChangeHash[] before,
      ChangeHash[] after) {

    /**
     * The new changes as bytes (encoded changes since {@link #before()}), for storage or a peer. Only valid while
     * the listener runs (the lock is held).
     */
    public byte[] bytes() {
      return document.doc.encodeChangesSince(before);
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private final Document doc;
  private boolean closed;

  private AutomergeDocument(Document doc) {
    this.doc = doc;
  }

  /** A new empty document with a random actor. */
  public static AutomergeDocument create() {
    AutomergeNative.require();
    return new AutomergeDocument(new Document());
  }

  /** A new empty document writing as {@code actorId} (never share an actor between two live documents). */
  public static AutomergeDocument create(byte[] actorId) {
    AutomergeNative.require();
    return new AutomergeDocument(new Document(actorId.clone()));
  }

  /**
   * A document holding {@code bytes} (a saved document, encoded changes, or both).
   *
   * @throws InvalidUpdateException if the library refuses the bytes
   */
  public static AutomergeDocument load(byte[] bytes) {
    AutomergeDocument d = create();
    d.applyChanges(bytes, null);
    return d;
  }

  /** Adds a listener; closing the subscription removes it. */
  public Subscription onChange(ChangeListener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
    return () -> listeners.remove(l);
  }

  /** Runs {@code fn} on the underlying document under the lock (for reading; do not change it here). */
  public <T> T read(Function<Document, T> fn) {
    lock.lock();
    try {
      requireOpen();
      return fn.apply(doc);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code body} in one transaction with origin {@code origin} and commits it as one change. If {@code body}
   * throws, the transaction is rolled back and the exception propagates (nothing changed).
   *
   * @return the change, or empty if the body changed nothing
   */
  public Optional<Change> change(Object origin, Consumer<Transaction> body) {
    lock.lock();
    try {
      requireOpen();
      ChangeHash[] before = doc.getHeads();
      Transaction tx = doc.startTransaction();
      try {
        body.accept(tx);
      } catch (RuntimeException | Error e) {
        tx.rollback();
        throw e;
      }
      if (tx.commit().isEmpty()) {
        return Optional.empty();
      }
      Change c = new Change(this, origin, true, before, doc.getHeads());
      notifyListeners(c);
      return Optional.of(c);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies encoded changes or a saved document from elsewhere (a file, a store).
   *
   * @return the change, or empty if the bytes held nothing new
   * @throws InvalidUpdateException if the library refuses the bytes ({@link AutomergeFormat#check}); the document
   *     is unchanged then
   */
  public Optional<Change> applyChanges(byte[] bytes, Object origin) {
    AutomergeFormat.INSTANCE.check(bytes);
    lock.lock();
    try {
      requireOpen();
      ChangeHash[] before = doc.getHeads();
      doc.applyEncodedChanges(bytes);
      return finish(origin, before);
    } finally {
      lock.unlock();
    }
  }

  /** The next sync message for the peer whose state is {@code state}, if there is anything to say. */
  public Optional<byte[]> generateSyncMessage(SyncState state) {
    lock.lock();
    try {
      requireOpen();
      return doc.generateSyncMessage(state);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Receives a peer's sync message.
   *
   * @return the change it brought, or empty
   * @throws IllegalArgumentException if the library cannot decode the message or a change in it (the document is
   *     unchanged then)
   */
  public Optional<Change> receiveSyncMessage(SyncState state, byte[] message, Object origin) {
    lock.lock();
    try {
      requireOpen();
      ChangeHash[] before = doc.getHeads();
      try {
        doc.receiveSyncMessage(state, message);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not an Automerge sync message (or a change in it is corrupt): "
            + e.getMessage(), e);
      }
      return finish(origin, before);
    } finally {
      lock.unlock();
    }
  }

  private Optional<Change> finish(Object origin, ChangeHash[] before) {
    ChangeHash[] after = doc.getHeads();
    if (Arrays.equals(before, after)) {
      return Optional.empty();
    }
    Change c = new Change(this, origin, false, before, after);
    notifyListeners(c);
    return Optional.of(c);
  }

  private void notifyListeners(Change c) {
    for (ChangeListener l : listeners) {
      l.changed(c);
    }
  }

  /** The current heads. */
  public ChangeHash[] heads() {
    return read(Document::getHeads);
  }

  /** The whole document, compacted ({@code Document.save()}). */
  public byte[] save() {
    return read(Document::save);
  }

  /** Encoded changes since {@code heads} (empty array when there are none). */
  public byte[] changesSince(ChangeHash[] heads) {
    return read(d -> d.encodeChangesSince(heads));
  }

  /** The actor id this document writes as. */
  public byte[] actorId() {
    return read(Document::getActorId);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("this Automerge document is closed");
    }
  }

  /** Releases the native document. Idempotent; later calls throw {@link IllegalStateException}. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        doc.free();
      }
    } finally {
      lock.unlock();
    }
  }
}
