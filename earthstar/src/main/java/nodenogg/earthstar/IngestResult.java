package nodenogg.earthstar;

import java.util.concurrent.CompletableFuture;

/**
 * What {@link Replica#ingest} did with a document. {@link #committed()} completes when the write is
 * durable (at once for outcomes that write nothing, and for the memory store).
 */
public record IngestResult(
    Outcome outcome,
    Rejection reason,
    String message,
    EsDocument doc,
    CompletableFuture<Void> committed) {

  public enum Outcome {
    /** Stored: newer than what this author had at this path. */
    ACCEPTED,
    /** Not stored: this author already has a newer (or winning) version at this path. */
    OBSOLETE,
    /** Not stored: exactly this version is already there. */
    ALREADY_HAD,
    /** Not stored: the document breaks a rule ({@link #reason()}). */
    INVALID
  }

  static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  public boolean accepted() {
    return outcome == Outcome.ACCEPTED;
  }

  static IngestResult invalid(InvalidDocumentException e, EsDocument doc) {
    return new IngestResult(Outcome.INVALID, e.reason(), e.getMessage(), doc, DONE);
  }
}
