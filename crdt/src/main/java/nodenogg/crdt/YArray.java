package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A shared list (yjs types/YArray.js). {@code new YArray()} creates a preliminary array that
 * becomes shared when inserted into a document. Thread-safety: see {@link Doc}.
 */
public class YArray extends AbstractType<YArrayEvent> {
  private final SharedList list = new SharedList(this);

  public YArray() {}

  @Override
  void integrate(Doc y, Item it) {
    super.integrate(y, it);
    list.integrate(y);
  }

  @Override
  AbstractType<?> copyEmpty() {
    return new YArray();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(0);
  }

  @Override
  void callObserver(Transaction transaction, Set<String> parentSubs) {
    super.callObserver(transaction, parentSubs);
    callTypeObservers(transaction, new YArrayEvent(this, transaction));
  }

  public int length() {
    return list.length();
  }

  /** Inserts plain values, {@code byte[]} or (preliminary) shared types at {@code index}. */
  public void insert(int index, List<?> values) {
    list.insert(index, values);
  }

  public void push(List<?> values) {
    if (list.preliminary()) {
      list.prelim().addAll(values);
      return;
    }
    transact(tr -> listPushGenerics(tr, values));
  }

  public void unshift(List<?> values) {
    insert(0, values);
  }

  public void delete(int index, int length) {
    list.delete(index, length);
  }

  public Object get(int index) {
    return list.get(index);
  }

  /** Current values (nested types as handles). */
  public List<Object> toArray() {
    return list.toArray();
  }

  @Override
  public List<Object> toJSON() {
    List<Object> l = new ArrayList<>();
    for (Object o : toArray()) {
      l.add(toPlain(o));
    }
    return l;
  }

  @Override
  public String toString() {
    return Json.stringify(toJSON());
  }
}
