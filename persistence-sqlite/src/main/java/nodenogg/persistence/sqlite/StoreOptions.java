package nodenogg.persistence.sqlite;

import java.time.Duration;
import java.util.Objects;
import nodenogg.persistence.UpdateFormat;
import nodenogg.persistence.yjs.YjsFormat;

/**
 * Knobs of a {@link SqliteUpdateStore}. Immutable; start from {@link #defaults()} and change values
 * with the {@code with...} methods, e.g. {@code
 * StoreOptions.defaults().withDurability(Durability.NORMAL).withCompactionCount(1000)}.
 */
public final class StoreOptions {

  private final Durability durability;
  private final int compactionCount;
  private final long compactionBytes;
  private final int maxBatch;
  private final int maxQueued;
  private final Duration busyTimeout;
  private final Duration commitWindow;
  private final UpdateFormat format;

  private StoreOptions(
      Durability durability,
      int compactionCount,
      long compactionBytes,
      int maxBatch,
      int maxQueued,
      Duration busyTimeout,
      Duration commitWindow,
      UpdateFormat format) {
    this.durability = Objects.requireNonNull(durability, "durability");
    this.format = Objects.requireNonNull(format, "format");
    if (compactionCount < 2) {
      throw new IllegalArgumentException(
          "compactionCount must be >= 2 (or Integer.MAX_VALUE to disable), was " + compactionCount);
    }
    if (compactionBytes < 1) {
      throw new IllegalArgumentException(
          "compactionBytes must be >= 1 (or Long.MAX_VALUE to disable), was " + compactionBytes);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
    }
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued must be >= 1, was " + maxQueued);
    }
    if (busyTimeout.isNegative()) {
      throw new IllegalArgumentException("busyTimeout must not be negative");
    }
    this.compactionCount = compactionCount;
    this.compactionBytes = compactionBytes;
    this.maxBatch = maxBatch;
    this.maxQueued = maxQueued;
    this.busyTimeout = busyTimeout;
    if (commitWindow == null
        || commitWindow.isNegative()
        || commitWindow.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException(
          "commitWindow must be between 0 and 10 s, was " + commitWindow);
    }
    this.commitWindow = commitWindow;
  }

  /**
   * FULL durability, compaction after 500 rows (as y-indexeddb) or 4 MiB of log, group commits of
   * up to 1024 appends, at most 65,536 queued appends before {@code append} blocks, 5 s busy
   * timeout, no group-commit window, Yjs updates ({@link YjsFormat}).
   */
  public static StoreOptions defaults() {
    return new StoreOptions(
        Durability.FULL,
        500,
        4L << 20,
        1024,
        65_536,
        Duration.ofSeconds(5),
        Duration.ZERO,
        YjsFormat.INSTANCE);
  }

  public Durability durability() {
    return durability;
  }

  /** A document's log is compacted once it holds more than this many rows. */
  public int compactionCount() {
    return compactionCount;
  }

  /** A document's log is compacted once its rows total more than this many bytes. */
  public long compactionBytes() {
    return compactionBytes;
  }

  /** Most appends committed in one transaction (group commit). */
  public int maxBatch() {
    return maxBatch;
  }

  /** Most appends waiting for the writer; beyond this {@code append} blocks (back-pressure). */
  public int maxQueued() {
    return maxQueued;
  }

  /** How long to wait for a lock held by another process (e.g. the CLI) before failing. */
  public Duration busyTimeout() {
    return busyTimeout;
  }

  public StoreOptions withDurability(Durability d) {
    return new StoreOptions(
        d,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        busyTimeout,
        commitWindow,
        format);
  }

  public StoreOptions withCompactionCount(int n) {
    return new StoreOptions(
        durability, n, compactionBytes, maxBatch, maxQueued, busyTimeout, commitWindow, format);
  }

  public StoreOptions withCompactionBytes(long n) {
    return new StoreOptions(
        durability, compactionCount, n, maxBatch, maxQueued, busyTimeout, commitWindow, format);
  }

  /** Turns automatic compaction off ({@link SqliteUpdateStore#compact} still works). */
  public StoreOptions withoutAutoCompaction() {
    return new StoreOptions(
        durability,
        Integer.MAX_VALUE,
        Long.MAX_VALUE,
        maxBatch,
        maxQueued,
        busyTimeout,
        commitWindow,
        format);
  }

  public StoreOptions withMaxBatch(int n) {
    return new StoreOptions(
        durability,
        compactionCount,
        compactionBytes,
        n,
        maxQueued,
        busyTimeout,
        commitWindow,
        format);
  }

  public StoreOptions withMaxQueued(int n) {
    return new StoreOptions(
        durability,
        compactionCount,
        compactionBytes,
        maxBatch,
        n,
        busyTimeout,
        commitWindow,
        format);
  }

  public StoreOptions withBusyTimeout(Duration t) {
    return new StoreOptions(
        durability,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        Objects.requireNonNull(t),
        commitWindow,
        format);
  }

  /**
   * Group-commit window: once the first append of a batch is waiting, the writer waits up to this
   * long for more appends (or until {@link #maxBatch()} are queued) and commits them together. Zero
   * (the default) commits whatever is queued at once. A small window (a millisecond or two) trades
   * that much acknowledgement latency for far fewer commits, and so fsyncs and CPU, under a steady
   * stream of small updates; nothing is acknowledged before its commit either way.
   */
  public Duration commitWindow() {
    return commitWindow;
  }

  public StoreOptions withCommitWindow(Duration window) {
    return new StoreOptions(
        durability,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        busyTimeout,
        window,
        format);
  }

  /**
   * The format of the updates the opened store holds (default {@link YjsFormat}). Other formats can
   * share the same file through {@code SqliteUpdateStore.withFormat}.
   */
  public UpdateFormat format() {
    return format;
  }

  public StoreOptions withFormat(UpdateFormat f) {
    return new StoreOptions(
        durability,
        compactionCount,
        compactionBytes,
        maxBatch,
        maxQueued,
        busyTimeout,
        commitWindow,
        Objects.requireNonNull(f, "format"));
  }

  @Override
  public String toString() {
    return "StoreOptions{durability="
        + durability
        + ", compactionCount="
        + compactionCount
        + ", compactionBytes="
        + compactionBytes
        + ", maxBatch="
        + maxBatch
        + ", maxQueued="
        + maxQueued
        + ", commitWindow="
        + commitWindow
        + ", busyTimeout="
        + busyTimeout
        + ", format="
        + format.name()
        + "}";
  }
}
