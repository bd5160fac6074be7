package nodenogg.persistence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import nodenogg.persistence.yjs.YjsFormat;

/**
 * An {@link UpdateStore} in memory: survives closing and reopening a document within one process,
 * not the process. For tests, throwaway servers and apps that need no disk. Appends are checked by
 * the format like in any store and "durable" at once (their futures are complete when {@code
 * append} returns). Logs grow until {@link #compact} is called (no automatic compaction).
 *
 * <p>Thread-safe: one lock guards everything; every call is short.
 */
public final class InMemoryUpdateStore implements UpdateStore {

  private static final class Log {
    final List<byte[]> rows = new ArrayList<>();
    final Map<String, String> metadata = new TreeMap<>();
    final UpdateFormat.Coverage coverage;
    long lastSeq;
    long bytes;

    Log(UpdateFormat.Coverage coverage) {
      this.coverage = coverage;
    }
  }

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final UpdateFormat format;
  private final Map<String, Log> docs = new TreeMap<>();
  private boolean closed;

  /** A store of Yjs updates ({@link YjsFormat}). */
  public InMemoryUpdateStore() {
    this(YjsFormat.INSTANCE);
  }

  /** A store of updates in {@code format}. */
  public InMemoryUpdateStore(UpdateFormat format) {
    this.format = Objects.requireNonNull(format, "format");
  }

  private static void checkName(String document) {
    if (document == null || document.isEmpty()) {
      throw new IllegalArgumentException("document name must be a non-empty string");
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new StoreException("the in-memory update store is closed");
    }
  }

  @Override
  public UpdateFormat format() {
    return format;
  }

  @Override
  public CompletableFuture<Long> append(String document, byte[] update) {
    checkName(document);
    Objects.requireNonNull(update, "update");
    UpdateFormat.Coverage covered;
    try {
      covered = format.check(update);
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
    byte[] copy = update.clone();
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new StoreException("the in-memory update store is closed"));
      }
      Log log = docs.computeIfAbsent(document, k -> new Log(format.emptyCoverage()));
      log.rows.add(copy);
      log.bytes += copy.length;
      log.coverage.add(covered);
      return CompletableFuture.completedFuture(++log.lastSeq);
    }
  }

  @Override
  public synchronized CompletableFuture<Void> flush() {
    return closed
        ? CompletableFuture.failedFuture(new StoreException("the in-memory update store is closed"))
        : DONE;
  }

  @Override
  public synchronized List<byte[]> load(String document) {
    checkName(document);
    requireOpen();
    Log log = docs.get(document);
    List<byte[]> out = new ArrayList<>();
    if (log != null) {
      for (byte[] u : log.rows) {
        out.add(u.clone());
      }
    }
    return out;
  }

  @Override
  public Optional<byte[]> loadState(String document) {
    if (!format.canMerge()) {
      throw new StoreException(
          "the "
              + format.name()
              + " format cannot merge updates, so there is no single state to load");
    }
    List<byte[]> rows;
    synchronized (this) {
      checkName(document);
      requireOpen();
      if (!docs.containsKey(document)) {
        return Optional.empty();
      }
      rows = load(document);
    }
    return Optional.of(merge(document, rows).update());
  }

  private UpdateFormat.Merged merge(String document, List<byte[]> rows) {
    try {
      return format.merge(rows);
    } catch (RuntimeException e) {
      throw new CorruptDocumentException(
          document, "a stored update cannot be merged: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized byte[] version(String document) {
    checkName(document);
    requireOpen();
    Log log = docs.get(document);
    return log == null ? format.emptyCoverage().version() : log.coverage.version();
  }

  @Override
  public synchronized Optional<DocumentInfo> info(String document) {
    checkName(document);
    requireOpen();
    Log log = docs.get(document);
    return log == null
        ? Optional.empty()
        : Optional.of(new DocumentInfo(document, log.rows.size(), log.bytes));
  }

  @Override
  public synchronized List<String> list() {
    requireOpen();
    return new ArrayList<>(docs.keySet());
  }

  /**
   * Merges on the calling thread; appends wait meanwhile only for the final swap, and those that
   * arrive during the merge are kept.
   */
  @Override
  public Optional<DocumentInfo> compact(String document) {
    List<byte[]> rows;
    synchronized (this) {
      checkName(document);
      requireOpen();
      Log log = docs.get(document);
      if (log == null) {
        return Optional.empty();
      }
      if (!format.canMerge() || log.rows.size() <= 1) {
        return info(document);
      }
      rows = new ArrayList<>(log.rows);
    }
    UpdateFormat.Merged merged = merge(document, rows);
    synchronized (this) {
      Log log = docs.get(document);
      if (log == null) {
        return Optional.empty();
      }
      // every compaction puts a new array first: same first and last rows means nobody compacted
      // meanwhile
      if (log.rows.size() < rows.size()
          || log.rows.get(0) != rows.get(0)
          || log.rows.get(rows.size() - 1) != rows.get(rows.size() - 1)) {
        return info(document); // compacted or deleted and recreated meanwhile: leave it
      }
      List<byte[]> next = new ArrayList<>();
      next.add(merged.update());
      for (int i = 0; i < rows.size(); i++) {
        if (merged.keep()[i]) {
          next.add(rows.get(i));
        }
      }
      next.addAll(log.rows.subList(rows.size(), log.rows.size()));
      log.rows.clear();
      log.rows.addAll(next);
      log.bytes = next.stream().mapToLong(b -> b.length).sum();
      return info(document);
    }
  }

  @Override
  public synchronized boolean delete(String document) {
    checkName(document);
    requireOpen();
    return docs.remove(document) != null;
  }

  @Override
  public synchronized Map<String, String> metadata(String document) {
    checkName(document);
    requireOpen();
    Log log = docs.get(document);
    return log == null ? Map.of() : new LinkedHashMap<>(log.metadata);
  }

  @Override
  public synchronized void putMetadata(String document, String key, String value) {
    checkName(document);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("metadata key must be a non-empty string");
    }
    requireOpen();
    Log log = docs.computeIfAbsent(document, k -> new Log(format.emptyCoverage()));
    if (value == null) {
      log.metadata.remove(key);
    } else {
      log.metadata.put(key, value);
    }
  }

  @Override
  public CheckReport check() {
    Map<String, List<byte[]>> snapshot = new LinkedHashMap<>();
    synchronized (this) {
      requireOpen();
      docs.forEach((name, log) -> snapshot.put(name, new ArrayList<>(log.rows)));
    }
    Map<String, String> damaged = new LinkedHashMap<>();
    snapshot.forEach(
        (name, rows) -> {
          for (int i = 0; i < rows.size(); i++) {
            try {
              format.check(rows.get(i));
            } catch (StoreException e) {
              damaged.put(name, "stored update #" + (i + 1) + " is malformed: " + e.getMessage());
              break;
            }
          }
        });
    return new CheckReport(List.of("ok"), snapshot.size(), damaged);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "InMemoryUpdateStore[" + format.name() + "]";
  }
}
