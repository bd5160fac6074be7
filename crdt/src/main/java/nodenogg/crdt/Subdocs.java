package nodenogg.crdt;

import java.util.ArrayList;
import java.util.LinkedHashSet;

/**
 * Sub-document bookkeeping (yjs Doc.load / Doc.destroy and the 'subdocs' step of
 * cleanupTransactions). Guarded by the parent Doc's lock.
 */
final class Subdocs {
  private Subdocs() {}

  /**
   * After the update events of a transaction: register added/removed sub-documents and emit
   * 'subdocs'.
   */
  static void afterTransaction(Transaction tr) {
    if (tr.subdocsAdded.isEmpty() && tr.subdocsRemoved.isEmpty() && tr.subdocsLoaded.isEmpty()) {
      return;
    }
    Doc doc = tr.doc;
    for (Doc sub : tr.subdocsAdded) {
      sub.clientId = doc.clientId;
      if (doc.subdocs == null) {
        doc.subdocs = new LinkedHashSet<>();
      }
      doc.subdocs.add(sub);
    }
    for (Doc sub : tr.subdocsRemoved) {
      if (doc.subdocs != null) {
        doc.subdocs.remove(sub);
      }
    }
    SubdocsEvent ev =
        new SubdocsEvent(
            new LinkedHashSet<>(tr.subdocsLoaded),
            new LinkedHashSet<>(tr.subdocsAdded),
            new LinkedHashSet<>(tr.subdocsRemoved),
            tr);
    doc.subdocsListeners.call(ev);
    for (Doc sub : new ArrayList<>(tr.subdocsRemoved)) {
      sub.destroy();
    }
  }

  static void load(Doc sub) {
    Item item = sub.item;
    if (item != null && !sub.shouldLoad) {
      item.parent.doc.transact(tr -> tr.subdocsLoaded.add(sub), null, true);
    }
    sub.shouldLoad = true;
  }

  static void destroy(Doc d) {
    d.destroyed = true;
    if (d.subdocs != null) {
      for (Doc sub : new ArrayList<>(d.subdocs)) {
        sub.destroy();
      }
    }
    Item item = d.item;
    if (item != null) {
      d.item = null;
      // the item may already be garbage-collected (ContentDeleted); Yjs then builds a throw-away
      // doc
      ContentDoc content = item.content instanceof ContentDoc ? (ContentDoc) item.content : null;
      Doc replacement =
          ContentDoc.docFromOpts(
              d.guid(), content == null ? new java.util.HashMap<>() : content.opts, false);
      if (content != null) {
        content.doc = replacement;
      }
      replacement.item = item;
      item.parent.doc.transact(
          tr -> {
            if (!item.isDeleted()) {
              tr.subdocsAdded.add(replacement);
            }
            tr.subdocsRemoved.add(d);
          },
          null,
          true);
    }
    d.destroyListeners.call(d);
  }
}
