package nodenogg.earthstar;

import java.util.concurrent.CompletableFuture;

/** A running sync started by {@link EarthstarPeer#sync}. Thread-safe. */
public interface SyncHandle {

  /**
   * Completes when a {@code once} sync has finished: both sides have everything the other had, and
   * every document and attachment received is committed. Fails when the connection ends first. A
   * {@code continuous} sync completes it only exceptionally (when the connection ends).
   */
  CompletableFuture<Void> done();

  /** Our syncer id in this sync. */
  String syncerId();

  /**
   * Milliseconds since this sync last made progress: a message other than a heartbeat from the
   * other side, or a finished attachment transfer or store commit; 0 while an attachment transfer
   * is under way (each transfer has its own silence limit). Heartbeats alone are not progress: a
   * caller waiting for a {@code once} sync can give up on a peer that stays connected but sends
   * nothing else.
   */
  default long millisWithoutProgress() {
    return 0;
  }

  /** Ends the sync (closes the connection). */
  void cancel();
}
