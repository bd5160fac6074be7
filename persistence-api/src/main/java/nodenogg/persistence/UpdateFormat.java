package nodenogg.persistence;

import java.util.List;

/**
 * What a store needs to know about the bytes it keeps — the only format-specific part of storage. A
 * store treats updates as opaque bytes except for three things it asks its format:
 *
 * <ol>
 *   <li><b>Is this an update?</b> {@link #check} accepts exactly the bytes the format's document
 *       engine would apply, so a store never refuses what a document accepted (nor keeps what it
 *       refused);
 *   <li><b>What does the log hold?</b> {@link #check} also returns the update's {@link Coverage},
 *       which the store adds up per document and persists with the log, so that {@link
 *       UpdateStore#version} needs no engine and no read of the log;
 *   <li><b>How do updates merge?</b> {@link #merge} turns a log into one update (compaction,
 *       snapshots).
 * </ol>
 *
 * Formats: {@code nodenogg.persistence.yjs.YjsFormat} (Yjs v1 updates, on the pure-Java engine) and
 * {@link #opaque()} (any bytes, no merging: for documents the store cannot interpret).
 *
 * <h2>Adding a format</h2>
 *
 * E.g. Automerge: {@code check} loads the change bytes with the Automerge library (refusing what it
 * refuses) and returns a coverage holding the change's hash and dependencies; {@code Coverage.add}
 * keeps the set of heads ({@code heads ∪ {hash} − deps}) and {@code version()} encodes the sorted
 * heads; {@code merge} loads every change into one document and returns its {@code save()} bytes,
 * flagging changes whose dependencies are missing (Automerge queues them) as {@code keep}. Give it
 * a {@link #name()} that never changes. Then any backend stores it: {@code new
 * InMemoryUpdateStore(format)}, {@code SqliteUpdateStore.open(file, options.withFormat(format))} or
 * {@code sqliteStore.withFormat(format)} for a second format in the same file. Prove it with the
 * {@code UpdateStoreContract} tests and a differential against the engine, as {@code
 * YjsFormatDifferentialTest} does for Yjs.
 *
 * <p>Thread-safety: a format is stateless and safe for use by many threads; a {@link Coverage} is
 * not (a store guards each document's coverage itself).
 */
public interface UpdateFormat {

  /**
   * A stable name, stored with every document written in this format (e.g. {@code
   * "yjs-update-v1"}). Never change it once data exists: a store refuses to open a document under
   * another format.
   */
  String name();

  /**
   * Checks that {@code update} is one update the format's document engine accepts — the very same
   * set of byte strings, no more and no fewer — and returns what it covers. Must not keep a
   * reference to the array.
   *
   * @throws InvalidUpdateException (with the engine's reason) if the engine would refuse it
   */
  Coverage check(byte[] update);

  /** The coverage of an empty document. */
  Coverage emptyCoverage();

  /**
   * Reads a coverage persisted with {@link Coverage#encode()}.
   *
   * @throws IllegalArgumentException if the bytes are unreadable (the store then rebuilds the
   *     coverage by checking the document's log again)
   */
  Coverage decodeCoverage(byte[] encoded);

  /**
   * True when {@link #merge} is supported; stores compact and answer {@code loadState} only then.
   */
  default boolean canMerge() {
    return true;
  }

  /**
   * Merges a document's log into one update carrying the same content (compaction, {@code
   * loadState}). The store calls it off its writer thread and may call it for several documents at
   * once.
   *
   * @throws RuntimeException if an update of the log cannot be decoded (the store reports the
   *     document as damaged and leaves its log as it was)
   * @throws UnsupportedOperationException if {@link #canMerge()} is false
   */
  Merged merge(List<byte[]> log);

  /**
   * What a document's stored updates contain, added up update by update. Mutable, not thread-safe.
   * Coverages of one format can be added to each other; mixing formats is an error.
   */
  interface Coverage {

    /** Adds everything {@code other} (a coverage of the same format) holds. */
    void add(Coverage other);

    /** The persisted form, read back by {@link UpdateFormat#decodeCoverage}. */
    byte[] encode();

    /**
     * The format's version of the covered log ({@link UpdateStore#version}), e.g. a Yjs state
     * vector.
     */
    byte[] version();
  }

  /**
   * The result of {@link #merge}.
   *
   * @param update the merged update: everything of the log the engine could integrate
   * @param keep per input update, true if it holds data the merged update may lack (data that
   *     cannot be integrated yet because what it depends on was never stored — "pending");
   *     compaction keeps those rows as they are, so pending data survives compaction
   */
  record Merged(byte[] update, boolean[] keep) {

    public Merged {
      java.util.Objects.requireNonNull(update, "update");
      java.util.Objects.requireNonNull(keep, "keep");
    }
  }

  /**
   * A format for bytes the store does not interpret: every non-null byte array is accepted, the
   * version is always empty and logs are never merged (no compaction). For documents whose engine
   * offers no checker, and for tests with toy documents.
   */
  static UpdateFormat opaque() {
    return OpaqueFormat.INSTANCE;
  }
}
