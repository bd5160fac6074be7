package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * XML fragment (type ref 4): a list of XML children. Minimal support so that documents containing XML
 * types decode, round-trip and print; editing API is limited to list operations.
 */
public class YXmlFragment extends AbstractType<YEvent> {
    public YXmlFragment() {
        searchMarker = new ArrayList<>();
    }

    @Override
    AbstractType<?> copyEmpty() {
        return new YXmlFragment();
    }

    @Override
    void writeTypeRef(UpdateEncoder encoder) {
        encoder.writeTypeRef(4);
    }

    @Override
    void callObserver(Transaction transaction, Set<String> parentSubs) {
        super.callObserver(transaction, parentSubs);
        callTypeObservers(transaction, new YEvent(this, transaction));
    }

    public int length() {
        return withLock(() -> length);
    }

    public void insert(int index, List<?> children) {
        transact(tr -> listInsertGenerics(tr, index, children));
    }

    public void delete(int index, int len) {
        transact(tr -> listDelete(tr, index, len));
    }

    public List<Object> toArray() {
        return withLock(this::listToArray);
    }

    @Override
    public String toString() {
        return withLock(() -> {
            StringBuilder sb = new StringBuilder();
            for (Object o : listToArray()) {
                sb.append(o);
            }
            return sb.toString();
        });
    }

    @Override
    public Object toJSON() {
        return toString();
    }
}
