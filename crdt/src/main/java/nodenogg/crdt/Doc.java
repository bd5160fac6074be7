package nodenogg.crdt;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Yjs-compatible document: named root types, the struct store and transactions (yjs
 * utils/Doc.js).
 *
 * <p>Thread-safety: a Doc is guarded by its own lock. Every public method of the Doc and of its
 * shared types may be called from any thread; calls are serialized. A transaction holds the lock
 * from start to the end of its cleanup, so observers and update listeners run synchronously on the
 * calling thread, inside the lock. Do not block in observers waiting for another thread that uses
 * the same Doc.
 */
public final class Doc {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Construction options. */
  public static final class Options {
    Long clientId;
    String guid;
    boolean gc = true;

    public Options clientId(long id) {
      if (id < 0 || id > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("client id must be a uint32 (0..4294967295): " + id);
      }
      this.clientId = id;
      return this;
    }

    public Options guid(String g) {
      this.guid = g;
      return this;
    }

    public Options gc(boolean on) {
      this.gc = on;
      return this;
    }

    // ---- sub-documents (yjs Doc options autoLoad / shouldLoad / meta) ----
    boolean autoLoad;
    boolean shouldLoad = true;
    Object meta;

    /** Load this doc automatically when it is added to a parent as a sub-document. */
    public Options autoLoad(boolean on) {
      this.autoLoad = on;
      return this;
    }

    /** Whether a sub-document should be loaded (default true for new docs). */
    public Options shouldLoad(boolean on) {
      this.shouldLoad = on;
      return this;
    }

    /** Free-form metadata stored with a sub-document reference (a JSON value). */
    public Options meta(Object m) {
      this.meta = m;
      return this;
    }
  }

  volatile long clientId;
  private volatile String
      guid; // generated on first use: a server never asks for most documents' guid
  final boolean gc;
  final StructStore store = new StructStore();
  final Map<String, AbstractType<?>> share = new LinkedHashMap<>(4);
  final ReentrantLock lock = new ReentrantLock();
  Transaction transaction;
  final List<Transaction> transactionCleanups = new ArrayList<>(2);
  // A server keeps thousands of documents with few or no listeners: each Listeners is one reference
  // to a shared empty array until something subscribes.
  private final Listeners<Object> updateListeners = new Listeners<>();
  private final Listeners<Object> updateV2Listeners = new Listeners<>();
  final Listeners<Transaction> afterTransactionListeners = new Listeners<>();
  final Listeners<Transaction> beforeObserverListeners = new Listeners<>();
  final Listeners<Transaction> afterCleanupListeners = new Listeners<>();

  public Doc() {
    this(new Options());
  }

  public Doc(Options opts) {
    this.clientId = opts.clientId != null ? opts.clientId : generateClientId();
    this.guid = opts.guid;
    this.gc = opts.gc;
    this.autoLoad = opts.autoLoad;
    this.shouldLoad = opts.shouldLoad;
    this.meta = opts.meta;
  }

  static long generateClientId() {
    return RANDOM.nextInt() & 0xFFFFFFFFL;
  }

  // ---- sub-documents (yjs Doc.subdocs / load / destroy / 'subdocs' event); see Subdocs ----
  /** The item holding this doc when it is a sub-document of another doc, else null. */
  Item item;

  boolean autoLoad;
  boolean shouldLoad;
  Object meta;
  boolean destroyed;

  /** Sub-documents held by this doc; null until the first one is added. Guarded by the lock. */
  java.util.Set<Doc> subdocs;

  final Listeners<SubdocsEvent> subdocsListeners = new Listeners<>();
  final Listeners<Doc> destroyListeners = new Listeners<>();

  public boolean autoLoad() {
    return autoLoad;
  }

  /** Whether this (sub-)document should be loaded by providers. */
  public boolean shouldLoad() {
    return shouldLoad;
  }

  public Object meta() {
    return meta;
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  /** The doc this one is a sub-document of, or null. */
  public Doc parentDoc() {
    Item i = item;
    return i == null || i.parent == null ? null : i.parent.doc;
  }

  /**
   * Requests loading of this sub-document: the parent emits 'subdocs' with it in {@code loaded()}.
   */
  public void load() {
    Doc parent = parentDoc();
    if (parent == null) {
      shouldLoad = true;
      return;
    }
    parent.lock.lock();
    try {
      Subdocs.load(this);
    } finally {
      parent.lock.unlock();
    }
  }

  /** The sub-documents currently held by this doc (insertion order). */
  public java.util.Set<Doc> getSubdocs() {
    return read(
        () ->
            subdocs == null
                ? java.util.Collections.emptySet()
                : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(subdocs)));
  }

