package nodenogg.sync.server.internal;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import nodenogg.persistence.UpdateStore;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.SyncDocument;
import nodenogg.sync.server.SyncServerHooks;
import nodenogg.sync.server.websocket.SharedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded document on the server: the CRDT document, its awareness, its peers, and the
 * durability bookkeeping. Every method runs its work on the document's {@link SerialExecutor};
 * public methods may be called from any thread.
 *
 * <p>Durability: an update that changes the document is broadcast to every peer (the sender
 * included, as Hocuspocus and y-websocket do) as soon as it is applied, and appended to the store;
 * it is acknowledged to the sender only once the append completes. An update that changes nothing
 * is acknowledged once every earlier write is durable.
 *
 * <p>Store errors come in two kinds. A <em>rejection</em> (the store refuses those bytes as an
 * update) is the sender's problem only: the update is not acknowledged (the sender's ack gets
 * false), and what the engine integrated from it, which peers have already seen, is stored in the
 * engine's own encoding instead; the document and its peers go on. A <em>failure</em> (I/O, disk
 * full) means the document can no longer be kept durable: nothing is acknowledged from then on, it
 * is marked failed, every peer is aborted (clients keep their edits, reconnect and resync), the
 * registry evicts it so the next client loads a fresh copy, and nobody joins it any more.
 *
 * <p>Memory: a server keeps one of these per loaded document, so the peers are a copy-on-write
 * array (joins and leaves are rare, broadcasts frequent) and nothing is allocated before it is
 * used.
 */
public final class ServerDocument {
  private static final Logger LOG = LoggerFactory.getLogger(ServerDocument.class);
  private static final CompletableFuture<?> DONE = CompletableFuture.completedFuture(null);
  private static final DocPeer[] NO_PEERS = {};
  private static final Member[] NO_MEMBERS = {};

  /**
   * Awareness updates a connection may have relayed at once, and per second after that (latest
   * wins).
   */
  static final int AWARENESS_BURST = 20;

  static final double AWARENESS_PER_SECOND = 10;

  /** How long an awareness id stays reserved for the connection that held it, after it leaves. */
  static final long AWARENESS_RESERVATION_MILLIS = Awareness.OUTDATED_TIMEOUT_MILLIS;

  /**
   * A provider announces its awareness right after connecting; a connection idle longer is not a
   * reconnection.
   */
  static final long AWARENESS_EARLY_MILLIS = 5_000;

  private static volatile ScheduledExecutorService sharedTimer;

  /** Messages at least this large are handled off the event loops. */
  public static final int HEAVY_MESSAGE_BYTES = 64 * 1024;

  /** Documents whose updates add up to at least this much do all their work off the event loops. */
  public static final long LARGE_DOCUMENT_BYTES = 256 * 1024;

  /**
   * Transaction and awareness origin of what other instances sent over Redis: broadcast here, never
   * stored or re-published.
   */
  public static final Object REMOTE =
      new Object() {
        @Override
        public String toString() {
          return "redis";
        }
      };

  private final String name;
  private final SyncDocument doc;
  private final Awareness awareness;
  private final SerialExecutor exec;
  private final UpdateStore store;
  private final SyncServerHooks hooks;
  private final Runnable onIdle;
  private Runnable onFailure = () -> {};
  // peers[i]'s awareness bookkeeping is members[i]; both replaced on join/leave, executor only
  private DocPeer[] peers = NO_PEERS;
  private Member[] members = NO_MEMBERS;

  /** Awareness ids whose connection left recently, reserved for its reconnection; executor only. */
  private final Map<Long, Released> released = new HashMap<>(2);

