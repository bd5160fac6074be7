package nodenogg.sync.server.automerge;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import nodenogg.automerge.AutomergeDocument;
import nodenogg.persistence.RetryingAppender;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateStore;
import nodenogg.sync.server.internal.SerialExecutor;
import org.automerge.SyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One automerge-repo document the server holds: the Automerge document (loaded from the store on
 * first use), the sync state and status of every peer that has it open, and the appender that makes
 * every change durable. All fields are touched only on this document's serial executor.
 */
final class ServedDocument {
  private static final Logger LOG = LoggerFactory.getLogger(ServedDocument.class);
  static final Object STORED = "automerge-repo-stored";

  /** What the server knows of one peer of this document. */
  static final class PeerState {
    final Session session;
    final SyncState sync = new SyncState();

    /** Changes this peer sent that are not durable yet: no sync message goes to it meanwhile. */
    int pendingAppends;

    /** A sync message is owed to this peer once its appends are durable. */
    boolean owed;

    /** The heads the peer last said it holds (hex), for remote-heads-changed. */
    List<String> lastHeads = List.of();

    PeerState(Session session) {
      this.session = session;
    }
  }

  final String id;
  final SerialExecutor executor;
  final Map<Session, PeerState> peers = new HashMap<>();

  /** Newest ephemeral count per sender and session ({@code sender:session}), to drop repeats. */
  final Map<String, Long> ephemeralCounts = new HashMap<>();

  private final UpdateStore store;
  private AutomergeDocument doc;
  private RetryingAppender appender;
  private CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null);
  private int appendsSinceCompaction;
  boolean unloadScheduled;

  ServedDocument(String id, UpdateStore store, Executor pool) {
    this.id = id;
    this.store = store;
    this.executor = new SerialExecutor(pool);
  }

  /**
   * The document, loaded from the store the first time.
   *
   * @throws StoreException if the store cannot be read or holds damaged data for it
   */
  AutomergeDocument doc() {
    if (doc == null) {
      AutomergeDocument d = AutomergeDocument.create();
      try {
        List<byte[]> rows = store.load(id);
        for (byte[] row : rows) {
          d.applyChanges(row, STORED);
        }
        appendsSinceCompaction = rows.size();
      } catch (RuntimeException e) {
        d.close();
        throw e instanceof StoreException se
            ? se
            : new StoreException(
                "document " + id + " could not be loaded from the store: " + e.getMessage(), e);
      }
      doc = d;
      appender =
          new RetryingAppender(
              store,
              id,
              err -> {
                if (err != null) {
                  LOG.error(
                      "automerge-repo document {}: a change could not be stored (kept for a retry): {}",
                      id,
                      err.getMessage());
                }
              });
    }
    return doc;
  }

  boolean loaded() {
    return doc != null;
  }

  /** Whether the server holds any content of the document. */
  boolean hasContent() {
    return doc().heads().length > 0;
  }

  /** Appends {@code bytes} (a change the document accepted); completes when durable. */
  CompletableFuture<Long> append(byte[] bytes) {
    CompletableFuture<Long> f = appender.append(bytes);
    lastWrite = f;
    appendsSinceCompaction++;
    return f;
  }

  /** True (once) when the log has grown enough to be compacted in the background. */
  boolean compactionDue(int every) {
    if (every > 0 && appendsSinceCompaction >= every) {
      appendsSinceCompaction = 0;
      return true;
    }
    return false;
  }

  CompletableFuture<?> lastWrite() {
    return lastWrite;
  }

  Optional<byte[]> syncMessageFor(PeerState p) {
    return doc().generateSyncMessage(p.sync);
  }

  /** Frees the document (after its writes); the next use loads it again. */
  void unload() {
    if (appender != null) {
      appender.close();
      appender = null;
    }
    if (doc != null) {
      doc.close();
      doc = null;
    }
    for (PeerState p : peers.values()) {
      p.sync.free();
    }
    peers.clear();
  }
}