  public java.util.Set<String> getSubdocGuids() {
    return read(
        () -> {
          java.util.Set<String> s = new java.util.LinkedHashSet<>();
          if (subdocs != null) {
            for (Doc d : subdocs) {
              s.add(d.guid());
            }
          }
          return s;
        });
  }

  /** Listen to sub-documents added, removed and loaded (after each transaction's update events). */
  public Subscription onSubdocs(Consumer<SubdocsEvent> l) {
    return subdocsListeners.add(l);
  }

  public Subscription onDestroy(Consumer<Doc> l) {
    return destroyListeners.add(l);
  }

  /**
   * Destroys this doc and its sub-documents; a sub-document is replaced in its parent by a fresh,
   * unloaded Doc with the same guid (yjs Doc.destroy).
   */
  public void destroy() {
    Doc parent = parentDoc();
    if (parent != null) {
      parent.lock.lock();
    }
    lock.lock();
    try {
      Subdocs.destroy(this);
    } finally {
      lock.unlock();
      if (parent != null) {
        parent.lock.unlock();
      }
    }
  }

  /** This peer's client id, an unsigned 32-bit value. May change if a remote update reuses it. */
  public long clientId() {
    return clientId;
  }

  /** The document's guid: the one given in the options, else a random UUID fixed on first call. */
  public String guid() {
    String g = guid;
    if (g == null) {
      synchronized (this) {
        g = guid;
        if (g == null) {
          g = UUID.randomUUID().toString();
          guid = g;
        }
      }
    }
    return g;
  }

  /** Whether deleted content is garbage-collected. */
  public boolean gc() {
    return gc;
  }

  public YMap getMap(String name) {
    return getRoot(name, YMap.class, YMap::new);
  }

  public YArray getArray(String name) {
    return getRoot(name, YArray.class, YArray::new);
  }

  public YText getText(String name) {
    return getRoot(name, YText.class, YText::new);
  }

  public YXmlFragment getXmlFragment(String name) {
    return getRoot(name, YXmlFragment.class, YXmlFragment::new);
  }

  /** A root XML element (node name "UNDEFINED", as in Yjs). */
  public YXmlElement getXmlElement(String name) {
    return getRoot(name, YXmlElement.class, YXmlElement::new);
  }

  private <T extends AbstractType<?>> T getRoot(String name, Class<T> cls, Supplier<T> ctor) {
    lock.lock();
    try {
      AbstractType<?> t = share.get(name);
      if (t == null) {
        T n = ctor.get();
        n.integrate(this, null);
        share.put(name, n);
        return n;
      }
      if (cls.isInstance(t)) {
        return cls.cast(t);
      }
      if (t.getClass() == UnknownType.class) {
        T n = ctor.get();
        n.map = t.map;
        for (Item it : n.map.values()) {
          for (Item i = it; i != null; i = i.left) {
            i.parent = n;
          }
        }
        n.start = t.start;
        for (Item i = n.start; i != null; i = i.right) {
          i.parent = n;
        }
        n.length = t.length;
        n.integrate(this, null);
        share.put(name, n);
        return n;
      }
      throw new IllegalStateException(
          "Type with the name "
              + name
              + " has already been defined as "
              + t.getClass().getSimpleName()
              + "; ask for that type instead");
    } finally {
      lock.unlock();
    }
  }

  /** Root lookup used by decoded items: creates an untyped placeholder like Yjs's doc.get(key). */
  AbstractType<?> getOrCreateRoot(String name) {
    AbstractType<?> t = share.get(name);
    if (t == null) {
      t = new UnknownType();
      t.integrate(this, null);
      share.put(name, t);
    }
    return t;
  }