  private final ScheduledExecutorService timers;
  private CompletableFuture<?> lastWrite = DONE;
  private volatile int inFlight;
  private volatile int peerCount;
  private volatile boolean failed;
  private volatile long
      approxBytes; // sum of the update bytes loaded and applied: the document's weight
  private static final byte[] EMPTY_STATE_VECTOR = {0};
  // Bumped (on the executor) by every change of the document's content, in queueBroadcast (a change
  // that
  // is not broadcast must bump it too, or a joiner could be given an outdated fullStateMessage).
  private long version;
  private SoftReference<SharedMessage> fullState; // see fullStateMessage
  private Object fullStateKey;
  private long fullStateVersion;
  private List<byte[]> outbox; // applied updates waiting for the next broadcast; null when none
  private long outboxBytes; // their total size
  private int outboxDeferrals; // times the flush let newer queued tasks run first
  private static final int MAX_FLUSH_DEFERRALS = 4;
  private static final long MAX_MERGED_BYTES = 1 << 20; // as Hocuspocus's flushMaxBytes
  private volatile ClusterHooks cluster = ClusterHooks.NONE;

  /** Per-peer awareness state: the client id it is bound to, and its rate limit. Executor only. */
  private static final class Member {
    final DocPeer peer;
    long bound = -1;
    long firstAwarenessMillis = -1; // when its first awareness message arrived
    double tokens = AWARENESS_BURST;
    long refilledNanos = System.nanoTime();
    List<Awareness.Entry> pending; // the latest update held back by the rate limit
    boolean flushScheduled;

    Member(DocPeer peer) {
      this.peer = peer;
    }

    /** Takes one token of the awareness rate limit if there is one. */
    boolean allow(long now) {
      tokens =
          Math.min(AWARENESS_BURST, tokens + (now - refilledNanos) * AWARENESS_PER_SECOND / 1e9);
      refilledNanos = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    long nanosUntilToken() {
      return (long) Math.ceil((1 - tokens) / AWARENESS_PER_SECOND * 1e9);
    }
  }

  /** An awareness id whose connection left: who held it and when it was freed. */
  private record Released(String host, long atMillis) {}

  ServerDocument(
      String name,
      SyncDocument doc,
      SerialExecutor exec,
      UpdateStore store,
      SyncServerHooks hooks,
      long awarenessClientId,
      Runnable onIdle) {
    this(name, doc, exec, store, hooks, awarenessClientId, onIdle, null);
  }

  /**
   * @param timers for awareness updates held back by the rate limit (null: a shared daemon timer)
   */
  ServerDocument(
      String name,
      SyncDocument doc,
      SerialExecutor exec,
      UpdateStore store,
      SyncServerHooks hooks,
      long awarenessClientId,
      Runnable onIdle,
      ScheduledExecutorService timers) {
    this.timers = timers != null ? timers : sharedTimer();
    this.name = name;
    this.doc = doc;
    this.exec = exec;
    this.store = store;
    this.hooks = hooks;
    this.onIdle = onIdle;
    exec.heavyWhen(this::isLarge);
    this.awareness = new Awareness(awarenessClientId);
    awareness.setLocalState(null); // the server has no presence of its own
    awareness.onUpdate(
        (change, origin) -> {
          byte[] msg = awareness.encodeUpdate(change.all());
          for (DocPeer p : peers) {
            p.sendAwareness(msg);
          }
          if (origin != REMOTE) {
            cluster.localAwareness(this, msg);
          }
        });
  }

  /** Connects this document to the other instances of a cluster (set once, before clients join). */
  void cluster(ClusterHooks hooks) {
    this.cluster = hooks;
  }

  public String name() {
    return name;
  }

  public SerialExecutor executor() {
    return exec;
  }

  /** The CRDT document; touch it only from {@link #executor()}. */
  public SyncDocument doc() {
    return doc;
  }

