package nodenogg.crdt;

import java.util.List;
import java.util.Map;

/**
 * The clock ranges a v1 update carries, read without a Doc by the very decoder {@link
 * Updates#applyUpdate} runs before it integrates anything. So {@link #readV1} accepts exactly the
 * bytes {@code applyUpdate} accepts (trailing bytes after the delete set included: Yjs ignores them
 * too) and throws the same typed error ({@link CrdtException}, usually {@link
 * nodenogg.crdt.encoding.DecodingException}) for the rest. Stores use it to check an update and
 * keep a document's state vector without building CRDT state.
 *
 * <p>What is reported is what {@code applyUpdate} would integrate: when a client's struct block
 * appears twice, only the last one counts (as in Yjs). Stateless and thread-safe.
 */
public final class UpdateRanges {
  private UpdateRanges() {}

  /** Receives the ranges of one update; called on the thread that runs {@link #readV1}. */
  public interface Visitor {
    /**
     * {@code length} clocks of {@code client} from {@code clock} on are carried as structs (items
     * or GC). Adjacent structs are reported as one range; Skip gaps (in merged updates) are not
     * reported.
     */
    void structs(long client, long clock, long length);

    /**
     * The update's delete set marks {@code length} clocks of {@code client} from {@code clock} on
     * as deleted.
     */
    default void deleted(long client, long clock, long length) {}
  }

  /**
   * Decodes {@code update} (v1) completely, then reports its struct ranges (clients in wire order)
   * and its delete-set ranges. Nothing is reported for an update that does not decode.
   *
   * @throws CrdtException exactly when {@link Updates#applyUpdate} rejects the same bytes
   */
  public static void readV1(byte[] update, Visitor visitor) {
    UpdateCodec.DecodedUpdate u = UpdateCodec.decodeV1(update);
    for (Map.Entry<Long, List<AbstractStruct>> e : u.clients.entrySet()) {
      long client = e.getKey();
      long from = -1;
      long to = -1;
      for (AbstractStruct s : e.getValue()) {
        long clock = s.id.clock;
        long end = clock + s.len();
        if (s instanceof Skip) {
          if (from >= 0) {
            visitor.structs(client, from, to - from);
          }
          from = -1;
        } else if (from >= 0 && clock == to) {
          to = end;
        } else {
          if (from >= 0) {
            visitor.structs(client, from, to - from);
          }
          from = clock;
          to = end;
        }
      }
      if (from >= 0) {
        visitor.structs(client, from, to - from);
      }
    }
    for (Map.Entry<Long, List<DeleteSet.DeleteItem>> e : u.ds.clients.entrySet()) {
      for (DeleteSet.DeleteItem d : e.getValue()) {
        visitor.deleted(e.getKey(), d.clock, d.len);
      }
    }
  }
}
