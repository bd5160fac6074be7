package nodenogg.persistence.sqlite.internal;

/**
 * The writer thread's cached copy of one {@code documents} row. Batches work on copies and install
 * them only after COMMIT, so a failed transaction leaves the cache as the database is.
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

  DocState copy() {
    DocState c = new DocState(id, name, coverage.copy());
    c.lastSeq = lastSeq;
    c.count = count;
    c.bytes = bytes;
    c.compactionFailed = compactionFailed;
    c.baselineCount = baselineCount;
    c.baselineBytes = baselineBytes;
    return c;
  }
}
