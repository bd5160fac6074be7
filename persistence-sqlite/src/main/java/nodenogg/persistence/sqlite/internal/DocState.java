package nodenogg.persistence.sqlite.internal;

/**
 * The writer thread's cached copy of one {@code documents} row. Batches change it in place; a failed
 * transaction marks the whole cache stale and it is reloaded from the database.
 */
final class DocState {
  final long id;
  final String name;
  long lastSeq;
  long count;
  long bytes;
  ClockCoverage coverage;
  /** Set when compaction failed on damaged data; no automatic retry until the store is reopened. */
  boolean compactionFailed;
  /** Rows and bytes left by the last compaction (rows it had to keep raise the next trigger point). */
  long baselineCount;
  long baselineBytes;

  DocState(long id, String name, ClockCoverage coverage) {
    this.id = id;
    this.name = name;
    this.coverage = coverage;
  }
}
