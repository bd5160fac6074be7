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
import nodenogg.persistence.UpdateStore;
import nodenogg.sync.protocol.SyncDocument;
import nodenogg.sync.server.SyncServerHooks;
import nodenogg.sync.server.websocket.LoopExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loaded documents by name. A document is loaded from the store on first use (concurrent requests
 * share one load), reference-counted by its users through {@link Lease}s, and unloaded once nobody
 * uses it and no write is in flight.
 *
 * <p>A document whose store failed is evicted at once: its users are being disconnected (they
 * reconnect and resync), and the next {@link #acquire} loads a fresh copy from the store, after the
 * failed copy's writes have settled, so a document comes back as soon as the store works again and
 * nobody ever joins a failed copy. Thread-safe.
 */
public final class DocumentRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DocumentRegistry.class);

  /** Transaction origin of updates replayed from the store. */
  public static final Object STORE_ORIGIN =
      new Object() {
        @Override
        public String toString() {
          return "store";
        }
      };

  private static final CompletableFuture<?> SETTLED = CompletableFuture.completedFuture(null);

  private final ExecutorService pool;

  /**
   * Document tasks stay on the WebSocket loop that read the message; from other threads, the pool.
   */
  private final Executor documentThreads;

  /** Heavy document work (large messages, large documents): never an event loop. */
  private final Executor heavyThreads;

  /** For awareness updates held back by the rate limit; null: a shared daemon timer. */
  private final java.util.concurrent.ScheduledExecutorService timers;

  private final UpdateStore store;
  private final SyncServerHooks hooks;
  private final Supplier<SyncDocument> factory;
  private volatile java.util.function.Consumer<OutOfMemoryError> outOfMemory = e -> {};

  /** The current copy of each loaded (or loading) document; guarded by itself. */
  private final Map<String, Slot> docs = new HashMap<>();

  private volatile ClusterHooks cluster = ClusterHooks.NONE;

  /**
   * Writes of evicted (failed) copies still in flight, by name; a reload waits for them. Guarded by
   * docs.
   */
  private final Map<String, CompletableFuture<?>> settling = new HashMap<>();

  /** One load of one document; refs guarded by the registry's map. */
  private static final class Slot {
    final String name;
    final CompletableFuture<ServerDocument> ready = new CompletableFuture<>();
    int refs;
    boolean evicted;

    Slot(String name) {
      this.name = name;
    }
  }

  /**
   * A user's reference to one copy of a document, from {@link #acquire}. {@link #release()} once
   * done (idempotent); a lease on a copy that was evicted releases that copy, never a newer one.
   */
  public final class Lease {
    private final Slot slot;
    private boolean released; // guarded by docs

    private Lease(Slot slot) {
      this.slot = slot;
    }

    /** Completes with the loaded document, or exceptionally when it could not be loaded. */
    public CompletableFuture<ServerDocument> document() {
      return slot.ready;
    }

    public void release() {
      synchronized (docs) {
        if (released) {
          return;
        }
        released = true;
        slot.refs--;
      }
      maybeUnload(slot);
    }
  }

  public DocumentRegistry(
      ExecutorService pool,
      UpdateStore store,
      SyncServerHooks hooks,
      Supplier<SyncDocument> factory) {
    this(pool, pool, null, store, hooks, factory);
  }

  /**
   * @param pool workers for loads, hooks and document work that starts off the event loops
   * @param heavyThreads workers for heavy document work (never an event loop)
   * @param timers for awareness updates held back by the rate limit (null: a shared daemon timer)
   */
  public DocumentRegistry(
      ExecutorService pool,
      Executor heavyThreads,
      java.util.concurrent.ScheduledExecutorService timers,
      UpdateStore store,
      SyncServerHooks hooks,
      Supplier<SyncDocument> factory) {
    this(pool, pool, heavyThreads, timers, store, hooks, factory);
  }

  /**
   * @param pool workers for loads and hooks (they may block)
   * @param documentFallback where document work that starts off the event loops runs (store
   *     completions, timers): the server posts it to an event loop, so an acknowledgement never
   *     waits behind a blocking load on the pool
   * @param heavyThreads workers for heavy document work (never an event loop)
   * @param timers for awareness updates held back by the rate limit (null: a shared daemon timer)
   */
  public DocumentRegistry(
      ExecutorService pool,
      Executor documentFallback,
      Executor heavyThreads,
      java.util.concurrent.ScheduledExecutorService timers,
      UpdateStore store,
      SyncServerHooks hooks,
      Supplier<SyncDocument> factory) {
    this.pool = pool;
    this.heavyThreads = heavyThreads;
    this.timers = timers;
    this.documentThreads = new LoopExecutor(documentFallback);
    this.store = store;
    this.hooks = hooks;
    this.factory = factory;
  }

  /** Connects every document loaded from now on to the other instances of a cluster. */
  public void cluster(ClusterHooks hooks) {
    this.cluster = hooks;
  }

  /** Where an OutOfMemoryError on a document thread is reported (the server sheds connections). */
  public void onOutOfMemory(java.util.function.Consumer<OutOfMemoryError> handler) {
    this.outOfMemory = handler;
  }

  /**
   * Takes a reference to the named document, loading it if needed. Release it with {@link
   * Lease#release()}.
   */
  public Lease acquire(String name) {
    Slot slot;
    CompletableFuture<?> loadAfter = null;
    synchronized (docs) {
      slot = docs.get(name);
      if (slot == null) {
        slot = new Slot(name);
        docs.put(name, slot);
        loadAfter = settling.getOrDefault(name, SETTLED);
      }
      slot.refs++;
    }
    if (loadAfter != null) {
      Slot s = slot;
      loadAfter.whenComplete((r, e) -> pool.execute(() -> load(s)));
    }
    return new Lease(slot);
  }

  private void load(Slot slot) {
    String name = slot.name;
    try {
      SyncDocument doc = factory.get();
      List<byte[]> updates = store.load(name);
      long bytes = 0;
      for (byte[] u : updates) {
        doc.apply(u, STORE_ORIGIN);
        bytes += u.length;
      }
      SerialExecutor exec =
          new SerialExecutor(documentThreads, heavyThreads, e -> outOfMemory.accept(e));
      ServerDocument sd =
          new ServerDocument(
              name,
              doc,
              exec,
              store,
              hooks,
              ThreadLocalRandom.current().nextLong(1L << 32),
              () -> maybeUnload(slot),
              timers);
      sd.loaded(bytes);
      sd.onFailure(() -> evict(slot, sd));
      LOG.debug("loaded document '{}' ({} stored updates)", name, updates.size());
      try {
        hooks.onLoad(name, updates.size());
      } catch (RuntimeException e) {
        LOG.warn("onLoad hook threw", e);
      }
      sd.cluster(cluster);
      // in a cluster, clients get the document once the instances that have it open sent their
      // state
      cluster
          .opened(sd)
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  LOG.warn(
                      "initial sync of '{}' with other instances failed ({}); serving the stored state",
                      name,
                      e.toString());
                }
                slot.ready.complete(sd);
                maybeUnload(slot); // every user may have left while it loaded
              });
    } catch (RuntimeException | OutOfMemoryError e) {
      if (e instanceof OutOfMemoryError) {
        outOfMemory.accept((OutOfMemoryError) e);
      }
      LOG.error("loading document '{}' failed; its clients are told to retry", name, e);
      synchronized (docs) {
        slot.evicted = true;
        docs.remove(name, slot);
      }
      slot.ready.completeExceptionally(e);
    }
  }

  /**
   * Takes a failed copy out of the map, so the next user loads a fresh one once its writes settled.
   * Its peers are being aborted by the document itself.
   */
  private void evict(Slot slot, ServerDocument failed) {
    CompletableFuture<?> writes = failed.lastWrite();
    synchronized (docs) {
      if (slot.evicted) {
        return;
      }
      slot.evicted = true;
      docs.remove(slot.name, slot);
      if (!writes.isDone()) {
        CompletableFuture<?> settled = writes.handle((r, e) -> null);
        settling.put(slot.name, settled);
        settled.whenComplete(
            (r, e) -> {
              synchronized (docs) {
                settling.remove(slot.name, settled);
              }
            });
      }
    }
    LOG.info(
        "document '{}' failed and was evicted; the next client loads it again from the store",
        slot.name);
    cluster.closed(failed); // a fresh copy subscribes again when it loads
    try {
      hooks.onUnload(slot.name);
    } catch (RuntimeException e) {
      LOG.warn("onUnload hook threw", e);
    }
  }

  private void maybeUnload(Slot slot) {
    ServerDocument unloaded;
    synchronized (docs) {
      if (slot.evicted
          || slot.refs > 0
          || !slot.ready.isDone()
          || slot.ready.isCompletedExceptionally()) {
        return;
      }
      ServerDocument d = slot.ready.join();
      if (!d.idle()) {
        return; // the last leave or write completion calls again
      }
      slot.evicted = true;
      docs.remove(slot.name, slot);
      unloaded = d;
    }
    LOG.debug("unloaded document '{}'", unloaded.name());
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
