package nodenogg.persistence.sqlite.internal;

import nodenogg.persistence.UpdateFormat;

/**
 * The writer thread's cached copy of one {@code documents} row. Batches change it in place; a
 * failed transaction marks the whole cache stale and it is reloaded from the database.
 */
final class DocState {
  final long id;
  final String name;

  /** The {@link UpdateFormat#name()} the document is stored in. */
  final String format;

  long lastSeq;
  long count;
  long bytes;

  /** The coverage as read from the row; decoded into {@link #coverage} on first use. */
  byte[] storedCoverage;

  /** What the log covers; null until needed (see {@link Writer#coverage}). */
  UpdateFormat.Coverage coverage;

  /** Set when compaction failed on damaged data; no automatic retry until the store is reopened. */
  boolean compactionFailed;

  /**
   * Rows and bytes left by the last compaction (rows it had to keep raise the next trigger point).
   */
  long baselineCount;

  long baselineBytes;

  DocState(long id, String name, String format) {
    this.id = id;
    this.name = name;
    this.format = format;
  }
}
