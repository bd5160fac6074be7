package nodenogg.crdt;

import java.util.List;
import java.util.Map;

/**
 * Whether an update would add anything to a document, answered from the document as it is: no copy
 * of the document, no snapshot of its delete set. The update is decoded first (outside the lock);
 * then every struct is checked against the state vector and every deleted range against the struct
 * store (a binary search per range), so the cost is that of the update, not of the document. The
 * question Yjs asks with {@code snapshotContainsUpdate(snapshot(doc), update)} (what a server
 * checks for a read-only client), answered exactly: true if and only if applying the update would
 * change nothing. Thread-safety: takes the Doc's lock while reading it.
 */
public final class UpdateContainment {
  private UpdateContainment() {}

  /**
   * True when every struct of the v1 {@code update} is already in {@code doc} and every range it
   * deletes is already deleted there (so applying it would change nothing and leave nothing
   * pending).
   *
   * @throws nodenogg.crdt.encoding.DecodingException when the update is malformed
   */
  public static boolean contains(Doc doc, byte[] update) {
    UpdateDecoder decoder = UpdateMerging.decoder(update, false);
    List<AbstractStruct> structs = LazyStructs.readAll(decoder);
    DeleteSet ds = DeleteSet.read(decoder);
    return doc.read(() -> contains(doc.store, structs, ds));
  }

  private static boolean contains(StructStore store, List<AbstractStruct> structs, DeleteSet ds) {
    for (AbstractStruct s : structs) {
      if (s instanceof Skip) {
        continue; // a gap marker adds nothing
      }
      if (store.getState(s.id.client) < s.id.clock + s.length) {
        return false;
      }
    }
    for (Map.Entry<Long, List<DeleteSet.DeleteItem>> e : ds.clients.entrySet()) {
      long client = e.getKey();
      long state = store.getState(client);
      List<AbstractStruct> known = store.clients.get(client);
      for (DeleteSet.DeleteItem d : e.getValue()) {
        long end = d.clock + d.len;
        if (end > state || d.clock >= state) {
          return false; // reaches past the document's state: it would be kept pending
        }
        if (d.len == 0) {
          continue; // an empty range inside the state changes nothing
        }
        for (int i = StructStore.findIndexSS(known, d.clock); i < known.size(); i++) {
          AbstractStruct s = known.get(i);
          if (s.id.clock >= end) {
            break;
          }
          if (!s.isDeleted()) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
