package nodenogg.persistence.sqlite.internal;

import java.util.List;
import java.util.Map;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;

/** Where the default {@link UpdateMerger} comes from. */
public final class Mergers {
  private Mergers() {}

  /** Marks the merge transaction (for clarity in stack traces and debuggers). */
  private static final Object MERGE_ORIGIN = new Object() {
    @Override
    public String toString() {
      return "persistence-sqlite merge";
    }
  };

  /**
   * Merges with the crdt engine: applies every update to a fresh Doc in one transaction and encodes
   * the result with {@code encodeStateAsUpdate}. The Doc keeps deleted content ({@code gc=false}) so
   * compaction never drops history a {@code gc=false} document might still need.
   *
   * <p>Pending data: an input update with any struct or deletion beyond the merged Doc's state vector
   * (not integrable yet) is flagged to be kept as its own row. Yjs's {@code encodeStateAsUpdate}
   * carries pending structs itself; flagging them as well makes compaction lossless whatever the
   * engine's encoder does with pending data, and costs nothing when there is none.
   */
  public static UpdateMerger engine() {
    return updates -> {
      Doc doc = new Doc(new Doc.Options().gc(false));
      doc.transact(tr -> {
        for (byte[] u : updates) {
          Updates.applyUpdate(doc, u, MERGE_ORIGIN);
        }
      }, MERGE_ORIGIN);
      byte[] merged = Updates.encodeStateAsUpdate(doc);
      boolean[] keep = new boolean[updates.size()];
      if (doc.hasPending()) {
        Map<Long, Long> sv = Updates.decodeStateVector(Updates.encodeStateVector(doc));
        for (int i = 0; i < keep.length; i++) {
          keep[i] = !integrated(updates.get(i), sv);
        }
      }
      return new UpdateMerger.Merged(merged, keep);
    };
  }

  /** True if every struct and deletion of {@code update} lies below {@code sv}. */
  static boolean integrated(byte[] update, Map<Long, Long> sv) {
    boolean[] beyond = {false};
    UpdateScanner.scan(update, new UpdateScanner.RangeSink() {
      @Override
      public void range(long client, long clock, long length) {
        check(client, clock, length);
      }

      @Override
      public void deleted(long client, long clock, long length) {
        check(client, clock, length);
      }

      private void check(long client, long clock, long length) {
        if (clock + length > sv.getOrDefault(client, 0L)) {
          beyond[0] = true;
        }
      }
    });
    return !beyond[0];
  }
}
