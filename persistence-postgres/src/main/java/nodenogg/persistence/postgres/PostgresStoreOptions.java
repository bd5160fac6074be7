package nodenogg.persistence.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.yjs.YjsFormat;

/**
 * Knobs of a {@link PostgresUpdateStore}. Immutable; start from {@link #defaults()} and change
 * values with the {@code with...} methods, e.g. {@code
 * PostgresStoreOptions.defaults().withCommitWindow(Duration.ofMillis(2))}.
 */
public final class PostgresStoreOptions {

  private final UpdateFormat format;
  private final int compactionCount;
  private final long compactionBytes;
  private final int maxBatch;
  private final int maxQueued;
  private final Duration commitWindow;
  private final Duration outageTimeout;
  private final int readConnections;
  private final Properties connectionProperties;
  private final String instanceId;
  private final CompactionLock compactionLock;

  private PostgresStoreOptions(
      UpdateFormat format,
      int compactionCount,
      long compactionBytes,
      int maxBatch,
      int maxQueued,
      Duration commitWindow,
      Duration outageTimeout,
      int readConnections,
      Properties connectionProperties,
      String instanceId,
      CompactionLock compactionLock) {
    this.format = Objects.requireNonNull(format, "format");
    if (compactionCount < 2) {
      throw new IllegalArgumentException(
          "compactionCount must be >= 2 (or Integer.MAX_VALUE to disable), was " + compactionCount);
    }
    if (compactionBytes < 1) {
      throw new IllegalArgumentException(
          "compactionBytes must be >= 1 (or Long.MAX_VALUE to disable), was " + compactionBytes);
    }
    if (maxBatch < 1 || maxQueued < 1) {
      throw new IllegalArgumentException(
          "maxBatch and maxQueued must be >= 1, were " + maxBatch + " and " + maxQueued);
    }
    if (commitWindow.isNegative() || outageTimeout.isNegative()) {
      throw new IllegalArgumentException("commitWindow and outageTimeout must not be negative");
    }
    if (readConnections < 1) {
      throw new IllegalArgumentException("readConnections must be >= 1, was " + readConnections);
    }
    this.compactionCount = compactionCount;
    this.compactionBytes = compactionBytes;
    this.maxBatch = maxBatch;
    this.maxQueued = maxQueued;
    this.commitWindow = commitWindow;
    this.outageTimeout = outageTimeout;
    this.readConnections = readConnections;
    this.connectionProperties = connectionProperties;
    this.instanceId = instanceId;
    this.compactionLock = Objects.requireNonNull(compactionLock, "compactionLock");
  }

  /**
   * Yjs updates; compaction past 500 rows or 4 MiB; batches of up to 1024 appends, 65,536 queued;
   * no commit window; appends wait up to 60 s for an unreachable database; 2 read connections; no
   * extra compaction lock.
   */
  public static PostgresStoreOptions defaults() {
    return new PostgresStoreOptions(
        YjsFormat.INSTANCE,
        500,
        4L << 20,
        1024,
        65_536,
        Duration.ZERO,
        Duration.ofSeconds(60),
        2,
        new Properties(),
        null,
        CompactionLock.NONE);
  }

  private PostgresStoreOptions with(
      UpdateFormat f,
      int cc,
      long cb,
      int mb,
      int mq,
      Duration cw,
      Duration ot,
      int rc,
      Properties p,
      String id,
      CompactionLock lock) {
    return new PostgresStoreOptions(f, cc, cb, mb, mq, cw, ot, rc, p, id, lock);
  }

  /** The format of the store's documents (default {@link YjsFormat}). */
  public PostgresStoreOptions withFormat(UpdateFormat f) {
    return with(
        f,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        commitWindow,
        outageTimeout,
        readConnections,
        connectionProperties,
        instanceId,
        compactionLock);
  }

  /** Compacts a document once its log grew this many rows past what the last compaction left. */
  public PostgresStoreOptions withCompactionCount(int n) {
    return with(
        format,
        n,
        compactionBytes,
        maxBatch,
        maxQueued,
        commitWindow,
        outageTimeout,
        readConnections,
        connectionProperties,
        instanceId,
        compactionLock);
  }

