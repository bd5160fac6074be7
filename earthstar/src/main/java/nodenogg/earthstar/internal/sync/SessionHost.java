package nodenogg.earthstar.internal.sync;

import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import nodenogg.earthstar.Replica;
import nodenogg.earthstar.SyncLimits;
import nodenogg.earthstar.SyncStats;

/** What a sync session needs from the peer that runs it. */
public interface SessionHost {

  /** The shares this peer syncs. */
  Collection<String> shares();

  /** The replica of one of {@link #shares()}. */
  Replica replica(String share);

  Executor pool();

  ScheduledExecutorService timers();

  SyncStats stats();

  SyncLimits limits();

  /**
   * Called when a session has its syncer id and when it ends (server: for the attachment sockets).
   */
  default void sessionStarted(SyncSession session) {}

  default void sessionEnded(SyncSession session) {}
}