  /**
   * On the executor: the Step2 message answering an empty state vector (a client that has nothing:
   * a join), for {@code key} (protocol and address), built with {@code encoder} from the whole
   * document. Every joiner of an unchanged document gets the same encoded frame (one copy of the
   * state, not one per joiner); the first change drops it. Held softly: the collector may take it
   * back under memory pressure (it is rebuilt on the next join), and sockets that queued it keep it
   * charged to the memory budget as any broadcast.
   */
  public SharedMessage fullStateMessage(Object key, Function<byte[], byte[]> encoder) {
    SoftReference<SharedMessage> ref = fullState;
    SharedMessage m =
        ref == null || fullStateVersion != version || !fullStateKey.equals(key) ? null : ref.get();
    if (m == null) {
      m = new SharedMessage(encoder.apply(doc.diff(EMPTY_STATE_VECTOR)));
      fullState = new SoftReference<>(m);
      fullStateKey = key;
      fullStateVersion = version;
    }
    return m;
  }

  /** True for the state vector of an empty document (what a client without local state sends). */
  public static boolean isEmptyStateVector(byte[] stateVector) {
    return stateVector.length == 1 && stateVector[0] == 0;
  }

  /** No peers and no write in flight; safe to read from any thread. */
  boolean idle() {
    return peerCount == 0 && inFlight == 0;
  }

  /** Counts bytes loaded from the store towards the document's weight (before it is published). */
  void loaded(long bytes) {
    approxBytes += bytes;
  }

  /**
   * Whether the document is large (its updates add up to {@link #LARGE_DOCUMENT_BYTES} or more):
   * then all its work (applying, diffs for initial syncs, read-only checks) runs off the event
   * loops.
   */
  public boolean isLarge() {
    return approxBytes >= LARGE_DOCUMENT_BYTES;
  }

  /**
   * Runs once when the document fails (on its executor, after its peers were aborted). Set before
   * use.
   */
  void onFailure(Runnable r) {
    onFailure = r;
  }

  /**
   * Adds a peer; {@code then} runs on the document executor after the peer is registered. A failed
   * document takes no peers: the peer is aborted instead (it reconnects and gets a fresh copy).
   */
  public void join(DocPeer peer, boolean readOnly, Runnable then) {
    exec.execute(
        () -> {
          if (failed) {
            peer.abort("document failed to store; reconnect");
            return;
          }
          if (indexOf(peer) < 0) {
            int n = peers.length;
            DocPeer[] p = Arrays.copyOf(peers, n + 1);
            Member[] m = Arrays.copyOf(members, n + 1);
            p[n] = peer;
            m[n] = new Member(peer);
            peers = p;
            members = m;
            peerCount = n + 1;
          }
          safe(() -> hooks.onConnect(name, peer.remoteAddress(), readOnly));
          then.run();
        });
  }

  /** Removes a peer and the awareness states it controlled. */
  public void leave(DocPeer peer) {
    exec.execute(
        () -> {
          int i = indexOf(peer);
          if (i < 0) {
            return;
          }
          long id = members[i].bound;
          int n = peers.length - 1;
          DocPeer[] p = n == 0 ? NO_PEERS : new DocPeer[n];
          Member[] m = n == 0 ? NO_MEMBERS : new Member[n];
          System.arraycopy(peers, 0, p, 0, i);
          System.arraycopy(peers, i + 1, p, i, n - i);
          System.arraycopy(members, 0, m, 0, i);
          System.arraycopy(members, i + 1, m, i, n - i);
          peers = p;
          members = m;
          peerCount = n;
          if (id >= 0) {
            awareness.removeStates(List.of(id), peer);
            // the id stays reserved for this client's reconnection (same host, a connection opened
            // later)
            released.put(id, new Released(host(peer), System.currentTimeMillis()));
          }
          safe(() -> hooks.onDisconnect(name, peer.remoteAddress()));
          onIdle.run();
        });
  }

  /** Awareness update bytes holding every known state, or null when there is none. */
  public byte[] awarenessSnapshot() {
    return awareness.getStates().isEmpty() ? null : awareness.encodeAllStates();
  }

