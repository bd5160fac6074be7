package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A shared list (yjs types/YArray.js). {@code new YArray()} creates a preliminary array that becomes
 * shared when inserted into a document. Thread-safety: see {@link Doc}.
 */
public class YArray extends AbstractType<YArrayEvent> {
    private List<Object> prelim = new ArrayList<>();

    public YArray() {
        searchMarker = new ArrayList<>();
    }

    @Override
    void integrate(Doc y, Item it) {
        super.integrate(y, it);
        List<Object> p = prelim;
        prelim = null;
        if (p != null && !p.isEmpty()) {
            y.transact(tr -> listInsertGenerics(tr, 0, p));
        }
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
        if (doc == null) {
            return prelim.size();
        }
        return withLock(() -> length);
    }

    /** Inserts plain values, {@code byte[]} or (preliminary) shared types at {@code index}. */
    public void insert(int index, List<?> values) {
        if (doc == null) {
            prelim.addAll(index, values);
            return;
        }
        transact(tr -> listInsertGenerics(tr, index, values));
    }

    public void push(List<?> values) {
        if (doc == null) {
            prelim.addAll(values);
            return;
        }
        transact(tr -> listPushGenerics(tr, values));
    }

    public void unshift(List<?> values) {
        insert(0, values);
    }

    public void delete(int index, int length) {
        if (doc == null) {
            prelim.subList(index, index + length).clear();
            return;
        }
        transact(tr -> listDelete(tr, index, length));
    }

    public Object get(int index) {
        if (doc == null) {
            return prelim.get(index);
        }
        return withLock(() -> listGet(index));
    }

    /** Current values (nested types as handles). */
    public List<Object> toArray() {
        if (doc == null) {
            return new ArrayList<>(prelim);
        }
        return withLock(this::listToArray);
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
