package nodenogg.automerge;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import nodenogg.automerge.internal.ChunkValidator;
import nodenogg.automerge.internal.Chunks;
import nodenogg.automerge.internal.SyncMessages;
import nodenogg.automerge.store.AutomergeFormat;
import nodenogg.microcosm.Subscription;
import nodenogg.persistence.InvalidUpdateException;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.SyncState;
import org.automerge.Transaction;

/**
 * One Automerge document shared by everything that works on it — a microcosm, its storage, sync
 * transports — with one lock and one stream of change notifications. Every access to the underlying
 * {@link Document} goes through this class, so a change and what listens to it (an index, an append
 * to a store, a sync message to peers) see the same states in the same order.
 *
 * <p><b>Changes.</b> {@link #change} (a local transaction), {@link #applyChanges} (bytes from a
 * file or a store) and {@link #receiveSyncMessage} (a peer) each notify every {@link
 * ChangeListener} once, with the heads before and after, <em>while the lock is still held</em>:
 * listeners must be quick and must not block (queue work elsewhere). Bytes that the library would
 * refuse are refused first and leave the document as it was.
 *
 * <p>No patches: org.automerge 0.0.7's JNI layer aborts the JVM when it converts a patch that flags
 * a conflict ({@code makePatches}, {@code diff}), so this class never asks for them; {@code
 * ChangeOps} reads what a change touched from its bytes instead.
 *
 * <p>Thread-safe: every method may be called from any thread. Native memory is released by {@link
 * #close()}.
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
   * @param origin who made it: the value given to {@link #change}, {@link #applyChanges} or {@link
   *     #receiveSyncMessage}
   * @param local true for {@link #change} (a transaction on this document)
   */
  public record Change(
      AutomergeDocument document,
      Object origin,
      boolean local,
      ChangeHash[] before,
      ChangeHash[] after) {

    /**
     * The new changes as bytes (encoded changes since {@link #before()}), for storage or a peer.
     * Only valid while the listener runs (the lock is held).
     */
    public byte[] bytes() {
      return document.doc.encodeChangesSince(before);
    }
  }

  private final ReentrantLock lock = new ReentrantLock();

  /**
   * Kind of every object this document's changes created (checks incoming operations address them
   * rightly).
   */
  private final java.util.Map<String, ChunkValidator.Kind> kinds = new java.util.HashMap<>();

  /** Set while checking a sync message: it carries a whole document. */
  private boolean syncedDocument;

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

  /**
   * A new empty document writing as {@code actorId} (never share an actor between two live
   * documents).
   */
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

  /**
   * Runs {@code fn} on the underlying document under the lock (for reading; do not change it here).
   */
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
   * Runs {@code body} in one transaction with origin {@code origin} and commits it as one change.
   * If {@code body} throws, the transaction is rolled back and the exception propagates (nothing
   * changed).
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
      learnKinds(c.bytes());
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
   * @throws InvalidUpdateException if the bytes are not Automerge data ({@link
   *     AutomergeFormat#check}; the document is unchanged then) or contradict this document
   *     (another change with the same actor and sequence number; of several chunks, those before
   *     the contradiction may have been applied)
   */
  public Optional<Change> applyChanges(byte[] bytes, Object origin) {
    AutomergeFormat.INSTANCE.check(bytes);
    lock.lock();
    try {
      requireOpen();
      java.util.Map<String, ChunkValidator.Kind> made = new java.util.HashMap<>();
      boolean document = false;
      for (Chunks.Chunk chunk : Chunks.read(bytes)) {
        try {
          made.putAll(
              ChunkValidator.validate(
                  chunk, id -> made.containsKey(id) ? made.get(id) : kinds.get(id)));
        } catch (IllegalArgumentException e) {
          throw new InvalidUpdateException(
              "these Automerge changes do not fit this document: " + e.getMessage(), e);
        }
        document |= chunk.kind() == Chunks.Kind.DOCUMENT;
      }
      ChangeHash[] before = doc.getHeads();
      try {
        doc.applyEncodedChanges(bytes);
      } catch (RuntimeException e) {
        // well-formed changes that contradict this document (e.g. another change with the same
        // actor and sequence
        // number): refused; what the library applied before the contradiction, if anything, is
        // reported as usual
        finish(origin, before);
        throw new InvalidUpdateException(
            "these Automerge changes do not fit this document: " + e.getMessage(), e);
      }
      learn(made);
      if (document) {
        learnVisibleKinds();
      }
      return finish(origin, before);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next sync message for the peer whose state is {@code state}, if there is anything to say.
   */
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
   * @throws IllegalArgumentException if the library cannot decode the message or a change in it
   *     (the document is unchanged then)
   */
  public Optional<Change> receiveSyncMessage(SyncState state, byte[] message, Object origin) {
    lock.lock();
    try {
      requireOpen();
      syncedDocument = false;
      java.util.Map<String, ChunkValidator.Kind> made = checkSyncMessage(message);
      ChangeHash[] before = doc.getHeads();
      try {
        doc.receiveSyncMessage(state, message);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "not an Automerge sync message (or a change in it is corrupt): " + e.getMessage(), e);
      }
      learn(made);
      if (syncedDocument) {
        learnVisibleKinds();
      }
      return finish(origin, before);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Checks every change in a sync message as {@link #applyChanges} checks bytes (the library
   * panics, aborting the JVM, on some malformed changes it would otherwise apply), and returns the
   * objects they create.
   */
  private java.util.Map<String, ChunkValidator.Kind> checkSyncMessage(byte[] message) {
    java.util.Map<String, ChunkValidator.Kind> made = new java.util.HashMap<>();
    try {
      for (byte[] change : SyncMessages.changes(message)) {
        AutomergeFormat.INSTANCE.check(
            change); // a change, or (sync v2, to a peer that has nothing) a whole document
        for (Chunks.Chunk chunk : Chunks.read(change)) {
          made.putAll(
              ChunkValidator.validate(
                  chunk, id -> made.containsKey(id) ? made.get(id) : kinds.get(id)));
          syncedDocument |= chunk.kind() == Chunks.Kind.DOCUMENT;
        }
      }
    } catch (InvalidUpdateException | IllegalArgumentException e) {
      throw new IllegalArgumentException("refused a sync message: " + e.getMessage(), e);
    }
    return made;
  }

  /**
   * Registers objects that applied changes created. Never overwrites: a refused change (e.g.
   * another change with the same actor and sequence number) may claim an object id that exists with
   * another kind.
   */
  private void learn(java.util.Map<String, ChunkValidator.Kind> made) {
    made.forEach(kinds::putIfAbsent);
  }

  /** Registers the objects that local changes create. */
  private void learnKinds(byte[] changes) {
    try {
      for (Chunks.Chunk chunk : Chunks.read(changes)) {
        learn(ChunkValidator.validate(chunk, kinds::get));
      }
    } catch (IllegalArgumentException e) {
      // our own library's output: cannot happen; the kinds stay as they were
    }
  }

  /** After loading a saved document: registers every object reachable from the root. */
  private void learnVisibleKinds() {
    java.util.ArrayDeque<org.automerge.ObjectId> todo = new java.util.ArrayDeque<>();
    todo.add(org.automerge.ObjectId.ROOT);
    int seen = 0;
    while (!todo.isEmpty() && seen++ < 10_000_000) {
      org.automerge.ObjectId o = todo.poll();
      org.automerge.AmValue[] values;
      if (doc.getObjectType(o).orElse(null) == org.automerge.ObjectType.MAP) {
        org.automerge.MapEntry[] es = doc.mapEntries(o).orElse(new org.automerge.MapEntry[0]);
        values = new org.automerge.AmValue[es.length];
        for (int i = 0; i < es.length; i++) {
          values[i] = es[i].getValue();
        }
      } else if (doc.getObjectType(o).orElse(null) == org.automerge.ObjectType.LIST) {
        values = doc.listItems(o).orElse(new org.automerge.AmValue[0]);
      } else {
        continue;
      }
      for (org.automerge.AmValue v : values) {
        if (v instanceof org.automerge.AmValue.Map m) {
          kinds.putIfAbsent(m.getId().toString(), ChunkValidator.Kind.MAP);
          todo.add(m.getId());
        } else if (v instanceof org.automerge.AmValue.List l) {
          kinds.putIfAbsent(l.getId().toString(), ChunkValidator.Kind.LIST);
          todo.add(l.getId());
        } else if (v instanceof org.automerge.AmValue.Text t) {
          kinds.putIfAbsent(t.getId().toString(), ChunkValidator.Kind.TEXT);
        }
      }
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
