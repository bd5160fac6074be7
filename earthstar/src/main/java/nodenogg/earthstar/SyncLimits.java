package nodenogg.earthstar;

/**
 * Bounds on what one sync connection, and all of them together, may make a peer hold.
 *
 * @param maxFrameBytes largest JSON message accepted (larger: the connection closes)
 * @param maxReconcileItemsPerConnection documents the other side may name that we do not have, per
 *     share
 * @param maxReconcileItemsTotal the same, summed over every connection of the process
 * @param maxWantsPerConnection documents one connection may have asked for and not yet received
 * @param maxAttachmentBytes largest attachment accepted
 * @param maxTransfersPerConnection attachment transfers at once per sync
 * @param maxTransferBytesTotal attachment bytes being received at once, over every connection
 * @param silenceTimeoutMillis a connection that sends nothing (not even a heartbeat) this long is
 *     closed
 * @param onceSyncDeadlineMillis a {@code once} sync that has not finished after this long is closed
 */
public record SyncLimits(
    int maxFrameBytes,
    int maxReconcileItemsPerConnection,
    long maxReconcileItemsTotal,
    int maxWantsPerConnection,
    long maxAttachmentBytes,
    int maxTransfersPerConnection,
    long maxTransferBytesTotal,
    long silenceTimeoutMillis,
    long onceSyncDeadlineMillis) {

  public static SyncLimits defaults() {
    return new SyncLimits(
        1 << 20, 200_000, 2_000_000, 200_000, 64L << 20, 8, 256L << 20, 10_000, 30 * 60_000L);
  }

  public SyncLimits withSilenceTimeoutMillis(long millis) {
    return new SyncLimits(
        maxFrameBytes,
        maxReconcileItemsPerConnection,
        maxReconcileItemsTotal,
        maxWantsPerConnection,
        maxAttachmentBytes,
        maxTransfersPerConnection,
        maxTransferBytesTotal,
        millis,
        onceSyncDeadlineMillis);
  }

  public SyncLimits withReconcileItems(int perConnection, long total) {
    return new SyncLimits(
        maxFrameBytes,
        perConnection,
        total,
        maxWantsPerConnection,
        maxAttachmentBytes,
        maxTransfersPerConnection,
        maxTransferBytesTotal,
        silenceTimeoutMillis,
        onceSyncDeadlineMillis);
  }

  public SyncLimits withOnceSyncDeadlineMillis(long millis) {
    return new SyncLimits(
        maxFrameBytes,
        maxReconcileItemsPerConnection,
        maxReconcileItemsTotal,
        maxWantsPerConnection,
        maxAttachmentBytes,
        maxTransfersPerConnection,
        maxTransferBytesTotal,
        silenceTimeoutMillis,
        millis);
  }
}
