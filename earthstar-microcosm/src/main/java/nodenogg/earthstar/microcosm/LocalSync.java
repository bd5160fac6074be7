package nodenogg.earthstar.microcosm;

import nodenogg.earthstar.EsDocument;
import nodenogg.earthstar.InvalidDocumentException;
import nodenogg.earthstar.Query;
import nodenogg.earthstar.Replica;

/** Copies documents and attachments between two replicas of one share in the same process. */
public final class LocalSync {
  private LocalSync() {}

  /**
   * Everything {@code from} has that {@code to} lacks or holds older; waits until it is committed.
   */
  public static void copy(Replica from, Replica to) {
    for (EsDocument d : from.query(Query.all())) {
      to.ingest(d, LocalSync.class).committed().join();
      if (d.hasAttachment() && !to.hasAttachment(d)) {
        from.attachment(d)
            .ifPresent(
                bytes -> {
                  try {
                    to.ingestAttachment(d, bytes, LocalSync.class).join();
                  } catch (InvalidDocumentException e) {
                    throw new IllegalStateException(e);
                  }
                });
      }
    }
  }
}
