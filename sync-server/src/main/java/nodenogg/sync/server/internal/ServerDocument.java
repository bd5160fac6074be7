package nodenogg.sync.server.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import nodenogg.crdt.sync.Awareness;
import nodenogg.crdt.sync.SyncDocument;
import nodenogg.persistence.UpdateStore;
import nodenogg.sync.server.SyncServerHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded document on the server: the CRDT document, its awareness, its peers, and the
 * durability bookkeeping. Every method runs its work on the document's {@link SerialExecutor};
 * public methods may be called from any thread.
 *
 * <p>Durability: an update that changes the document is broadcast to every peer (the sender
 * included, as Hocuspocus and y-websocket do) as soon as it is applied, and appended to the store;
 * it is acknowledged to the sender only once the append completes. An update that changes nothing is
 * acknowledged once every earlier write is durable. A broadcast update whose append later fails
 * loses nothing acknowledged: the sender still holds it unacknowledged, and the document is marked
 * failed, all peers are aborted (clients keep their edits and resync against the durable state),
 * and the registry unloads it.
 *
 * <p>Memory: a server keeps one of these per loaded document, so the peers are a copy-on-write
 * array (joins and leaves are rare, broadcasts frequent) and nothing is allocated before it is used.
 */
public final class ServerDocument {
  private static final Logger LOG = LoggerFactory.getLogger(ServerDocument.class);
  private static final CompletableFuture<?> DONE = CompletableFuture.completedFuture(null);
  private static final DocPeer[] NO_PEERS = {};
  private static final long[] NO_IDS = {};
  /** Transaction and awareness origin of what other instances sent over Redis: broadcast here, never stored or re-published. */
  public static final Object REMOTE = new Object() {
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
  // peers[i] is bound to awareness client id bound[i] (-1 none); both replaced on join/leave, executor only
  private DocPeer[] peers = NO_PEERS;
  private long[] bound = NO_IDS;
  private CompletableFuture<?> lastWrite = DONE;
  private volatile int inFlight;
  private volatile int peerCount;
  private volatile boolean failed;
  private byte[] emitted; // the update the document emitted during the current apply
  private List<byte[]> outbox; // applied updates waiting for the next broadcast; null when none
  private volatile ClusterHooks cluster = ClusterHooks.NONE;

  ServerDocument(String name, SyncDocument doc, SerialExecutor exec, UpdateStore store, SyncServerHooks hooks,
      long awarenessClientId, Runnable onIdle) {
    this.name = name;
    this.doc = doc;
    this.exec = exec;
    this.store = store;
    this.hooks = hooks;
    this.onIdle = onIdle;
    doc.onUpdate((u, origin) -> emitted = u);
    this.awareness = new Awareness(awarenessClientId);
    awareness.setLocalState(null); // the server has no presence of its own
    awareness.onUpdate((change, origin) -> {
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

  /** No peers and no write in flight; safe to read from any thread. */
  boolean idle() {
    return peerCount == 0 && inFlight == 0;
  }

  /** Adds a peer; {@code then} runs on the document executor after the peer is registered. */
  public void join(DocPeer peer, boolean readOnly, Runnable then) {
    exec.execute(() -> {
      if (indexOf(peer) < 0) {
        int n = peers.length;
        DocPeer[] p = Arrays.copyOf(peers, n + 1);
        long[] b = Arrays.copyOf(bound, n + 1);
        p[n] = peer;
        b[n] = -1;
        peers = p;
        bound = b;
        peerCount = n + 1;
      }
      safe(() -> hooks.onConnect(name, peer.remoteAddress(), readOnly));
      then.run();
    });
  }

  /** Removes a peer and the awareness states it controlled. */
  public void leave(DocPeer peer) {
    exec.execute(() -> {
      int i = indexOf(peer);
      if (i < 0) {
        return;
      }
      long id = bound[i];
      int n = peers.length - 1;
      DocPeer[] p = n == 0 ? NO_PEERS : new DocPeer[n];
      long[] b = n == 0 ? NO_IDS : new long[n];
      System.arraycopy(peers, 0, p, 0, i);
      System.arraycopy(peers, i + 1, p, i, n - i);
      System.arraycopy(bound, 0, b, 0, i);
      System.arraycopy(bound, i + 1, b, i, n - i);
      peers = p;
      bound = b;
      peerCount = n;
      if (id >= 0) {
        awareness.removeStates(List.of(id), peer);
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
   * Applies a peer's awareness update, keeping only entries for the client id the peer is bound to
   * (the first id it sent that no other peer holds). Runs on the executor; throws on malformed bytes.
   */
  public void applyAwareness(DocPeer peer, byte[] update) {
    List<Awareness.Entry> entries = Awareness.decodeUpdate(update);
    int i = indexOf(peer);
    if (i < 0) {
      return;
    }
    List<Awareness.Entry> keep = new ArrayList<>(entries.size());
    for (Awareness.Entry e : entries) {
      if (bound[i] < 0 && !isBound(e.clientId())) {
        bound[i] = e.clientId();
      }
      if (e.clientId() == bound[i]) {
        keep.add(e);
      }
    }
    if (!keep.isEmpty()) {
      awareness.applyEntries(keep, peer);
    }
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

  private boolean isBound(long clientId) {
    for (long b : bound) {
      if (b == clientId) {
        return true;
      }
    }
    return false;
  }

  /** Expires outdated awareness states (call about every 3 s, on the executor). */
  public void checkAwareness() {
    awareness.check();
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
   * durable); it is not run if storing fails.
   *
   * @throws RuntimeException for a malformed update (nothing applied)
   */
  public void applyUpdate(DocPeer from, byte[] update, Consumer<Boolean> ack) {
    if (failed) {
      return;
    }
    emitted = null;
    boolean changed = doc.apply(update, from);
    byte[] effective = emitted != null ? emitted : update;
    emitted = null;
    if (!changed) {
      afterWrites(() -> ack.accept(true));
      return;
    }
    safe(() -> hooks.onChange(name, update));
    queueBroadcast(effective); // peers see it now; the sender's ack waits for the store
    cluster.localUpdate(this, effective);
    boolean earlierPending = inFlight > 0;
    inFlight++;
    CompletableFuture<?> f;
    try {
      f = store.append(name, update);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    // a completed write is remembered as the shared DONE: a quiet document keeps no future of its own
    lastWrite = f.isDone() && !f.isCompletedExceptionally() ? DONE : f;
    if (f.isDone() && !earlierPending) {
      // the in-memory store (and a failing one) complete at once: no executor hop, and no earlier
      // completion can still be queued, so acks stay in order
      stored(update, ack, errorOf(f));
    } else {
      f.whenComplete((r, e) -> exec.execute(() -> stored(update, ack, e)));
    }
  }

  /**
   * A client's SyncStep2 (its answer to our SyncStep1 when it connects): applied as {@link #applyUpdate}; in a
   * cluster sharing one store it is acknowledged only once the store holds everything this document holds
   * (see {@link #makeDurable}). After failing over, a client's SyncStep2 lacks whatever of its changes this
   * instance already got over Redis — possibly from an instance that died before storing them; once this
   * acknowledgement arrives the client counts them as acknowledged, so they are stored first.
   */
  public void applyResync(DocPeer from, byte[] update, Consumer<Boolean> ack) {
    if (!cluster.sharesStore()) {
      applyUpdate(from, update, ack);
      return;
    }
    applyUpdate(from, update, ok -> makeDurable(ack));
  }

  /**
   * In a cluster, a client's update that changed nothing here may carry changes this instance got from
   * another instance over Redis and that instance never stored (it died before its commit) — e.g. the
   * resync of a client that wrote them there and failed over to here. Before acknowledging, whatever
   * this document holds beyond the store's version (and its delete set) is appended, unless the store
   * already covers it, so an acknowledgement always means "durable", whichever instance stored it.
   */
  private void makeDurable(Consumer<Boolean> ack) {
    inFlight++;
    cluster.blocking().execute(() -> {
      byte[] stored = null;
      Throwable error = null;
      try {
        stored = store.version(name);
      } catch (RuntimeException e) {
        error = e;
      }
      byte[] version = stored;
      Throwable err = error;
      exec.execute(() -> {
        if (err != null || failed) {
          inFlight--;
          if (err != null) {
            LOG.warn("cannot read the stored version of '{}' ({}); the change stays unacknowledged", name, err.toString());
          }
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
        CompletableFuture<?> f;
        try {
          f = store.append(name, missing);
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        lastWrite = f;
        f.whenComplete((r, e) -> exec.execute(() -> stored(missing, ack, e)));
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
    emitted = null;
    boolean changed = doc.apply(update, REMOTE);
    byte[] effective = emitted != null ? emitted : update;
    emitted = null;
    if (changed) {
      queueBroadcast(effective);
    }
  }

  /** Applies awareness states of another instance's clients (on the executor); throws on malformed bytes. */
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

  /** On the executor, once the append of {@code update} completed ({@code error} null) or failed. */
  private void stored(byte[] update, Consumer<Boolean> ack, Throwable error) {
    inFlight--;
    if (error != null) {
      fail(error);
    } else if (!failed) {
      safe(() -> hooks.onStore(name, update));
      ack.accept(true);
    }
    if (idle()) {
      onIdle.run();
    }
  }

  /**
   * Broadcasts applied updates to every peer. Updates applied while earlier tasks run are merged into
   * one message (as Hocuspocus does within an event-loop turn): the flush runs after the tasks
   * already queued on the executor.
   */
  private void queueBroadcast(byte[] update) {
    List<byte[]> box = outbox;
    if (box == null) {
      box = new ArrayList<>(4);
      outbox = box;
      exec.execute(this::flushBroadcast);
    }
    box.add(update);
  }

  private void flushBroadcast() {
    List<byte[]> batch = outbox;
    outbox = null;
    if (batch == null || failed) {
      return; // a failed document's peers are being aborted; they resync
    }
    DocPeer[] targets = peers;
    if (batch.size() > 1) {
      try {
        byte[] merged = doc.merge(batch);
        if (merged != null) {
          send(targets, merged);
          return;
        }
      } catch (RuntimeException e) {
        LOG.warn("merging {} updates of '{}' failed; sending them one by one", batch.size(), name, e);
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
    LOG.error("storing an update of document '{}' failed; closing its connections so clients resync", name, e);
    for (DocPeer p : peers) {
      p.abort("storage failed");
    }
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