  /**
   * Applies a peer's awareness update, keeping only entries for the client id the peer is bound to:
   * the first id it sent that no other peer holds and that is not reserved for someone else (an id
   * whose connection left stays reserved for {@link #AWARENESS_RESERVATION_MILLIS} to its
   * reconnection: a connection from the same host that announced its awareness right after
   * connecting). At most {@link #AWARENESS_BURST} updates at once and {@link #AWARENESS_PER_SECOND}
   * per second are relayed per peer; beyond that the latest update waits for the next slot and
   * replaces any it finds waiting (latest state wins). Runs on the executor; throws on malformed
   * bytes.
   */
  public void applyAwareness(DocPeer peer, byte[] update) {
    List<Awareness.Entry> entries = Awareness.decodeUpdate(update);
    int i = indexOf(peer);
    if (i < 0) {
      return;
    }
    Member m = members[i];
    if (m.firstAwarenessMillis < 0) {
      m.firstAwarenessMillis = System.currentTimeMillis();
    }
    List<Awareness.Entry> keep = new ArrayList<>(entries.size());
    for (Awareness.Entry e : entries) {
      if (m.bound < 0 && claimable(e.clientId(), m)) {
        m.bound = e.clientId();
        released.remove(m.bound);
      }
      if (e.clientId() == m.bound) {
        keep.add(e);
      }
    }
    if (keep.isEmpty()) {
      return;
    }
    if (m.pending == null && m.allow(System.nanoTime())) {
      awareness.applyEntries(keep, peer);
      return;
    }
    m.pending = keep; // latest wins
    scheduleAwarenessFlush(m);
  }

  private void scheduleAwarenessFlush(Member m) {
    if (m.flushScheduled) {
      return;
    }
    m.flushScheduled = true;
    try {
      timers.schedule(
          () -> exec.execute(() -> flushAwareness(m)),
          Math.max(1, m.nanosUntilToken()),
          TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      m.flushScheduled = false; // the server is shutting down: the held-back update is dropped
      m.pending = null;
    }
  }

  /** Relays a member's held-back awareness update once the rate limit allows (executor). */
  private void flushAwareness(Member m) {
    m.flushScheduled = false;
    if (m.pending == null || indexOf(m.peer) < 0) {
      m.pending = null;
      return;
    }
    if (m.allow(System.nanoTime())) {
      List<Awareness.Entry> p = m.pending;
      m.pending = null;
      awareness.applyEntries(p, m.peer);
    } else {
      scheduleAwarenessFlush(m);
    }
  }

  /**
   * Whether {@code claimant} may bind {@code clientId}: no live peer holds it, and it is not
   * reserved for the connection that held it. While reserved, only a reconnection may take it: a
   * connection from the same host that announced its awareness right after connecting, as providers
   * do (an idle connection that waits for an id to be freed cannot).
   */
  private boolean claimable(long clientId, Member claimant) {
    for (Member m : members) {
      if (m.bound == clientId) {
        return false;
      }
    }
    Released r = released.get(clientId);
    if (r == null) {
      return true;
    }
    if (System.currentTimeMillis() - r.atMillis() >= AWARENESS_RESERVATION_MILLIS) {
      released.remove(clientId);
      return true;
    }
    DocPeer peer = claimant.peer;
    boolean early =
        claimant.firstAwarenessMillis - peer.connectedAtMillis() <= AWARENESS_EARLY_MILLIS;
    return early && host(peer).equals(r.host());
  }

  private static String host(DocPeer peer) {
    String a = peer.remoteAddress();
    if (a == null) {
      return "";
    }
    int colon = a.lastIndexOf(':');
    return colon > 0 ? a.substring(0, colon) : a;
  }

  private int indexOf(DocPeer peer) {
    DocPeer[] p = peers;
    for (int i = 0; i < p.length; i++) {
      if (p[i] == peer) {
        return i;
      }
    }
    return -1;
  }

  private static ScheduledExecutorService sharedTimer() {
    ScheduledExecutorService t = sharedTimer;
    if (t == null) {
      synchronized (ServerDocument.class) {
        t = sharedTimer;
        if (t == null) {
          t =
              java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                  r -> {
                    Thread th = new Thread(r, "sync-awareness-timer");
                    th.setDaemon(true);
                    return th;
                  });
          sharedTimer = t;
        }
      }
    }
    return t;
  }

