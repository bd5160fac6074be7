package nodenogg.persistence.sqlite.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.DocumentInfo;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.sqlite.StoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compaction: the writer reads a document's log (cheap) and hands the rows to a merge thread, which
 * merges them with the document's {@link UpdateFormat}; the merged update comes back as a writer
 * task that, in one transaction, writes it at the first merged seq and deletes the other merged
 * rows. Appends that arrived meanwhile have larger seqs and are untouched; rows the format flags
 * {@code keep} (pending data) stay. One compaction per document at a time. Everything but {@link
 * #mergeAndSwap} runs on the writer thread.
 */
final class Compactor {

  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

  private final Writer writer;
  private final StoreOptions options;
  private final ExecutorService merges;

  /** Documents with a merge running (writer thread only). */
  private final Set<String> compacting = new HashSet<>();

  Compactor(Writer writer) {
    this.writer = writer;
    this.options = writer.options;
    this.merges =
        Executors.newSingleThreadExecutor(
            r -> Writer.daemon(r, "sqlite-store-compaction " + writer.file.getFileName()));
  }

  void shutdown() {
    merges.shutdownNow();
  }

  private static long satAdd(long a, long b) {
    long r = a + b;
    return r < a ? Long.MAX_VALUE : r;
  }

  /**
   * After a commit changed {@code s}: the one place that decides whether a log is compacted now —
   * past {@code compactionCount} rows or {@code compactionBytes} beyond what the last compaction
   * left, unless its format cannot merge, a merge is running or an earlier one failed on damaged
   * data.
   */
  void maybeCompact(DocState s) {
    UpdateFormat f = writer.format(s);
    if (f == null
        || !f.canMerge()
        || s.count <= 1
        || s.compactionFailed
        || compacting.contains(s.name)) {
      return;
    }
    if (s.count > satAdd(options.compactionCount(), s.baselineCount)
        || s.bytes > satAdd(options.compactionBytes(), s.baselineBytes)) {
      try {
        start(s.name, null);
      } catch (SQLException | RuntimeException e) {
        compacting.remove(s.name);
        writer.invalidateCache();
        LOG.warn(
            "could not start compaction of '{}' (will retry after a later append): {}",
            s.name,
            e.getMessage());
      }
    }
  }

  /**
   * Reads the log and hands it to the merge thread. {@code done} (may be null) gets the log's size
   * afterwards.
   */
  void start(String doc, CompletableFuture<Optional<DocumentInfo>> done) throws SQLException {
    DocState s = writer.state(doc);
    if (s == null) {
      complete(done, Optional.empty());
      return;
    }
    UpdateFormat format = writer.format(s);
    if (format == null) {
      fail(
          done,
          new StoreException(
              "cannot compact '"
                  + doc
                  + "': it is stored in format '"
                  + s.format
                  + "', which this store was not opened with"));
      return;
    }
    if (!format.canMerge()) {
      complete(done, Queries.info(writer.conn, doc));
      return;
    }
    if (compacting.contains(doc) && done != null) {
      // one compaction at a time per document: queue behind the running one
      CompletableFuture.runAsync(() -> {}, merges).whenComplete((v, e) -> retryLater(doc, done));
      return;
    }
    Queries.Log log;
    try {
      log = Queries.readLog(writer.conn, doc);
    } catch (CorruptDocumentException e) {
      s.compactionFailed = true;
      LOG.error("not compacting: {}", e.getMessage());
      fail(done, e);
      return;
    }
    if (log.rows.size() <= 1) {
      complete(done, Queries.info(writer.conn, doc));
      return;
    }
    compacting.add(doc);
    long docId = s.id;
    try {
      merges.execute(() -> mergeAndSwap(format, doc, docId, log, done));
    } catch (RuntimeException e) {
      compacting.remove(doc);
      fail(done, writer.closedError());
    }
  }

  private void retryLater(String doc, CompletableFuture<Optional<DocumentInfo>> done) {
    Writer.Op<Void> op =
        new Writer.Op<>(
            () -> {
              start(doc, done);
              return null;
            },
            false);
    op.future.whenComplete(
        (v, e) -> {
          if (e != null) {
            done.completeExceptionally(e);
          }
        });
    writer.enqueue(op, op.future);
  }

  private static <T> void complete(CompletableFuture<T> f, T value) {
    if (f != null) {
      f.complete(value);
    }
  }

  private static void fail(CompletableFuture<?> f, RuntimeException e) {
    if (f != null) {
      f.completeExceptionally(e);
    }
  }

  /** On the merge thread: merge, then queue the swap for the writer. */
  private void mergeAndSwap(
      UpdateFormat format,
      String doc,
      long docId,
      Queries.Log log,
      CompletableFuture<Optional<DocumentInfo>> done) {
    UpdateFormat.Merged merged;
    RuntimeException failure = null;
    try {
      merged = merge(format, doc, log.rows);
    } catch (RuntimeException e) {
      merged = null;
      failure = e;
    }
    UpdateFormat.Merged result = merged;
    RuntimeException error = failure;
    Writer.Op<Optional<DocumentInfo>> swap =
        new Writer.Op<>(
            () -> {
              compacting.remove(doc);
              if (error != null) {
                DocState s = writer.cached(doc);
                if (s != null) {
                  s.compactionFailed = true;
                }
                LOG.error("compaction of '{}' failed: {}", doc, error.getMessage());
                throw error;
              }
              return swapIn(doc, docId, log, result);
            },
            false);
    if (done != null) {
      swap.future.whenComplete(
          (v, e) -> {
            if (e != null) {
              done.completeExceptionally(e);
            } else {
              done.complete(v);
            }
          });
    }
    writer.enqueue(swap, swap.future);
  }

  /** On the writer: in one transaction, the merged row replaces the rows it covers. */
  private Optional<DocumentInfo> swapIn(
      String doc, long docId, Queries.Log log, UpdateFormat.Merged merged) throws SQLException {
    long mergedSeq = -1;
    List<Long> drop = new ArrayList<>();
    long keptRows = 1;
    long keptBytes = merged.update().length;
    for (int i = 0; i < log.seqs.size(); i++) {
      if (merged.keep()[i]) {
        keptRows++;
        keptBytes += log.rows.get(i).length;
      } else {
        drop.add(log.seqs.get(i));
        mergedSeq = mergedSeq < 0 ? log.seqs.get(i) : mergedSeq;
      }
    }
    if (drop.size() <= 1) {
      DocState s = writer.cached(doc);
      if (s != null) { // (nearly) everything is pending: nothing to gain until more arrives
        s.baselineCount = s.count;
        s.baselineBytes = s.bytes;
      }
      return Queries.info(writer.conn, doc);
    }
    // the merged row takes the place of the first row it replaces; rows holding pending data stay.
    // What the compacted log leaves behind (merged row plus kept rows) is the baseline of the next
    // compaction; rows appended while the merge ran count toward it.
    long seqOfMerged = mergedSeq;
    drop.remove(Long.valueOf(seqOfMerged));
    long baselineRows = keptRows;
    long baselineBytes = keptBytes;
    boolean[] applied = {false};
    long[] after = new long[2];
    writer.inTransaction(
        () -> {
          DocState s = writer.cached(doc);
          if (s == null || s.id != docId) {
            return null; // deleted (or recreated) meanwhile
          }
          if (Queries.countRowsUpTo(writer.conn, docId, log.maxSeq) != log.rows.size()) {
            return null; // someone else (another process) changed the log meanwhile; leave it
          }
          Queries.replaceUpdate(writer.conn, docId, seqOfMerged, merged.update());
          writer.hooks.at(StoreHooks.Point.COMPACTION_BETWEEN);
          Queries.deleteUpdates(writer.conn, docId, drop);
          long[] size = Queries.recountLog(writer.conn, docId, System.currentTimeMillis());
          after[0] = size[0];
          after[1] = size[1];
          applied[0] = true;
          return null;
        },
        () -> {
          DocState s = writer.cached(doc);
          if (applied[0] && s != null) {
            s.count = after[0];
            s.bytes = after[1];
            s.baselineCount = baselineRows;
            s.baselineBytes = baselineBytes;
            // appends that arrived while this compaction ran may already be past the threshold
            // again, and
            // no further append may come to notice it: check now
            maybeCompact(s);
          }
        });
    return Queries.info(writer.conn, doc);
  }

  /** Merges with the format; a failure to decode a stored update marks the document damaged. */
  static UpdateFormat.Merged merge(UpdateFormat format, String doc, List<byte[]> rows) {
    try {
      return format.merge(rows);
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CorruptDocumentException(
          doc, "a stored update cannot be decoded: " + e.getMessage(), e);
    }
  }
}