  /** Compacts a document once its log grew this many bytes past what the last compaction left. */
  public PostgresStoreOptions withCompactionBytes(long n) {
    return with(
        format,
        compactionCount,
        n,
        maxBatch,
        maxQueued,
        commitWindow,
        outageTimeout,
        readConnections,
        connectionProperties,
        instanceId,
        compactionLock);
  }

  /** No automatic compaction ({@link PostgresUpdateStore#compact} still works). */
  public PostgresStoreOptions withoutAutoCompaction() {
    return with(
        format,
        Integer.MAX_VALUE,
        Long.MAX_VALUE,
        maxBatch,
        maxQueued,
        commitWindow,
        outageTimeout,
        readConnections,
        connectionProperties,
        instanceId,
        compactionLock);
  }

  /** Most appends committed in one transaction. */
  public PostgresStoreOptions withMaxBatch(int n) {
    return with(
        format,
        compactionCount,
        compactionBytes,
        n,
        maxQueued,
        commitWindow,
        outageTimeout,
        readConnections,
        connectionProperties,
        instanceId,
        compactionLock);
  }

  /** Most appends waiting for the writer; {@code append} blocks beyond (back-pressure). */
  public PostgresStoreOptions withMaxQueued(int n) {
    return with(
        format,
        compactionCount,
        compactionBytes,
        maxBatch,
        n,
        commitWindow,
        outageTimeout,
        readConnections,
        connectionProperties,
        instanceId,
        compactionLock);
  }

  /**
   * How long the writer waits for more appends before committing a batch (default 0: commit
   * whatever arrived while the previous commit ran). A few milliseconds share one commit between
   * more appends.
   */
  public PostgresStoreOptions withCommitWindow(Duration d) {
    return with(
        format,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        Objects.requireNonNull(d),
        outageTimeout,
        readConnections,
        connectionProperties,
        instanceId,
        compactionLock);
  }

  /**
   * How long appends wait, unacknowledged, while the database cannot be reached (the writer
   * reconnects and retries the same batch meanwhile) before they fail with a {@code
   * StoreException}; default 60 s.
   */
  public PostgresStoreOptions withOutageTimeout(Duration d) {
    return with(
        format,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        commitWindow,
        Objects.requireNonNull(d),
        readConnections,
        connectionProperties,
        instanceId,
        compactionLock);
  }

  /** Connections kept for reads ({@code load}, {@code list}, ...), besides the writer's one. */
  public PostgresStoreOptions withReadConnections(int n) {
    return with(
        format,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        commitWindow,
        outageTimeout,
        n,
        connectionProperties,
        instanceId,
        compactionLock);
  }

  /**
   * Extra JDBC properties (e.g. {@code user}, {@code password}, {@code sslmode}); the URL may carry
   * them too.
   */
  public PostgresStoreOptions withConnectionProperties(Properties p) {
    Properties copy = new Properties();
    copy.putAll(p);
    return with(
        format,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        commitWindow,
        outageTimeout,
        readConnections,
        copy,
        instanceId,
        compactionLock);
  }

  /**
   * Name of this instance, recorded with each update it writes and as the connections' application
   * name.
   */
  public PostgresStoreOptions withInstanceId(String id) {
    return with(
        format,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        commitWindow,
        outageTimeout,
        readConnections,
        connectionProperties,
        id,
        compactionLock);
  }

  /** A lock shared with other instances, taken (besides the advisory lock) for each compaction. */
  public PostgresStoreOptions withCompactionLock(CompactionLock lock) {
    return with(
        format,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        commitWindow,
        outageTimeout,
        readConnections,
        connectionProperties,
        instanceId,
        lock);
  }

  public UpdateFormat format() {
    return format;
  }

  public int compactionCount() {
    return compactionCount;
  }

  public long compactionBytes() {
    return compactionBytes;
  }

  public int maxBatch() {
    return maxBatch;
  }

  public int maxQueued() {
    return maxQueued;
  }

  public Duration commitWindow() {
    return commitWindow;
  }

  public Duration outageTimeout() {
    return outageTimeout;
  }

  public int readConnections() {
    return readConnections;
  }

  public Properties connectionProperties() {
    Properties copy = new Properties();
    copy.putAll(connectionProperties);
    return copy;
  }

  /** The instance name, or null. */
  public String instanceId() {
    return instanceId;
  }

  public CompactionLock compactionLock() {
    return compactionLock;
  }
}
