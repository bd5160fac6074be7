package nodenogg.ymicrocosm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Subscription;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YMap;
import nodenogg.microcosm.EditableMicrocosmAPI;
import nodenogg.microcosm.Entities;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityData;
import nodenogg.microcosm.EntityId;
import nodenogg.microcosm.EntityListener;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.IdentityWithStatus;
import nodenogg.microcosm.InvalidEntityException;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.MicrocosmId;
import nodenogg.microcosm.MicrocosmState;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.yjs.DocBinding;
import nodenogg.persistence.yjs.YjsStorage;
import nodenogg.sync.protocol.Awareness;
import nodenogg.ymicrocosm.internal.CollectionIndex;
import nodenogg.ymicrocosm.internal.CollectionUndo;
import nodenogg.ymicrocosm.internal.ListenerHub;
import nodenogg.ymicrocosm.internal.PresenceView;
import nodenogg.ymicrocosm.internal.Values;
import nodenogg.ymicrocosm.spi.MicrocosmProvider;
import nodenogg.ymicrocosm.spi.ProviderConnection;
import nodenogg.ymicrocosm.spi.ProviderContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A microcosm on the pure-Java Yjs engine, in the document layout of the nodenogg.in web app.
 *
 * <h2>Document layout (E5; E4 via {@link MicrocosmOptions#profile})</h2>
 *
 * Root map {@code identities}: identity id → {@code true} (readers find collections only here). One
 * root map per identity, named by the identity id: entity id → plain value {@code {content:
 * <entity>, signature: ''}}. Updates rewrite the whole value; deletes remove the key. Reading is
 * lenient: values that fail validation are skipped and reported through {@link #onInvalidValue},
 * never thrown.
 *
 * <h2>Threading model</h2>
 *
 * Every public method may be called from any thread. Document access is serialized by the {@link
 * Doc}'s lock; an edit call is one transaction, visible in {@link #entities()} when the call
 * returns. Reads return immutable snapshots and take no lock. Listeners never run on the caller's
 * thread or on a transport's I/O thread: they run, in order, on this microcosm's event thread
 * ({@code microcosm-<id>}), or on the executor given with {@link
 * MicrocosmOptions#listenerExecutor}. A listener may call back into the microcosm. The same thread
 * runs the presence check every 3 s (renewing our own presence after 15 s, dropping peers silent
 * for 30 s).
 *
 * <h2>Editing</h2>
 *
 * Edits go only to the collection chosen with {@link #identify}; each call is one transaction (one
 * update to peers and storage) and one undo step. Undo/redo ({@code CollectionUndo}) is scoped to
 * the own collection and never reverts what others changed since: a key someone else overwrote
 * keeps their value. Indexing is incremental: map observers collect the keys a transaction touched
 * and only those values are decoded again.
 *
 * <h2>Storage</h2>
 *
 * With an {@link UpdateStore} ({@link MicrocosmOptions#persistence}), {@link #open} loads the
 * stored updates and every later change is appended to the store. Storage never holds up an edit:
 * the append is queued from the document's update event and the edit call returns without waiting
 * for the disk (the document's lock is never held during an fsync). {@link #flush()} is how to
 * wait: it completes once every change so far is durable, or fails with the store's error. A failed
 * append is kept and retried (before the next one and on {@code flush}); meanwhile {@link
 * MicrocosmState#persisted()} is false, and true again once everything is stored. The document is
 * never rolled back for a storage failure: peers have the change.
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #open} loads the persisted updates (if a store is given), scans the document, connects the
 * providers and is then {@code ready}. {@link #close} leaves presence, disconnects, waits until the
 * store has every change ({@link #flush()}), stops the event thread. The store passed in is not
 * closed (its owner closes it).
 */
public final class YMicrocosm implements EditableMicrocosmAPI {
  private static final Logger LOG = LoggerFactory.getLogger(YMicrocosm.class);
  private static final long CHECK_PERIOD_MILLIS = Awareness.CHECK_INTERVAL_MILLIS;

  /** Transaction origins, so the update listener knows who changed the document. */
  private static final class Origin {
    private final String name;

    Origin(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private final Origin local = new Origin("microcosm-local");
  private final Origin register = new Origin("microcosm-register");
  private final Origin stored = new Origin("microcosm-persistence");
  private final Origin applied = new Origin("microcosm-applyUpdate");
  private final Origin undoing = new Origin("microcosm-undo");

  private final String id;
  private final SchemaProfile profile;
  private final MicrocosmOptions options;
  private final Doc doc;
  private final Awareness awareness;
  private final CollectionIndex index;
  private final ScheduledThreadPoolExecutor loop;
  private final ListenerHub hub;
  private final DocBinding binding;
  private final Map<Object, Boolean> transports = new ConcurrentHashMap<>();
  private final List<ProviderConnection> connections = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object stateLock = new Object();
  private final Subscription indexSubscription;
  private final Awareness.Registration awarenessRegistration;

  /** The own collection and its undo scope, replaced together by {@link #identify}. */
  private record Own(String identity, CollectionUndo undo) {}

  private volatile Own own;
  private volatile Identity joinedAs;
  private volatile List<IdentityWithStatus> presence = List.of();
  private volatile boolean ready;
  private volatile boolean persisted;
  private volatile MicrocosmState state = new MicrocosmState(false, false, false, List.of());

  private YMicrocosm(String id, MicrocosmOptions options) {
    this.id = id;
    this.options = options;
    this.profile = options.profile;
    this.doc =
        options.clientId == null
            ? new Doc()
            : new Doc(new Doc.Options().clientId(options.clientId));
    this.awareness = new Awareness(doc.clientId(), options.clock);
    this.index = new CollectionIndex(doc, profile);
    this.loop =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "microcosm-" + id);
              t.setDaemon(true);
              return t;
            });
    this.loop.setRemoveOnCancelPolicy(true);
    this.hub =
        new ListenerHub(id, options.listenerExecutor != null ? options.listenerExecutor : loop);
    if (options.persistence != null) {
      // loads the stored updates (origin `stored`, not written back), then appends every later
      // update
      this.binding = YjsStorage.bind(options.persistence, doc, id, stored, this::onStoreStatus);
      persisted = true;
    } else {
      this.binding = null;
    }
    doc.transact(tr -> index.flush(false), register);
    this.indexSubscription = doc.onAfterTransaction(tr -> onTransaction(tr.origin()));
    this.awarenessRegistration = awareness.onChange((change, origin) -> onPresenceChange());
  }

  /** Opens an in-memory E5 microcosm with no storage and no transport. */
  public static YMicrocosm inMemory(String microcosmId) {
    return open(microcosmId, MicrocosmOptions.defaults());
  }

  /**
   * Opens a microcosm: loads persisted updates, connects providers.
   *
   * @throws IllegalArgumentException for an invalid microcosm id
   * @throws StoreException when the store cannot be read ({@link
   *     nodenogg.persistence.CorruptDocumentException} naming the microcosm when its stored updates
   *     are damaged)
   */
  public static YMicrocosm open(String microcosmId, MicrocosmOptions options) {
    MicrocosmId.require(microcosmId);
    if (options.profile == SchemaProfile.E4 && !MicrocosmId.isValidE4(microcosmId)) {
      throw new IllegalArgumentException(
          "an E4 microcosm id needs at least 3 letters or digits, got '" + microcosmId + "'");
    }
    YMicrocosm m = new YMicrocosm(microcosmId, options);
    m.start();
    return m;
  }

  private void start() {
    loop.scheduleWithFixedDelay(
        this::checkPresenceSafely, CHECK_PERIOD_MILLIS, CHECK_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    ready = true;
    publishState();
    for (MicrocosmProvider p : options.providers) {
      attach(p);
    }
  }

  // ---- engine access
  // -----------------------------------------------------------------------------

  /**
   * The underlying document (for providers and tools). Do not write the microcosm maps directly.
   */
  public Doc doc() {
    return doc;
  }

  /** The presence state shared with peers. */
  public Awareness awareness() {
    return awareness;
  }

  /**
   * Applies a Yjs v1 update from elsewhere (a file, another peer). Throws the engine's error if
   * malformed.
   */
  public void applyUpdate(byte[] update) {
    Updates.applyUpdate(doc, update, applied);
  }

  /**
   * Completes once every change made so far is durable in the store given with {@link
   * MicrocosmOptions#persistence} (at once when there is none). Changes whose append failed are
   * retried first. Completes exceptionally with a {@link StoreException} that says what could not
   * be stored while some change still is not (the document keeps it, and peers have it).
   */
  public CompletableFuture<Void> flush() {
    if (binding == null) {
      return CompletableFuture.completedFuture(null);
    }
    return binding
        .flush()
        .exceptionallyCompose(
            e -> {
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              return CompletableFuture.failedFuture(
                  new StoreException(
                      "microcosm '"
                          + id
                          + "': a change is in the document"
                          + " (and sent to peers) but could not be stored: "
                          + cause.getMessage(),
                      cause));
            });
  }

  /** The whole document as one Yjs v1 update. */
  public byte[] encodeStateAsUpdate() {
    return Updates.encodeStateAsUpdate(doc);
  }

  /**
   * Connects a transport now (providers in the options are attached on open).
   *
   * @return closing it disconnects this transport
   */
  public nodenogg.microcosm.Subscription attach(MicrocosmProvider provider) {
    requireOpen();
    Object token = new Object();
    ProviderContext ctx =
        new ProviderContext() {
          @Override
          public String documentName() {
            return id;
          }

          @Override
          public Doc doc() {
            return doc;
          }

          @Override
          public Awareness awareness() {
            return awareness;
          }

          @Override
          public void connectionChanged(boolean connected) {
            if (transports.containsKey(token)) {
              transports.put(token, connected);
              publishState();
            }
          }
        };
    transports.put(token, false);
    ProviderConnection conn;
    try {
      conn = provider.connect(ctx);
    } catch (Exception e) {
      transports.remove(token);
      throw new IllegalStateException(
          "provider could not start for microcosm '" + id + "': " + e, e);
    }
    connections.add(conn);
    return () -> {
      if (connections.remove(conn)) {
        closeQuietly(conn);
      }
      transports.remove(token);
      publishState();
    };
  }

  // ---- read side
  // ---------------------------------------------------------------------------------

  @Override
  public String microcosmId() {
    return id;
  }

  @Override
  public SchemaProfile profile() {
    return profile;
  }

  @Override
  public MicrocosmState state() {
    return state;
  }

  @Override
  public Optional<Entity> getEntity(EntityLocation location) {
    return Optional.ofNullable(index.snapshot().entities().get(location));
  }

  @Override
  public List<String> getCollections() {
    return index.snapshot().collections();
  }

  @Override
  public List<String> getCollection(String identityId) {
    return List.copyOf(collection(identityId).keySet());
  }

  @Override
  public Map<String, Entity> collection(String identityId) {
    return index.snapshot().byCollection().getOrDefault(identityId, Map.of());
  }

  @Override
  public List<EntityLocation> getEntities() {
    return List.copyOf(index.snapshot().entities().keySet());
  }

  @Override
  public Map<EntityLocation, Entity> entities() {
    return index.snapshot().entities();
  }

  /** All collections as {@code {identityId: {entityId: entity}}} (the export shape). */
  public Map<String, Map<String, Entity>> collections() {
    return index.snapshot().byCollection();
  }

  /** Stored values currently skipped because they fail validation. */
  public List<InvalidValue> invalidValues() {
    return index.snapshot().invalid();
  }

  @Override
  public nodenogg.microcosm.Subscription subscribe(EntityListener listener) {
    return hub.onEntity(listener);
  }

  @Override
  public nodenogg.microcosm.Subscription subscribe(
      EntityLocation location, Consumer<Optional<Entity>> listener) {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(listener, "listener");
    return subscribe(
        e -> {
          if (e.location().equals(location)) {
            listener.accept(Optional.ofNullable(e.entity()));
          }
        });
  }

  @Override
  public nodenogg.microcosm.Subscription onState(Consumer<MicrocosmState> listener) {
    return hub.onState(listener);
  }

  @Override
  public nodenogg.microcosm.Subscription onInvalidValue(Consumer<InvalidValue> listener) {
    return hub.onInvalid(listener);
  }

  /**
   * Blocks until every listener call queued so far has run. Must not be called from a listener or
   * from the listener executor.
   */
  public void drainEvents() {
    hub.drain();
  }

  // ---- edit side
  // -----------------------------------------------------------------------------------

  @Override
  public void identify(String identityId) {
    IdentityId.require(identityId, "identity id");
    requireOpen();
    synchronized (stateLock) {
      if (own == null || !identityId.equals(own.identity())) {
        own =
            new Own(
                identityId,
                new CollectionUndo(
                    doc.getMap(identityId), options.captureTimeoutMillis, options.clock));
      }
    }
    doc.transact(tr -> register(identityId), register);
  }

  private void register(String identityId) {
    YMap ids = doc.getMap(CollectionIndex.IDENTITIES);
    if (!Boolean.TRUE.equals(ids.get(identityId))) {
      ids.set(identityId, true);
    }
  }

  @Override
  public Optional<String> identityId() {
    Own o = own;
    return Optional.ofNullable(o == null ? null : o.identity());
  }

  private Own requireIdentity() {
    requireOpen();
    Own me = own;
    if (me == null) {
      throw new IllegalStateException(
          "no identity selected for microcosm '"
              + id
              + "': call identify(identityId) before creating, updating or deleting");
    }
    return me;
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("microcosm '" + id + "' is closed; open it again");
    }
  }

  /**
   * One edit of the own collection: one transaction, one undo step (see {@link CollectionUndo});
   * returns what {@code body} returns.
   */
  private <T> T edit(Own me, Function<CollectionUndo, T> body) {
    CollectionUndo scope = me.undo();
    return doc.transact(
        () -> {
          register(me.identity());
          scope.begin();
          try {
            return body.apply(scope);
          } finally {
            scope.end();
          }
        },
        local);
  }

  private Entity readOwn(Own me, String entityId) {
    Object raw = doc.getMap(me.identity()).get(entityId);
    if (raw == null) {
      return null;
    }
    try {
      return profile.decodeStoredLenient(Values.withoutUndefined(raw), me.identity());
    } catch (InvalidEntityException e) {
      return null;
    }
  }

  @Override
  public Entity create(EntityData data) {
    return create(List.of(data)).get(0);
  }

  @Override
  public List<Entity> create(List<? extends EntityData> data) {
    Own me = requireIdentity();
    long now = options.clock.getAsLong();
    List<Entity> out = new ArrayList<>(data.size());
    for (EntityData d : data) {
      out.add(Entities.create(me.identity(), Objects.requireNonNull(d, "entity data"), now));
    }
    return edit(
        me,
        coll -> {
          for (Entity e : out) {
            coll.set(e.id(), profile.encodeStored(e));
          }
          return out;
        });
  }

  /**
   * Writes complete entities (keeping their ids and timestamps) into the own collection in one
   * transaction, for restoring or importing. Each entity's {@code identityId} must be the own
   * identity.
   */
  public void importEntities(List<Entity> entities) {
    Own me = requireIdentity();
    for (Entity e : entities) {
      if (!e.identityId().equals(me.identity())) {
        throw new IllegalArgumentException(
            "entity "
                + e.id()
                + " belongs to "
                + e.identityId()
                + ", not to the identified collection "
                + me.identity()
                + "; a microcosm only writes its own collection");
      }
    }
    edit(
        me,
        coll -> {
          for (Entity e : entities) {
            coll.set(e.id(), profile.encodeStored(e));
          }
          return null;
        });
  }

  @Override
  public List<Entity> update(List<EntityUpdate> updates) {
    Own me = requireIdentity();
    long now = options.clock.getAsLong();
    return edit(
        me,
        coll -> {
          Map<String, Entity> next = new LinkedHashMap<>();
          for (EntityUpdate u : updates) {
            Entity current =
                next.containsKey(u.entityId()) ? next.get(u.entityId()) : readOwn(me, u.entityId());
            if (current != null) {
              next.put(u.entityId(), Entities.update(current, u.changes(), now));
            }
          }
          for (Entity e : next.values()) {
            coll.set(e.id(), profile.encodeStored(e));
          }
          return new ArrayList<>(next.values());
        });
  }

  /**
   * {@inheritDoc} {@code fn} runs inside the document transaction: keep it short and side-effect
   * free.
   */
  @Override
  public Optional<Entity> patch(String entityId, UnaryOperator<EntityData> fn) {
    Own me = requireIdentity();
    if (!EntityId.isValid(entityId)) {
      return Optional.empty();
    }
    long now = options.clock.getAsLong();
    return edit(
        me,
        coll -> {
          Entity current = readOwn(me, entityId);
          if (current == null) {
            return Optional.empty();
          }
          Entity next =
              Entities.replace(
                  current, Objects.requireNonNull(fn.apply(current.data()), "patch result"), now);
          coll.set(entityId, profile.encodeStored(next));
          return Optional.of(next);
        });
  }

  @Override
  public int delete(List<String> entityIds) {
    Own me = requireIdentity();
    return edit(
        me,
        coll -> {
          int count = 0;
          for (String key : entityIds) {
            if (key != null && coll.delete(key)) {
              count++;
            }
          }
          return count;
        });
  }

  @Override
  public int deleteAll() {
    Own me = requireIdentity();
    return edit(
        me,
        coll -> {
          int count = 0;
          for (String key : new ArrayList<>(doc.getMap(me.identity()).keys())) {
            if (coll.delete(key)) {
              count++;
            }
          }
          return count;
        });
  }

  @Override
  public boolean undo() {
    return step(true);
  }

  @Override
  public boolean redo() {
    return step(false);
  }

  private boolean step(boolean back) {
    requireOpen();
    Own o = own;
    if (o == null) {
      return false;
    }
    CollectionUndo scope = o.undo();
    return doc.transact(() -> back ? scope.undo() : scope.redo(), undoing);
  }

  @Override
  public boolean canUndo() {
    Own o = own;
    if (o == null) {
      return false;
    }
    return doc.transact(() -> o.undo().canUndo(), undoing);
  }

  @Override
  public boolean canRedo() {
    Own o = own;
    if (o == null) {
      return false;
    }
    return doc.transact(() -> o.undo().canRedo(), undoing);
  }

  // ---- presence
  // ------------------------------------------------------------------------------------

  @Override
  public void join(Identity who) {
    requireOpen();
    joinedAs = Objects.requireNonNull(who, "identity");
    publishPresence(who, true);
  }

  @Override
  public void leave(Identity who) {
    requireOpen();
    publishPresence(Objects.requireNonNull(who, "identity"), false);
    joinedAs = null;
  }

  private void publishPresence(Identity who, boolean joined) {
    IdentityWithStatus s = new IdentityWithStatus(who, options.clock.getAsLong(), joined);
    awareness.setLocalStateField("identity", profile.encodePresence(s));
  }

  /** Runs the presence check now: renews our state if due and drops peers silent for 30 s. */
  public void checkPresence() {
    awareness.check();
  }

  private void checkPresenceSafely() {
    try {
      awareness.check();
    } catch (RuntimeException e) {
      LOG.warn("presence check failed for microcosm {}", id, e);
    }
  }

  private void onPresenceChange() {
    // Read and publish under one lock: presence changes arrive on several threads (a transport's
    // I/O
    // thread, the thread closing a transport), and a view read earlier must not overwrite a later
    // one.
    synchronized (stateLock) {
      presence = PresenceView.of(awareness.getStates(), profile);
      publishState();
    }
  }

  // ---- internals
  // -------------------------------------------------------------------------------------

  /**
   * The store binding fell behind (an append failed: {@code error}) or caught up ({@code null}).
   * Runs on the store's acknowledgement thread or the editing thread; never throws.
   */
  private void onStoreStatus(StoreException error) {
    if (error != null) {
      LOG.error(
          "microcosm {}: a change is in the document but could not be stored (kept for a retry): {}",
          id,
          error.getMessage());
    } else {
      LOG.info("microcosm {}: every change is stored again", id);
    }
    persisted = error == null;
    publishState();
  }

  /**
   * After every transaction (observers have run): update the index and queue the events. Never
   * throws.
   */
  private void onTransaction(Object origin) {
    boolean isLocal = origin == local || origin == undoing;
    CollectionIndex.Changes changes;
    try {
      changes = index.flush(isLocal);
    } catch (RuntimeException e) {
      LOG.error("microcosm {}: could not index the document after an update", id, e);
      return;
    }
    hub.post(changes.events(), changes.newlyInvalid());
  }

  private void publishState() {
    synchronized (stateLock) {
      boolean connected = transports.containsValue(Boolean.TRUE);
      MicrocosmState next = new MicrocosmState(ready, connected, persisted, presence);
      if (next.equals(state)) {
        return;
      }
      state = next;
      hub.post(next);
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Identity me = joinedAs;
    if (me != null) {
      publishPresence(me, false);
    }
    awareness.setLocalState(null);
    for (ProviderConnection c : connections) {
      closeQuietly(c);
    }
    connections.clear();
    transports.clear();
    awarenessRegistration.close();
    indexSubscription.close();
    doc.transact(tr -> index.close(), register);
    if (binding != null) {
      binding.close(); // waits until the store has every change (or failed to take it)
    }
    awareness.close();
    ready = false;
    publishState();
    loop.shutdown();
    if (!Thread.currentThread().getName().equals("microcosm-" + id)) {
      try {
        // let queued listener calls (including the final state) run before close returns
        loop.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void closeQuietly(ProviderConnection c) {
    try {
      c.close();
    } catch (RuntimeException e) {
      LOG.warn("closing a provider of microcosm {} failed", id, e);
    }
  }

  @Override
  public String toString() {
    Own o = own;
    return "YMicrocosm["
        + id
        + ", "
        + profile
        + ", identity="
        + (o == null ? null : o.identity())
        + "]";
  }
}
