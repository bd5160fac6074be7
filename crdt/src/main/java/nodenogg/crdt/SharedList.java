package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;

/**
 * The list half shared by {@link YArray} and {@link YXmlFragment}: while the owning type is
 * preliminary (not yet in a document) edits go to a plain Java list; once it is integrated that
 * list is inserted as the type's first content and every operation works on the type's items.
 * Package-private helper; its owner guards it like the rest of its state (see {@link Doc}).
 */
final class SharedList {
  private final AbstractType<?> type;
  private List<Object> prelim = new ArrayList<>();

  SharedList(AbstractType<?> type) {
    this.type = type;
    type.searchMarker = new ArrayList<>();
  }

  boolean preliminary() {
    return type.doc == null;
  }

  /** The preliminary content (only while {@link #preliminary()}). */
  List<Object> prelim() {
    return prelim;
  }

  /**
   * Called from the owner's integrate (after super.integrate): moves the preliminary content in.
   */
  void integrate(Doc y) {
    List<Object> p = prelim;
    prelim = null;
    if (p != null && !p.isEmpty()) {
      y.transact(tr -> type.listInsertGenerics(tr, 0, p));
    }
  }

  int length() {
    if (preliminary()) {
      return prelim.size();
    }
    return type.withLock(() -> type.length);
  }

  void insert(int index, List<?> values) {
    if (preliminary()) {
      prelim.addAll(index, values);
      return;
    }
    type.transact(tr -> type.listInsertGenerics(tr, index, values));
  }

  void delete(int index, int len) {
    if (preliminary()) {
      prelim.subList(index, index + len).clear();
      return;
    }
    type.transact(tr -> type.listDelete(tr, index, len));
  }

  Object get(int index) {
    if (preliminary()) {
      return prelim.get(index);
    }
    return type.withLock(() -> type.listGet(index));
  }

  List<Object> toArray() {
    if (preliminary()) {
      return new ArrayList<>(prelim);
    }
    return type.withLock(type::listToArray);
  }
}