  /**
   * Expires outdated awareness states and id reservations (call about every 3 s, on the executor).
   */
  public void checkAwareness() {
    awareness.check();
    long now = System.currentTimeMillis();
    released.values().removeIf(r -> now - r.atMillis() >= AWARENESS_RESERVATION_MILLIS);
  }

  /**
   * Answers a state vector with the diff, after every earlier write is durable (so a Step1/Step2
   * round trip is an acknowledgement barrier on protocols without acks).
   */
  public void afterWrites(Runnable task) {
    CompletableFuture<?> barrier = lastWrite;
    if (barrier.isDone()) {
      task.run();
    } else {
      barrier.whenComplete((r, e) -> exec.execute(task));
    }
  }

  /**
   * Applies a peer's update (on the executor) and queues its broadcast to every peer. {@code ack}
   * runs with true once the update is durable (or changed nothing and every earlier write is
   * durable), with false when the store rejected it (see the class comment); it is not run if the
   * store fails.
   *
   * @throws RuntimeException for a malformed update (nothing applied)
   */
  public void applyUpdate(DocPeer from, byte[] update, Consumer<Boolean> ack) {
    if (failed) {
      return;
    }
    SyncDocument.Applied applied = doc.apply(update, from);
    if (!applied.changedOrPending()) {
      afterWrites(() -> ack.accept(true));
      return;
    }
    approxBytes += update.length;
    safe(() -> hooks.onChange(name, update));
    // peers see what was new to the document now (the update itself when it is only pending); the
    // sender's ack waits for the store
    byte[] effective = applied.changed() ? applied.update() : update;
    queueBroadcast(effective);
    cluster.localUpdate(
        this, effective); // other instances apply it; the instance that got it stores it
    append(update, (error) -> stored(from, update, effective, ack, error));
  }

