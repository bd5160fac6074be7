package nodenogg.sync.server.internal;

import java.util.concurrent.ExecutorService;
import nodenogg.sync.server.SyncServerHooks;
import nodenogg.sync.server.websocket.MemoryBudget;

/**
 * What the protocol handlers share: documents, hooks, the worker pool and the limits.
 *
 * @param preAuthMaxBytes bytes a connection may queue for documents not yet authenticated
 * @param preAuthMaxMessages messages a connection may queue before authentication
 * @param maxPendingDocuments documents a connection may have waiting for authentication
 * @param authDeadlineMillis a connection with no authenticated document after this long is closed
 * @param idleTimeoutMillis a connection that sends nothing for this long is closed
 * @param implicitAuth a Hocuspocus document whose first message is not Auth is authenticated with
 *     token "" at once (Hocuspocus 2.x servers without an auth hook accept providers that send no
 *     token)
 * @param preAuthBudget the server-wide share of the memory budget for messages queued before
 *     authentication (all connections together); a message that does not fit closes its connection
 *     (1013)
 * @param budget the server-wide memory budget, charged for messages waiting for their document's
 *     executor
 */
public record ServerContext(
    DocumentRegistry registry,
    SyncServerHooks hooks,
    ExecutorService pool,
    long preAuthMaxBytes,
    int preAuthMaxMessages,
    int maxPendingDocuments,
    long authDeadlineMillis,
    long idleTimeoutMillis,
    boolean implicitAuth,
    MemoryBudget preAuthBudget,
    MemoryBudget budget) {

  /** Without server-wide budgets (only the per-connection limits apply). */
  public ServerContext(
      DocumentRegistry registry,
      SyncServerHooks hooks,
      ExecutorService pool,
      long preAuthMaxBytes,
      int preAuthMaxMessages,
      int maxPendingDocuments,
      long authDeadlineMillis,
      long idleTimeoutMillis,
      boolean implicitAuth) {
    this(
        registry,
        hooks,
        pool,
        preAuthMaxBytes,
        preAuthMaxMessages,
        maxPendingDocuments,
        authDeadlineMillis,
        idleTimeoutMillis,
        implicitAuth,
        new MemoryBudget(Long.MAX_VALUE),
        new MemoryBudget(Long.MAX_VALUE));
  }
}