  String findRootTypeKey(AbstractType<?> type) {
    for (Map.Entry<String, AbstractType<?>> e : share.entrySet()) {
      if (e.getValue() == type) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("root type not found in doc");
  }

  /** Runs {@code fn} in a local transaction with origin null. */
  public void transact(Consumer<Transaction> fn) {
    transact(fn, null, true);
  }

  /**
   * Runs {@code fn} in a local transaction with the given origin. Nested calls join the outer
   * transaction.
   */
  public void transact(Consumer<Transaction> fn, Object origin) {
    transact(fn, origin, true);
  }

  /**
   * Runs {@code fn} in a local transaction with origin null and returns what it returns (as Yjs's
   * {@code doc.transact} does), e.g. {@code int n = doc.transact(() -> { text.insert(0, "a");
   * return text.length(); })}. The value is returned after the transaction's observers and update
   * listeners have run.
   */
  public <T> T transact(Supplier<T> fn) {
    return transact(fn, null);
  }

  /**
   * As {@link #transact(Supplier)}, with the given origin. Nested calls join the outer transaction.
   */
  public <T> T transact(Supplier<T> fn, Object origin) {
    return transaction(tr -> fn.get(), origin, true);
  }

  void transact(Consumer<Transaction> fn, Object origin, boolean local) {
    transaction(
        tr -> {
          fn.accept(tr);
          return null;
        },
        origin,
        local);
  }

  /**
   * yjs transact: runs {@code fn} in the current transaction, or in a new one that is cleaned up
   * (observers, gc, merging, update events) before this returns, and returns what {@code fn}
   * returned.
   */
  <T> T transaction(Function<Transaction, T> fn, Object origin, boolean local) {
    lock.lock();
    try {
      boolean initialCall = false;
      if (transaction == null) {
        initialCall = true;
        transaction = new Transaction(this, origin, local);
        transactionCleanups.add(transaction);
      }
      try {
        return fn.apply(transaction);
      } finally {
        if (initialCall) {
          boolean finishCleanup = transaction == transactionCleanups.get(0);
          transaction = null;
          if (finishCleanup) {
            Transaction.cleanupTransactions(transactionCleanups, 0);
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies a v1 update like {@link Updates#applyUpdate(Doc, byte[], Object)} and says what
   * happened: whether the document changed, the v1 update it emitted for the change (what its
   * update listeners received: only what was new to this document), and whether structs or
   * deletions are left pending for missing dependencies. Encoding the emitted update costs about as
   * much as one update listener; use {@code Updates.applyUpdate} when nothing needs the result.
   *
   * @throws nodenogg.crdt.encoding.DecodingException or {@link UpdateException} for a malformed
   *     update (the document is left exactly as it was)
   * @throws IllegalStateException when called inside a transaction or an observer of this Doc: the
   *     update would join that transaction, whose outcome is known only when it ends (use {@code
   *     Updates.applyUpdate} there)
   */
  public ApplyResult applyUpdate(byte[] update, Object origin) {
    return Updates.applyWithResult(this, UpdateCodec.decodeV1(update), origin, false);
  }

  /**
   * As {@link #applyUpdate(byte[], Object)} for a v2 update; the result's update is in format v2.
   */
  public ApplyResult applyUpdateV2(byte[] update, Object origin) {
    return Updates.applyWithResult(this, UpdateCodec.decodeV2(update), origin, true);
  }

  <T> T read(Supplier<T> f) {
    lock.lock();
    try {
      return f.get();
    } finally {
      lock.unlock();
    }
  }

  /** Listen to the v1 update of every transaction that changed something. */
  public Subscription onUpdate(UpdateListener l) {
    return updateListeners.addListener(l);
  }

  /**
   * Listen to the v2 update of every transaction that changed something (after the v1 listeners).
   */
  public Subscription onUpdateV2(UpdateListener l) {
    return updateV2Listeners.addListener(l);
  }

  /** Called after each transaction's observers, before gc/merging and the update event. */
  public Subscription onAfterTransaction(Consumer<Transaction> l) {
    return afterTransactionListeners.add(l);
  }

  Subscription onAfterTransactionCleanup(Consumer<Transaction> l) {
    return afterCleanupListeners.add(l);
  }

  Subscription onBeforeObserverCalls(Consumer<Transaction> l) {
    return beforeObserverListeners.add(l);
  }

  /**
   * Every root defined on this Doc (through {@code getMap}, {@code getArray}, ...) as plain values
   * (toJSON of each type), in definition order. A root that so far only arrived in remote updates
   * and was never asked for here is left out, as in Yjs (its untyped placeholder's toJSON is
   * undefined, so {@code JSON.stringify(doc.toJSON())} omits it); ask for it with its type to
   * include it.
   */
  public Map<String, Object> toJSON() {
    return read(
        () -> {
          Map<String, Object> m = new LinkedHashMap<>();
          for (Map.Entry<String, AbstractType<?>> e : share.entrySet()) {
            if (!(e.getValue() instanceof UnknownType)) {
              m.put(e.getKey(), e.getValue().toJSON());
            }
          }
          return m;
        });
  }

  /** True when updates are waiting for missing dependencies (pending structs or deletes). */
  public boolean hasPending() {
    return read(() -> store.pendingStructs != null || store.pendingDs != null);
  }

  void callObservers(Transaction tr) {
    beforeObserverListeners.call(tr);
    if (afterTransactionListeners.isEmpty() && !anyEventConsumer(tr)) {
      // Nobody receives an event (no observers, deep observers or afterTransaction listeners), so
      // no user code runs below: only the per-type side effects and the formatting cleanup remain.
      for (AbstractType<?> type : tr.changed.keySet()) {
        if (type.item == null || !type.item.isDeleted()) {
          type.observerSideEffects(tr);
        }
      }
      if (tr.needFormattingCleanup) {
        YText.cleanupAfterTransaction(tr);
      }
      return;
    }
    List<Runnable> fs = new ArrayList<>();
    for (Map.Entry<AbstractType<?>, java.util.Set<String>> e :
        new ArrayList<>(tr.changed.entrySet())) {
      AbstractType<?> type = e.getKey();
      fs.add(
          () -> {
            if (type.item == null || !type.item.isDeleted()) {
              // Events are only needed by the type's observers, deep observers of it or an
              // ancestor,
              // and afterTransaction listeners (the UndoManager reads changedParentTypes). Checked
              // when this entry runs, so listeners added by earlier observers still get their
              // event.
              if (afterTransactionListeners.isEmpty() && !type.hasEventConsumers()) {
                type.observerSideEffects(tr);
              } else {
                type.callObserver(tr, e.getValue());
              }
            }
          });
    }
    fs.add(
        () -> {
          for (Map.Entry<AbstractType<?>, List<YEvent>> e :
              new ArrayList<>(tr.changedParentTypes.entrySet())) {
            AbstractType<?> type = e.getKey();
            if (!type.deepListeners.isEmpty() && (type.item == null || !type.item.isDeleted())) {
              fs.add(
                  () -> {
                    List<YEvent> events = new ArrayList<>();
                    for (YEvent ev : e.getValue()) {
                      if (ev.target.item == null || !ev.target.item.isDeleted()) {
                        events.add(ev);
                      }
                    }
                    for (YEvent ev : events) {
                      ev.currentTarget = type;
                      ev.path = null;
                    }
                    events.sort((a, b) -> a.path().size() - b.path().size());
                    type.deepListeners.call(events);
                  });
            }
          }
          fs.add(() -> afterTransactionListeners.call(tr));
          fs.add(
              () -> {
                if (tr.needFormattingCleanup) {
                  YText.cleanupAfterTransaction(tr);
                }
              });
        });
    RuntimeException first = null;
    for (int i = 0; i < fs.size(); i++) {
      try {
        fs.get(i).run();
      } catch (RuntimeException ex) {
        if (first == null) {
          first = ex;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static boolean anyEventConsumer(Transaction tr) {
    for (AbstractType<?> type : tr.changed.keySet()) {
      if (type.hasEventConsumers()) {
        return true;
      }
    }
    return false;
  }

  void emitUpdate(Transaction tr) {
    afterCleanupListeners.call(tr);
    Object[] v1 = updateListeners.snapshot();
    if (v1.length > 0 || tr.keepUpdate == Transaction.KEEP_V1) {
      byte[] u = tr.encodeUpdate(new UpdateEncoderV1());
      if (u != null) {
        if (tr.keepUpdate == Transaction.KEEP_V1) {
          tr.emitted = u;
        }
        for (Object l : v1) {
          ((UpdateListener) l).onUpdate(u, tr.origin, tr);
        }
      }
    }
    Object[] v2 = updateV2Listeners.snapshot();
    if (v2.length > 0 || tr.keepUpdate == Transaction.KEEP_V2) {
      byte[] u = tr.encodeUpdate(new UpdateEncoderV2());
      if (u != null) {
        if (tr.keepUpdate == Transaction.KEEP_V2) {
          tr.emitted = u;
        }
        for (Object l : v2) {
          ((UpdateListener) l).onUpdate(u, tr.origin, tr);
        }
      }
    }
  }
}