  /**
   * Appends to the store and runs {@code done} on the executor with the error (null when durable).
   * Appends complete in order; one that completes at once with nothing earlier pending runs inline.
   */
  private void append(byte[] bytes, Consumer<Throwable> done) {
    boolean earlierPending = inFlight > 0;
    inFlight++;
    CompletableFuture<?> f;
    try {
      f = store.append(name, bytes);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    // a completed write is remembered as the shared DONE: a quiet document keeps no future of its
    // own
    lastWrite = f.isDone() && !f.isCompletedExceptionally() ? DONE : f;
    if (f.isDone() && !earlierPending) {
      // the in-memory store (and a failing one) complete at once: no executor hop, and no earlier
      // completion can still be queued, so acks stay in order
      Throwable e = errorOf(f);
      inFlight--;
      done.accept(e);
    } else {
      f.whenComplete(
          (r, e) ->
              exec.execute(
                  () -> {
                    inFlight--;
                    done.accept(e);
                  }));
    }
  }

  /**
   * A client's SyncStep2 (its answer to our SyncStep1 when it connects): applied as {@link
   * #applyUpdate}; in a cluster sharing one store it is acknowledged only once the store holds
   * everything this document holds (see {@link #makeDurable}). After failing over, a client's
   * SyncStep2 lacks whatever of its changes this instance already got over Redis — possibly from an
   * instance that died before storing them; once this acknowledgement arrives the client counts
   * them as acknowledged, so they are stored first.
   */
  public void applyResync(DocPeer from, byte[] update, Consumer<Boolean> ack) {
    if (!cluster.sharesStore()) {
      applyUpdate(from, update, ack);
      return;
    }
    applyUpdate(
        from,
        update,
        ok -> {
          if (ok) {
            makeDurable(ack);
          } else {
            ack.accept(
                false); // the store refused it: the sender's problem only (see the class comment)
          }
        });
  }

  /**
   * In a cluster, a client's update that changed nothing here may carry changes this instance got
   * from another instance over Redis and that instance never stored (it died before its commit) —
   * e.g. the resync of a client that wrote them there and failed over to here. Before
   * acknowledging, whatever this document holds beyond the store's version (and its delete set) is
   * appended, unless the store already covers it, so an acknowledgement always means "durable",
   * whichever instance stored it.
   */
  private void makeDurable(Consumer<Boolean> ack) {
    makeDurable(ack, 0);
  }

  private void makeDurable(Consumer<Boolean> ack, int attempt) {
    inFlight++;
    cluster
        .blocking()
        .execute(
            () -> {
              byte[] read = null;
              Throwable readError = null;
              try {
                read = store.version(name);
              } catch (RuntimeException e) {
                readError = e;
              }
              byte[] version = read;
              Throwable err = readError;
              exec.execute(
                  () -> {
                    if (failed) {
                      inFlight--;
                      if (idle()) {
                        onIdle.run();
                      }
                      return;
                    }
                    if (err != null) {
                      // the store is unreachable (an outage): retry while someone waits for the
                      // acknowledgement
                      long delay = Math.min(5_000, 250L << Math.min(attempt, 5));
                      if (attempt == 0) {
                        LOG.warn(
                            "cannot read the stored version of '{}' ({}); the client's resync stays unacknowledged"
                                + " and is retried every {} ms at most",
                            name,
                            err.toString(),
                            5_000);
                      }
                      if (peerCount > 0) {
                        try {
                          timers.schedule(
                              () -> exec.execute(() -> makeDurable(ack, attempt + 1)),
                              delay,
                              TimeUnit.MILLISECONDS);
                        } catch (java.util.concurrent.RejectedExecutionException e) {
                          // the server is shutting down: the client resyncs with another instance
                        }
                      }
                      inFlight--;
                      if (idle()) {
                        onIdle.run();
                      }
                      return;
                    }
                    byte[] missing = doc.diff(version);
                    if (missing.length <= 2) { // [0 structs, 0 deletions]: the store has everything
                      inFlight--;
                      ack.accept(true);
                      if (idle()) {
                        onIdle.run();
                      }
                      return;
                    }
                    // stored like any write (in order, acknowledged on commit); a store refusing
                    // the engine's own
                    // encoding cannot keep this document durable: it fails
                    append(
                        missing,
                        error -> {
                          if (error == null) {
                            if (!failed) {
                              ack.accept(true);
                            }
                          } else {
                            fail(error);
                          }
                          if (idle()) {
                            onIdle.run();
                          }
                        });
                    inFlight--; // the append holds its own count
                  });
            });
  }

  /**
   * Applies an update another instance published (on the executor): broadcast to this instance's
   * peers, never stored here (the instance its client sent it to stores it) nor published again.
   *
   * @throws RuntimeException for a malformed update (nothing applied)
   */
  public void applyRemote(byte[] update) {
    if (failed) {
      return;
    }
    SyncDocument.Applied applied = doc.apply(update, REMOTE);
    if (applied.changedOrPending()) {
      approxBytes += update.length;
      queueBroadcast(applied.changed() ? applied.update() : update);
    }
  }

  /**
   * Applies awareness states of another instance's clients (on the executor); throws on malformed
   * bytes.
   */
  public void applyRemoteAwareness(byte[] update) {
    awareness.applyUpdate(update, REMOTE);
  }

  private static Throwable errorOf(CompletableFuture<?> done) {
    if (!done.isCompletedExceptionally()) {
      return null;
    }
    try {
      done.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause() != null ? e.getCause() : e;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /**
   * On the executor, once the append of {@code update} completed ({@code error} null) or failed.
   */
  private void stored(
      DocPeer from, byte[] update, byte[] effective, Consumer<Boolean> ack, Throwable error) {
    if (error == null) {
      if (!failed) {
        safe(() -> hooks.onStore(name, update));
        ack.accept(true);
      }
    } else if (!failed && StoreErrors.isRejection(error)) {
      rejected(from, update, effective, ack, StoreErrors.unwrap(error));
    } else {
      fail(error);
    }
    if (idle()) {
      onIdle.run();
    }
  }

  /**
   * The store refused an update the engine applied (and peers already have): not acknowledged to
   * the sender; what the engine integrated is stored in the engine's own encoding, so nothing peers
   * saw is lost. If the store refuses even that, the document cannot be kept durable: it fails.
   */
  private void rejected(
      DocPeer from, byte[] update, byte[] effective, Consumer<Boolean> ack, Throwable why) {
    LOG.info(
        "the store refused an update of '{}' from {} that the engine applied ({}); not acknowledged to"
            + " that client{}",
        name,
        from.remoteAddress(),
        why.getMessage(),
        effective != update ? "; storing what the engine integrated instead" : "");
    ack.accept(false);
    if (effective != update) {
      append(
          effective,
          error -> {
            if (error != null) {
              fail(error);
            }
            if (idle()) {
              onIdle.run();
            }
          });
    }
  }

  /**
   * Broadcasts applied updates to every peer. Updates applied while earlier tasks run are merged
   * into one message (as Hocuspocus does within an event-loop turn): the flush runs after the tasks
   * already queued on the executor.
   */
  private void queueBroadcast(byte[] update) {
    version++; // every change of the document is broadcast, so this is where a shared join state
    // expires
    fullState = null;
    List<byte[]> box = outbox;
    if (box == null) {
      box = new ArrayList<>(4);
      outbox = box;
      outboxBytes = 0;
      outboxDeferrals = 0;
      exec.execute(this::flushBroadcast);
    }
    box.add(update);
    outboxBytes += update.length;
  }

  private void flushBroadcast() {
    List<byte[]> batch = outbox;
    if (batch == null || failed) {
      outbox = null;
      return; // a failed document's peers are being aborted; they resync
    }
    // Tasks that arrived after this flush was queued (another event loop's reads of the same turn,
    // usually more updates) run first, a few times at most and up to a byte cap: their updates join
    // this message instead of making their own. Nothing waits for time, only for work already
    // queued.
    if (outboxDeferrals < MAX_FLUSH_DEFERRALS
        && outboxBytes < MAX_MERGED_BYTES
        && exec.hasQueued()) {
      outboxDeferrals++;
      exec.execute(this::flushBroadcast);
      return;
    }
    outbox = null;
    DocPeer[] targets = peers;
    if (batch.size() > 1) {
      try {
        byte[] merged = doc.merge(batch);
        if (merged != null) {
          send(targets, merged);
          return;
        }
      } catch (RuntimeException e) {
        LOG.warn(
            "merging {} updates of '{}' failed; sending them one by one", batch.size(), name, e);
      }
    }
    for (byte[] m : batch) {
      send(targets, m);
    }
  }

  private static void send(DocPeer[] targets, byte[] update) {
    Broadcast b = new Broadcast(update);
    for (DocPeer p : targets) {
      p.sendUpdate(b);
    }
  }

  private void fail(Throwable e) {
    if (failed) {
      return;
    }
    failed = true;
    LOG.error(
        "storing an update of document '{}' failed; closing its connections so clients reconnect and"
            + " resync (the document is loaded again from the store when they do)",
        name,
        e);
    for (DocPeer p : peers) {
      p.abort("storage failed; reconnect");
    }
    onFailure.run();
  }

  public boolean failed() {
    return failed;
  }

  public CompletableFuture<?> lastWrite() {
    return lastWrite;
  }

  private static void safe(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("a sync server hook threw", e);
    }
  }
}
