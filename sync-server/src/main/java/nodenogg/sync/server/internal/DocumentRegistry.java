package nodenogg.sync.server.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import nodenogg.crdt.sync.SyncDocument;
import nodenogg.persistence.UpdateStore;
import nodenogg.sync.server.SyncServerHooks;
import nodenogg.sync.server.websocket.LoopExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loaded documents by name. A document is loaded from the store on first use (concurrent requests
 * share one load), reference-counted by its users, and unloaded once nobody uses it and no write is
 * in flight. Thread-safe.
 */
public final class DocumentRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentRegistry.class);
  /** Transaction origin of updates replayed from the store. */
  public static final Object STORE_ORIGIN = new Object() {
    @Override
    public String toString() {
      return "store";
    }
  };

  private final ExecutorService pool;
  /** Document tasks stay on the WebSocket loop that read the message; from other threads, the pool. */
  private final Executor documentThreads;
  private final UpdateStore store;
  private final SyncServerHooks hooks;
  private final Supplier<SyncDocument> factory;
  private final Map<String, Slot> docs = new HashMap<>();
  private volatile ClusterHooks cluster = ClusterHooks.NONE;

  private static final class Slot {
    final CompletableFuture<ServerDocument> ready = new CompletableFuture<>();
    int refs;
  }

  public DocumentRegistry(ExecutorService pool, UpdateStore store, SyncServerHooks hooks, Supplier<SyncDocument> factory) {
    this.pool = pool;
    this.documentThreads = new LoopExecutor(pool);
    this.store = store;
    this.hooks = hooks;
    this.factory = factory;
  }

  /** Connects every document loaded from now on to the other instances of a cluster. */
  public void cluster(ClusterHooks hooks) {
    this.cluster = hooks;
  }

  /** Takes a reference to the named document, loading it if needed. Pair with {@link #release}. */
  public CompletableFuture<ServerDocument> acquire(String name) {
    Slot slot;
    boolean load = false;
    synchronized (docs) {
      slot = docs.get(name);
      if (slot != null && slot.ready.isDone() && !slot.ready.isCompletedExceptionally()
          && slot.ready.join().failed()) {
        return CompletableFuture.failedFuture(new IllegalStateException("document '" + name
            + "' is being unloaded after a storage failure; retry"));
      }
      if (slot == null) {
        slot = new Slot();
        docs.put(name, slot);
        load = true;
      }
      slot.refs++;
    }
    if (load) {
      Slot s = slot;
      pool.execute(() -> load(name, s));
    }
    return slot.ready;
  }

  private void load(String name, Slot slot) {
    try {
      SyncDocument doc = factory.get();
      List<byte[]> updates = store.load(name);
      for (byte[] u : updates) {
        doc.apply(u, STORE_ORIGIN);
      }
      ServerDocument sd = new ServerDocument(name, doc, new SerialExecutor(documentThreads), store, hooks,
          ThreadLocalRandom.current().nextLong(1L << 32), () -> maybeUnload(name));
      LOG.debug("loaded document '{}' ({} stored updates)", name, updates.size());
      try {
        hooks.onLoad(name, updates.size());
      } catch (RuntimeException e) {
        LOG.warn("onLoad hook threw", e);
      }
      sd.cluster(cluster);
      // in a cluster, clients get the document once the instances that have it open sent their state
      cluster.opened(sd).whenComplete((v, e) -> {
        if (e != null) {
          LOG.warn("initial sync of '{}' with other instances failed ({}); serving the stored state", name, e.toString());
        }
        slot.ready.complete(sd);
        maybeUnload(name); // every user may have left while it loaded
      });
    } catch (RuntimeException e) {
      LOG.error("loading document '{}' failed", name, e);
      synchronized (docs) {
        if (docs.get(name) == slot) {
          docs.remove(name);
        }
      }
      slot.ready.completeExceptionally(e);
    }
  }

  /** Drops a reference taken with {@link #acquire}; the document unloads when idle. */
  public void release(String name) {
    synchronized (docs) {
      Slot slot = docs.get(name);
      if (slot == null) {
        return;
      }
      slot.refs--;
    }
    maybeUnload(name);
  }

  private void maybeUnload(String name) {
    ServerDocument unloaded = null;
    synchronized (docs) {
      Slot slot = docs.get(name);
      if (slot == null || slot.refs > 0 || !slot.ready.isDone()) {
        return;
      }
      if (slot.ready.isCompletedExceptionally()) {
        docs.remove(name);
        return;
      }
      ServerDocument d = slot.ready.join();
      if (!d.idle()) {
        return; // the last leave or write completion calls again
      }
      docs.remove(name);
      unloaded = d;
    }
    LOG.debug("unloaded document '{}'", name);
    cluster.closed(unloaded);
    try {
      hooks.onUnload(unloaded.name());
    } catch (RuntimeException e) {
      LOG.warn("onUnload hook threw", e);
    }
  }

  /** Currently loaded (or loading) document names. */
  public List<String> loaded() {
    synchronized (docs) {
      return new ArrayList<>(docs.keySet());
    }
  }

  /** Loaded documents, for periodic work (awareness expiry). */
  public List<ServerDocument> loadedDocuments() {
    List<ServerDocument> out = new ArrayList<>();
    synchronized (docs) {
      for (Slot s : docs.values()) {
        if (s.ready.isDone() && !s.ready.isCompletedExceptionally()) {
          out.add(s.ready.join());
        }
      }
    }
    return out;
  }
}
