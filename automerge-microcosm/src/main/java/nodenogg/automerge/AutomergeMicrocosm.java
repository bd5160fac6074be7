package nodenogg.automerge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import nodenogg.automerge.internal.ChangeOps;
import nodenogg.automerge.internal.EntityCodec;
import nodenogg.automerge.internal.HistoryUndo;
import nodenogg.automerge.internal.PresenceBook;
import nodenogg.automerge.repo.DocumentIds;
import nodenogg.automerge.store.AutomergeFormat;
import nodenogg.microcosm.EditableMicrocosmAPI;
import nodenogg.microcosm.Entities;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityData;
import nodenogg.microcosm.EntityEvent;
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
import nodenogg.microcosm.Subscription;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.RetryingAppender;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateStore;
import org.automerge.AmValue;
import org.automerge.ObjectId;
import org.automerge.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A microcosm in an Automerge document (JNI, {@code org.automerge:automerge}), in the layout of
 * {@code docs/automerge-layout.md}: every entity is a map under the root key
 * {@code @identity/entity} with its fields as separate keys (so a concurrent move and edit of one
 * note both survive) and note HTML as Automerge text (so concurrent edits of one note merge
 * character by character).
 *
 * <h2>Threading model</h2>
 *
 * Every public method may be called from any thread. Document access is serialized by the {@link
 * AutomergeDocument}'s lock; an edit call is one Automerge change, visible in {@link #entities()}
 * when the call returns. Reads return immutable snapshots. Listeners never run on the caller's
 * thread or a transport's thread: they run in order on this microcosm's event thread ({@code
 * automerge-microcosm-<id>}) or on the executor given with {@link
 * AutomergeOptions#listenerExecutor}. The same thread sends presence heartbeats (15 s) and forgets
 * silent peers (45 s), as automerge-repo's {@code Presence} does.
 *
 * <h2>Editing and undo</h2>
 *
 * Edits go only to the collection chosen with {@link #identify}; each call is one change (one sync
 * message to peers, one append to storage) and one undo step. Undo is built on the document history
 * ({@code HistoryUndo}): it writes back, field by field, what the step changed, except where anyone
 * changed that field since; note HTML is restored only if nobody edited it since. Undo and redo are
 * new changes, never a rewrite of history.
 *
 * <h2>Storage</h2>
 *
 * With a store ({@link AutomergeOptions#store}), {@link #open} loads the stored changes and every
 * later change is appended without waiting for the disk; {@link #flush()} waits. A failed append is
 * kept and retried; meanwhile {@link MicrocosmState#persisted()} is false.
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #open} loads storage, indexes the document, shares it through the transports and is then
 * {@code ready}. {@link #close} says goodbye to presence, stops the transports, waits until the
 * store has every change, stops the event thread and frees the native document. The store and
 * transports passed in are not closed.
 */
public final class AutomergeMicrocosm implements EditableMicrocosmAPI {
  private static final Logger LOG = LoggerFactory.getLogger(AutomergeMicrocosm.class);
  private static final long CHECK_PERIOD_MILLIS = 3_000;

  /** Change origins, so the listener knows who changed the document. */
  private static final Object LOCAL = "microcosm-local";

  private static final Object UNDO = "microcosm-undo";
  private static final Object STORED = "microcosm-stored";
  private static final Object APPLIED = "microcosm-applied";

  private final String id;
  private final String documentId;
  private final AutomergeOptions options;
  private final AutomergeDocument document;
  private final ScheduledThreadPoolExecutor loop;
  private final Executor listenerExecutor;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Object stateLock = new Object();
  private final Subscription changeSubscription;
  private final RetryingAppender appender;
  private final List<EntityListener> entityListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<MicrocosmState>> stateListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<InvalidValue>> invalidListeners = new CopyOnWriteArrayList<>();
  private final List<MicrocosmTransport.Share> shares = new CopyOnWriteArrayList<>();
  private final Map<Object, Boolean> transports = new ConcurrentHashMap<>();

  // ---- guarded by the document's lock (changed only from its change listener or under
  // document.read) ----
  private final TreeMap<EntityLocation, Entity> entities = new TreeMap<>();
  private final TreeSet<String> registered = new TreeSet<>();
  private final TreeMap<String, InvalidValue> invalid = new TreeMap<>();

  /**
   * Every map, list and text object inside an entity, to the entity's root key (finds what a change
   * touched).
   */
  private final Map<String, String> objectOwner = new java.util.HashMap<>();

  private final Map<String, Set<String>> ownedObjects = new java.util.HashMap<>();

  /** Root keys the edit running now writes (set by the edit, read by the change listener). */
  private Set<String> touching = new LinkedHashSet<>();

  private Snapshot snapshot = Snapshot.EMPTY;
  private boolean dirty = true;

  // ---- guarded by stateLock ----
  private final PresenceBook presenceBook = new PresenceBook();
  private IdentityWithStatus ownPresence;
  private long lastPresenceSent;

  /** The own collection and its undo history, replaced together by {@link #identify}. */
  private record Own(String identity, HistoryUndo undo) {}

  private volatile Own own;
  private volatile Identity joinedAs;
  private volatile boolean ready;
  private volatile boolean persisted;
  private volatile MicrocosmState state = new MicrocosmState(false, false, false, List.of());

  /** Immutable read view, rebuilt lazily after changes. */
  private record Snapshot(
      Map<EntityLocation, Entity> entities,
      Map<String, Map<String, Entity>> byCollection,
      List<String> collections,
      List<InvalidValue> invalid) {
    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), List.of(), List.of());
  }

  private AutomergeMicrocosm(String id, AutomergeOptions options) {
    this.id = id;
    this.options = options;
    this.documentId =
        options.documentId != null
            ? DocumentIds.parse(options.documentId)
            : AutomergeLayout.documentId(id);
    this.document =
        options.actorId != null
            ? AutomergeDocument.create(options.actorId)
            : AutomergeDocument.create();
    this.loop =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "automerge-microcosm-" + id);
              t.setDaemon(true);
              return t;
            });
    this.loop.setRemoveOnCancelPolicy(true);
    this.listenerExecutor = options.listenerExecutor != null ? options.listenerExecutor : loop;
    this.changeSubscription = document.onChange(this::onChange);
    if (options.store != null) {
      load(options.store);
      this.appender = new RetryingAppender(options.store, id, this::onStoreStatus);
      this.persisted = true;
    } else {
      this.appender = null;
    }
    document.read(
        d -> {
          rescan(d);
          return null;
        });
  }

  /** Opens an in-memory microcosm with no storage and no transport. */
  public static AutomergeMicrocosm inMemory(String microcosmId) {
    return open(microcosmId, AutomergeOptions.defaults());
  }

  /**
   * Opens a microcosm: loads stored changes, shares the document through the transports.
   *
   * @throws IllegalArgumentException for an invalid microcosm id
   * @throws CorruptDocumentException if the stored changes of this microcosm are damaged
   * @throws AutomergeUnavailableException if the Automerge native library cannot load on this
   *     platform
   */
  public static AutomergeMicrocosm open(String microcosmId, AutomergeOptions options) {
    MicrocosmId.require(microcosmId);
    AutomergeNative.require();
    AutomergeMicrocosm m = new AutomergeMicrocosm(microcosmId, options);
    m.start();
    return m;
  }

  private void load(UpdateStore store) {
    List<byte[]> rows = store.load(id);
    for (int i = 0; i < rows.size(); i++) {
      try {
        document.applyChanges(rows.get(i), STORED);
      } catch (StoreException e) {
        document.close();
        throw new CorruptDocumentException(
            id, "stored update #" + (i + 1) + " is not Automerge data: " + e.getMessage(), e);
      }
    }
  }

  private void start() {
    loop.scheduleWithFixedDelay(
        this::checkPresenceSafely, CHECK_PERIOD_MILLIS, CHECK_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    ready = true;
    publishState();
    for (MicrocosmTransport t : options.transports) {
      attach(t);
    }
  }

  // ---- document access
  // -------------------------------------------------------------------------------------------

  /**
   * The underlying document (for transports and tools). Do not write the layout's keys directly.
   */
  public AutomergeDocument document() {
    return document;
  }

  /**
   * The automerge-repo document id this microcosm is shared as ({@link AutomergeLayout#documentId}
   * by default).
   */
  public String documentId() {
    return documentId;
  }

  /**
   * Applies encoded changes or a saved document from elsewhere (a file, another peer).
   *
   * @throws nodenogg.persistence.InvalidUpdateException if the bytes are not Automerge data
   *     (nothing changed)
   */
  public void applyChanges(byte[] bytes) {
    requireOpen();
    document.applyChanges(bytes, APPLIED);
  }

  /**
   * The whole document, compacted ({@code save()}): what {@code ./microcosm export --backend
   * automerge} writes.
   */
  public byte[] save() {
    return document.save();
  }

  /**
   * Completes once every change so far is durable in the store (at once without one); exceptionally
   * with a {@link StoreException} saying what could not be stored (the document keeps it, and peers
   * may have it).
   */
  public CompletableFuture<Void> flush() {
    if (appender == null) {
      return CompletableFuture.completedFuture(null);
    }
    return appender
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
                          + " but could not be stored: "
                          + cause.getMessage(),
                      cause));
            });
  }

  /**
   * Shares the document through a transport now (those in the options are attached on open).
   *
   * @return closing it stops this transport's share
   */
  public Subscription attach(MicrocosmTransport transport) {
    requireOpen();
    Object token = new Object();
    transports.put(token, false);
    MicrocosmTransport.Share share;
    try {
      share =
          transport.share(
              documentId,
              document,
              new MicrocosmTransport.Listener() {
                @Override
                public void connectionChanged(boolean connected) {
                  if (transports.containsKey(token)) {
                    transports.put(token, connected);
                    if (connected) {
                      loop.execute(() -> announcePresence());
                    }
                    publishState();
                  }
                }

                @Override
                public void ephemeral(String senderId, Object message) {
                  onEphemeral(senderId, message);
                }
              });
    } catch (RuntimeException e) {
      transports.remove(token);
      throw new IllegalStateException(
          "transport could not share microcosm '" + id + "': " + e.getMessage(), e);
    }
    shares.add(share);
    return () -> {
      if (shares.remove(share)) {
        closeQuietly(share);
      }
      transports.remove(token);
      publishState();
    };
  }

  // ---- read side
  // ---------------------------------------------------------------------------------------------

  @Override
  public String microcosmId() {
    return id;
  }

  /** Always {@link SchemaProfile#E5}: the Automerge layout stores E5 entities. */
  @Override
  public SchemaProfile profile() {
    return SchemaProfile.E5;
  }

  @Override
  public MicrocosmState state() {
    return state;
  }

  private Snapshot snapshot() {
    return document.read(
        d -> {
          if (dirty) {
            Map<String, Map<String, Entity>> by = new TreeMap<>();
            for (String r : registered) {
              by.put(r, new TreeMap<>());
            }
            for (Entity e : entities.values()) {
              by.computeIfAbsent(e.identityId(), k -> new TreeMap<>()).put(e.id(), e);
            }
            Map<String, Map<String, Entity>> frozen = new LinkedHashMap<>();
            by.forEach((k, v) -> frozen.put(k, Collections.unmodifiableMap(v)));
            snapshot =
                new Snapshot(
                    Collections.unmodifiableMap(new TreeMap<>(entities)),
                    Collections.unmodifiableMap(frozen),
                    List.copyOf(by.keySet()),
                    List.copyOf(invalid.values()));
            dirty = false;
          }
          return snapshot;
        });
  }

  @Override
  public Optional<Entity> getEntity(EntityLocation location) {
    return Optional.ofNullable(snapshot().entities().get(location));
  }

  /** Identities with a registration key or with entities, sorted. */
  @Override
  public List<String> getCollections() {
    return snapshot().collections();
  }

  @Override
  public List<String> getCollection(String identityId) {
    return List.copyOf(collection(identityId).keySet());
  }

  @Override
  public Map<String, Entity> collection(String identityId) {
    return snapshot().byCollection().getOrDefault(identityId, Map.of());
  }

  @Override
  public List<EntityLocation> getEntities() {
    return List.copyOf(snapshot().entities().keySet());
  }

  @Override
  public Map<EntityLocation, Entity> entities() {
    return snapshot().entities();
  }

  /** All collections as {@code {identityId: {entityId: entity}}} (the export shape). */
  public Map<String, Map<String, Entity>> collections() {
    return snapshot().byCollection();
  }

  /** Stored values currently skipped because they fail validation. */
  public List<InvalidValue> invalidValues() {
    return snapshot().invalid();
  }

  @Override
  public Subscription subscribe(EntityListener listener) {
    return add(entityListeners, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Subscription subscribe(EntityLocation location, Consumer<Optional<Entity>> listener) {
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
  public Subscription onState(Consumer<MicrocosmState> listener) {
    return add(stateListeners, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Subscription onInvalidValue(Consumer<InvalidValue> listener) {
    return add(invalidListeners, Objects.requireNonNull(listener, "listener"));
  }

  private static <T> Subscription add(List<T> list, T l) {
    list.add(l);
    return () -> list.remove(l);
  }

  /** Blocks until every listener call queued so far has run. Must not be called from a listener. */
  public void drainEvents() {
    CountDownLatch done = new CountDownLatch(1);
    try {
      listenerExecutor.execute(done::countDown);
      done.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: nothing left to run
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- edit side
  // -------------------------------------------------------------------------------------------------

  @Override
  public void identify(String identityId) {
    IdentityId.require(identityId, "identity id");
    requireOpen();
    synchronized (stateLock) {
      if (own == null || !identityId.equals(own.identity())) {
        own = new Own(identityId, new HistoryUndo(options.captureTimeoutMillis, options.clock));
      }
    }
    document.read(
        d -> {
          touching = new LinkedHashSet<>(List.of(identityId));
          try {
            document.change(LOCAL, tx -> register(tx, identityId));
          } finally {
            touching = new LinkedHashSet<>();
          }
          return null;
        });
  }

  /**
   * Registers the identity and the layout keys, each only if missing (so a repeat writes nothing).
   */
  private void register(Transaction tx, String identityId) {
    if (!(tx.get(ObjectId.ROOT, identityId).orElse(null) instanceof AmValue.Bool b
        && b.getValue())) {
      tx.set(ObjectId.ROOT, identityId, true);
    }
    if (tx.get(ObjectId.ROOT, AutomergeLayout.KIND_KEY).isEmpty()) {
      tx.set(ObjectId.ROOT, AutomergeLayout.KIND_KEY, AutomergeLayout.KIND);
    }
    if (tx.get(ObjectId.ROOT, AutomergeLayout.VERSION_KEY).isEmpty()) {
      tx.set(
          ObjectId.ROOT,
          AutomergeLayout.VERSION_KEY,
          org.automerge.NewValue.integer(AutomergeLayout.VERSION));
    }
    if (tx.get(ObjectId.ROOT, AutomergeLayout.MICROCOSM_ID_KEY).isEmpty()) {
      tx.set(ObjectId.ROOT, AutomergeLayout.MICROCOSM_ID_KEY, id);
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
   * One edit of the own collection: one change, one undo step. {@code body} gets the set to add
   * every root key it writes to (the index re-reads those, undo records them).
   */
  private void edit(Own me, java.util.function.BiConsumer<Transaction, Set<String>> body) {
    document.read(
        d -> {
          Set<String> keys = new LinkedHashSet<>();
          touching = keys;
          try {
            document
                .change(
                    LOCAL,
                    tx -> {
                      keys.clear();
                      register(tx, me.identity());
                      keys.add(me.identity());
                      body.accept(tx, keys);
                    })
                .ifPresent(c -> me.undo().recorded(entityKeys(keys), c.before(), c.after()));
          } finally {
            touching = new LinkedHashSet<>();
          }
          return null;
        });
  }

  private Entity readOwn(Transaction tx, Own me, String entityId) {
    EntityLocation loc = new EntityLocation(me.identity(), entityId);
    Object raw = EntityCodec.readRoot(tx, EntityCodec.key(loc), null);
    if (raw == null) {
      return null;
    }
    try {
      return EntityCodec.decode(loc, raw);
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
    edit(
        me,
        (tx, keys) -> {
          for (Entity e : out) {
            EntityCodec.create(tx, e);
            keys.add(EntityCodec.key(e.location()));
          }
        });
    return out;
  }

  /**
   * Writes complete entities (keeping their ids and timestamps) into the own collection in one
   * change, for restoring or importing. Each entity's {@code identityId} must be the own identity.
   */
  public void importEntities(List<Entity> list) {
    Own me = requireIdentity();
    for (Entity e : list) {
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
        (tx, keys) -> {
          for (Entity e : list) {
            EntityCodec.update(tx, e);
            keys.add(EntityCodec.key(e.location()));
          }
        });
  }

  @Override
  public List<Entity> update(List<EntityUpdate> updates) {
    Own me = requireIdentity();
    long now = options.clock.getAsLong();
    List<Entity> out = new ArrayList<>();
    edit(
        me,
        (tx, keys) -> {
          Map<String, Entity> next = new LinkedHashMap<>();
          for (EntityUpdate u : updates) {
            Entity current =
                next.containsKey(u.entityId())
                    ? next.get(u.entityId())
                    : readOwn(tx, me, u.entityId());
            if (current != null) {
              next.put(u.entityId(), Entities.update(current, u.changes(), now));
            }
          }
          for (Entity e : next.values()) {
            EntityCodec.update(tx, e);
            keys.add(EntityCodec.key(e.location()));
          }
          out.addAll(next.values());
        });
    return out;
  }

  /** {@inheritDoc} {@code fn} runs inside the change: keep it short and side-effect free. */
  @Override
  public Optional<Entity> patch(String entityId, UnaryOperator<EntityData> fn) {
    Own me = requireIdentity();
    if (!EntityId.isValid(entityId)) {
      return Optional.empty();
    }
    long now = options.clock.getAsLong();
    Entity[] result = new Entity[1];
    edit(
        me,
        (tx, keys) -> {
          Entity current = readOwn(tx, me, entityId);
          if (current != null) {
            Entity next =
                Entities.replace(
                    current, Objects.requireNonNull(fn.apply(current.data()), "patch result"), now);
            EntityCodec.update(tx, next);
            keys.add(EntityCodec.key(next.location()));
            result[0] = next;
          }
        });
    return Optional.ofNullable(result[0]);
  }

  @Override
  public int delete(List<String> entityIds) {
    Own me = requireIdentity();
    int[] count = new int[1];
    edit(
        me,
        (tx, keys) -> {
          for (String key : entityIds) {
            if (key != null && EntityId.isValid(key)) {
              String k = EntityCodec.key(new EntityLocation(me.identity(), key));
              if (tx.get(ObjectId.ROOT, k).isPresent()) {
                tx.delete(ObjectId.ROOT, k);
                keys.add(k);
                count[0]++;
              }
            }
          }
        });
    return count[0];
  }

  @Override
  public int deleteAll() {
    Own me = requireIdentity();
    int[] count = new int[1];
    edit(
        me,
        (tx, keys) -> {
          String prefix = me.identity() + EntityCodec.SEPARATOR;
          for (String k : EntityCodec.rootKeys(tx, null)) {
            if (k.startsWith(prefix)) {
              tx.delete(ObjectId.ROOT, k);
              keys.add(k);
              count[0]++;
            }
          }
        });
    return count[0];
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
    return document.read(
        d -> {
          HistoryUndo.Step s = back ? o.undo().nextUndo() : o.undo().nextRedo();
          if (s == null) {
            return false;
          }
          touching = new LinkedHashSet<>(s.keys());
          try {
            document
                .change(UNDO, tx -> HistoryUndo.revert(tx, s))
                .ifPresent(
                    c -> {
                      if (back) {
                        o.undo().undone(s.keys(), c.before(), c.after());
                      } else {
                        o.undo().redone(s.keys(), c.before(), c.after());
                      }
                    });
          } finally {
            touching = new LinkedHashSet<>();
          }
          return true;
        });
  }

  @Override
  public boolean canUndo() {
    Own o = own;
    return o != null && document.read(d -> o.undo().canUndo());
  }

  @Override
  public boolean canRedo() {
    Own o = own;
    return o != null && document.read(d -> o.undo().canRedo());
  }

  // ---- presence
  // --------------------------------------------------------------------------------------------------

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
    synchronized (stateLock) {
      ownPresence = s;
    }
    broadcast(PresenceBook.snapshot(s));
    publishState();
  }

  /**
   * Sends our presence again (a peer connected; automerge-repo's Presence announces itself the same
   * way).
   */
  private void announcePresence() {
    IdentityWithStatus s;
    synchronized (stateLock) {
      s = ownPresence;
    }
    if (s != null) {
      broadcast(PresenceBook.snapshot(s));
    }
  }

  private void broadcast(Object message) {
    synchronized (stateLock) {
      lastPresenceSent = options.clock.getAsLong();
    }
    for (MicrocosmTransport.Share s : shares) {
      try {
        s.broadcast(message);
      } catch (RuntimeException e) {
        LOG.warn("microcosm {}: could not send presence through a transport: {}", id, e.toString());
      }
    }
  }

  private void onEphemeral(String senderId, Object message) {
    boolean changed;
    synchronized (stateLock) {
      boolean known = presenceBook.view(null).size() > 0;
      changed = presenceBook.receive(senderId, message, options.clock.getAsLong());
      if (changed && !known) {
        loop.execute(this::announcePresence);
      }
    }
    if (changed) {
      publishState();
    }
  }

  /** Runs the presence check now: sends a heartbeat if due and forgets peers silent for 45 s. */
  public void checkPresence() {
    long now = options.clock.getAsLong();
    boolean beat;
    boolean changed;
    synchronized (stateLock) {
      changed = presenceBook.expire(now);
      beat = ownPresence != null && now - lastPresenceSent >= PresenceBook.HEARTBEAT_MILLIS;
    }
    if (beat) {
      broadcast(PresenceBook.heartbeat());
    }
    if (changed) {
      publishState();
    }
  }

  private void checkPresenceSafely() {
    try {
      checkPresence();
    } catch (RuntimeException e) {
      LOG.warn("presence check failed for microcosm {}", id, e);
    }
  }

  // ---- internals
  // -------------------------------------------------------------------------------------------------

  /** The entity keys among {@code keys} (identity registrations and layout keys left out). */
  private static Set<String> entityKeys(Set<String> keys) {
    Set<String> out = new LinkedHashSet<>();
    for (String k : keys) {
      if (EntityCodec.location(k).isPresent()) {
        out.add(k);
      }
    }
    return out;
  }

  /** Every change, under the document's lock: storage, index, events. Never throws. */
  private void onChange(AutomergeDocument.Change c) {
    if (appender != null && c.origin() != STORED) {
      byte[] bytes = c.bytes();
      if (bytes.length > 0) {
        appender.append(bytes);
      }
    }
    boolean local = c.origin() == LOCAL || c.origin() == UNDO;
    Set<String> keys;
    if (local) {
      keys = touching;
    } else {
      keys = touchedBy(c);
    }
    try {
      reindex(keys, local);
    } catch (RuntimeException e) {
      LOG.error("microcosm {}: could not index the document after a change", id, e);
    }
  }

  /** The root keys a change from elsewhere touched (every key when the bytes do not say). */
  private Set<String> touchedBy(AutomergeDocument.Change c) {
    try {
      ChangeOps.Touched t = ChangeOps.read(c.bytes());
      if (!t.everything()) {
        Set<String> keys = new LinkedHashSet<>(t.rootKeys());
        for (String o : t.objects()) {
          String owner = objectOwner.get(o);
          if (owner != null) {
            keys.add(owner);
          }
        }
        return keys;
      }
    } catch (IllegalArgumentException e) {
      LOG.warn(
          "microcosm {}: could not read which entities a change touched ({}); re-reading all",
          id,
          e.getMessage());
    }
    return allKeys(document.read(d -> d));
  }

  private Set<String> allKeys(org.automerge.Document d) {
    Set<String> keys = new LinkedHashSet<>(List.of(EntityCodec.rootKeys(d, null)));
    keys.addAll(registered);
    for (EntityLocation l : entities.keySet()) {
      keys.add(EntityCodec.key(l));
    }
    keys.addAll(invalid.keySet());
    return keys;
  }

  /** Re-reads every root key (on open); under the lock. */
  private void rescan(org.automerge.Document d) {
    reindex(allKeys(d), false);
  }

  private void reindex(Set<String> keys, boolean local) {
    List<EntityEvent> events = new ArrayList<>();
    List<InvalidValue> newlyInvalid = new ArrayList<>();
    document.read(
        d -> {
          for (String key : keys) {
            Set<String> objs = ownedObjects.remove(key);
            if (objs != null) {
              objs.forEach(objectOwner::remove);
            }
            Set<String> found = new java.util.HashSet<>();
            Object raw = EntityCodec.readRoot(d, key, null, found::add);
            if (!found.isEmpty()) {
              ownedObjects.put(key, found);
              for (String o : found) {
                objectOwner.put(o, key);
              }
            }
            if (EntityCodec.isIdentityKey(key)) {
              if (Boolean.TRUE.equals(raw)) {
                dirty |= registered.add(key);
              } else {
                dirty |= registered.remove(key);
              }
              continue;
            }
            Optional<EntityLocation> loc = EntityCodec.location(key);
            if (loc.isEmpty()) {
              continue;
            }
            Entity before = entities.get(loc.get());
            Entity after = null;
            if (raw != null) {
              try {
                after = EntityCodec.decode(loc.get(), raw);
                invalid.remove(key);
              } catch (InvalidEntityException e) {
                InvalidValue iv =
                    new InvalidValue(loc.get().identityId(), loc.get().entityId(), e.getMessage());
                if (!iv.equals(invalid.put(key, iv))) {
                  newlyInvalid.add(iv);
                }
              }
            } else {
              invalid.remove(key);
            }
            if (Objects.equals(before, after)) {
              continue;
            }
            dirty = true;
            if (after == null) {
              entities.remove(loc.get());
              events.add(new EntityEvent(EntityEvent.Kind.DELETE, loc.get(), null, before, local));
            } else {
              entities.put(loc.get(), after);
              events.add(
                  new EntityEvent(
                      before == null ? EntityEvent.Kind.CREATE : EntityEvent.Kind.UPDATE,
                      loc.get(),
                      after,
                      before,
                      local));
            }
          }
          dirty = dirty || !newlyInvalid.isEmpty();
          return null;
        });
    if (!events.isEmpty() || !newlyInvalid.isEmpty()) {
      post(
          () -> {
            for (EntityEvent e : events) {
              for (EntityListener l : entityListeners) {
                call(() -> l.onEvent(e));
              }
            }
            for (InvalidValue v : newlyInvalid) {
              for (Consumer<InvalidValue> l : invalidListeners) {
                call(() -> l.accept(v));
              }
            }
          });
    }
  }

  private void post(Runnable r) {
    try {
      listenerExecutor.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void call(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("a listener of microcosm {} failed", id, e);
    }
  }

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

  private void publishState() {
    synchronized (stateLock) {
      boolean connected = transports.containsValue(Boolean.TRUE);
      MicrocosmState next =
          new MicrocosmState(ready, connected, persisted, presenceBook.view(ownPresence));
      if (next.equals(state)) {
        return;
      }
      state = next;
      post(
          () -> {
            for (Consumer<MicrocosmState> l : stateListeners) {
              call(() -> l.accept(next));
            }
          });
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Identity me = joinedAs;
    if (me != null) {
      IdentityWithStatus left = new IdentityWithStatus(me, options.clock.getAsLong(), false);
      broadcast(PresenceBook.snapshot(left));
    }
    broadcast(PresenceBook.goodbye());
    for (MicrocosmTransport.Share s : shares) {
      closeQuietly(s);
    }
    shares.clear();
    transports.clear();
    changeSubscription.close();
    if (appender != null) {
      appender.close(); // waits until the store has every change (or failed to take it)
    }
    synchronized (stateLock) {
      ownPresence = null;
      presenceBook.clear();
    }
    ready = false;
    publishState();
    loop.shutdown();
    if (!Thread.currentThread().getName().equals("automerge-microcosm-" + id)) {
      try {
        loop.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    document.close();
  }

  private void closeQuietly(MicrocosmTransport.Share s) {
    try {
      s.close();
    } catch (RuntimeException e) {
      LOG.warn("closing a transport of microcosm {} failed", id, e);
    }
  }

  @Override
  public String toString() {
    Own o = own;
    return "AutomergeMicrocosm["
        + id
        + ", "
        + documentId
        + ", identity="
        + (o == null ? null : o.identity())
        + "]";
  }

  /** The store format this microcosm needs ({@link AutomergeFormat#INSTANCE}). */
  public static AutomergeFormat storeFormat() {
    return AutomergeFormat.INSTANCE;
  }
}
