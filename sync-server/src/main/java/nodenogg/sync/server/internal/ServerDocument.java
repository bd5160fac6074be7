package nodenogg.sync.server.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import nodenogg.crdt.sync.Awareness;
import nodenogg.crdt.sync.SyncDocument;
import nodenogg.sync.server.DocumentStore;
import nodenogg.sync.server.SyncServerHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded document on the server: the CRDT document, its awareness, its peers, and the
 * durability bookkeeping. Every method runs its work on the document's {@link SerialExecutor};
 * public methods may be called from any thread.
 *
 * <p>Durability: an update that changes the document is appended to the store and only after the
 * append completes is it acknowledged to the sender and broadcast to every peer (the sender
 * included, as Hocuspocus and y-websocket do). An update that changes nothing is acknowledged once
 * every earlier write is durable. If an append fails the document is marked failed, all peers are
 * aborted (clients keep their edits and resync), and the registry unloads it.
 */
public final class ServerDocument {
  private static final Logger LOG = LoggerFactory.getLogger(ServerDocument.class);

  private final String name;
  private final SyncDocument doc;
  private final Awareness awareness;
  private final SerialExecutor exec;
  private final DocumentStore store;
  private final SyncServerHooks hooks;
  private final Runnable onIdle;
  private final Map<DocPeer, Long> peers = new LinkedHashMap<>(); // peer -> bound awareness id (-1 none)
  private CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null);
  private volatile int inFlight;
  private volatile int peerCount;
  private volatile boolean failed;
  private byte[] emitted; // the update the document emitted during the current apply
  private List<byte[]> outbox = new ArrayList<>(); // stored updates waiting for the next broadcast

  ServerDocument(String name, SyncDocument doc, SerialExecutor exec, DocumentStore store, SyncServerHooks hooks,
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
      for (DocPeer p : new ArrayList<>(peers.keySet())) {
        p.sendAwareness(msg);
      }
    });
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
      peers.put(peer, -1L);
      peerCount = peers.size();
      safe(() -> hooks.onConnect(name, peer.remoteAddress(), readOnly));
      then.run();
    });
  }

  /** Removes a peer and the awareness states it controlled. */
  public void leave(DocPeer peer) {
    exec.execute(() -> {
      Long bound = peers.remove(peer);
      peerCount = peers.size();
      if (bound == null) {
        return;
      }
      if (bound >= 0) {
        awareness.removeStates(List.of(bound), peer);
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
    Long bound = peers.get(peer);
    if (bound == null) {
      return;
    }
    List<Awareness.Entry> keep = new ArrayList<>();
    for (Awareness.Entry e : entries) {
      if (bound < 0 && !peers.containsValue(e.clientId())) {
        bound = e.clientId();
        peers.put(peer, bound);
      }
      if (e.clientId() == bound) {
        keep.add(e);
      }
    }
    if (!keep.isEmpty()) {
      awareness.applyEntries(keep, peer);
    }
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
   * Applies a peer's update (on the executor). {@code ack} runs with true once the update is durable
   * (or changed nothing and every earlier write is durable); it is not run if storing fails.
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
    inFlight++;
    CompletableFuture<?> f;
    try {
      f = store.append(name, update);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    lastWrite = f;
    f.whenComplete((r, e) -> exec.execute(() -> {
      inFlight--;
      if (e != null) {
        fail(e);
      } else if (!failed) {
        safe(() -> hooks.onStore(name, update));
        ack.accept(true);
        queueBroadcast(effective);
      }
      onIdle.run();
    }));
  }

  /**
   * Broadcasts stored updates to every peer. Updates stored while earlier tasks run are merged into
   * one message (as Hocuspocus does within an event-loop turn): the flush runs after the tasks
   * already queued on the executor.
   */
  private void queueBroadcast(byte[] update) {
    outbox.add(update);
    if (outbox.size() == 1) {
      exec.execute(this::flushBroadcast);
    }
  }

  private void flushBroadcast() {
    List<byte[]> batch = outbox;
    outbox = new ArrayList<>();
    if (batch.isEmpty()) {
      return;
    }
    List<byte[]> messages = batch;
    if (batch.size() > 1) {
      try {
        byte[] merged = doc.merge(batch);
        if (merged != null) {
          messages = List.of(merged);
        }
      } catch (RuntimeException e) {
        LOG.warn("merging {} updates of '{}' failed; sending them one by one", batch.size(), name, e);
      }
    }
    List<DocPeer> targets = new ArrayList<>(peers.keySet());
    for (byte[] m : messages) {
      Broadcast b = new Broadcast(m);
      for (DocPeer p : targets) {
        p.sendUpdate(b);
      }
    }
  }

  private void fail(Throwable e) {
    if (failed) {
      return;
    }
    failed = true;
    LOG.error("storing an update of document '{}' failed; closing its connections so clients resync", name, e);
    for (DocPeer p : new ArrayList<>(peers.keySet())) {
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
