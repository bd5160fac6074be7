package nodenogg.earthstar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import nodenogg.earthstar.internal.DocStore;
import nodenogg.earthstar.internal.MemoryDocStore;
import nodenogg.earthstar.internal.SqliteDocStore;

/**
 * Where replicas live: in memory (tests, {@code --memory}) or in the embedded SQLite store {@code
 * earthstar.db} under a data directory (crash-safe: a write is acknowledged after COMMIT). One
 * {@link Replica} per share, created on first use. Thread-safe; close it to release the file.
 */
public final class EarthstarStorage implements AutoCloseable {
  private final DocStore store;
  private final LongSupplier clock;
  private final Map<String, Replica> replicas = new LinkedHashMap<>();

  private EarthstarStorage(DocStore store, LongSupplier clockMicros) {
    this.store = store;
    this.clock = clockMicros;
  }

  public static EarthstarStorage inMemory() {
    return new EarthstarStorage(new MemoryDocStore(), Es5::nowMicros);
  }

  /** Opens (creating if needed) {@code dataDir/earthstar.db}. */
  public static EarthstarStorage open(Path dataDir) {
    return new EarthstarStorage(SqliteDocStore.openDirectory(dataDir), Es5::nowMicros);
  }

  /**
   * As {@link #inMemory()} with a clock in microseconds (tests of expiry and future timestamps).
   */
  public static EarthstarStorage inMemory(LongSupplier clockMicros) {
    return new EarthstarStorage(new MemoryDocStore(), clockMicros);
  }

  /** The replica of {@code shareAddress}, loading it from the store on first use. */
  public synchronized Replica replica(String shareAddress) {
    return replicas.computeIfAbsent(shareAddress, s -> new Replica(s, store, clock));
  }

  /** Shares with stored documents, and every share opened so far. */
  public synchronized List<String> shares() {
    List<String> out = new ArrayList<>(store.shares());
    for (String s : replicas.keySet()) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  public synchronized Collection<Replica> openReplicas() {
    return List.copyOf(replicas.values());
  }

  public boolean durable() {
    return store.durable();
  }

  /** Completes once every write submitted so far is durable. */
  public java.util.concurrent.CompletableFuture<Void> flush() {
    return store.submit(List.of());
  }

  @Override
  public void close() {
    store.close();
  }
}
