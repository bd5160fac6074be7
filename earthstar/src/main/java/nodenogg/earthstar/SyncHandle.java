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

  /** Ends the sync (closes the connection). */
  void cancel();
}
