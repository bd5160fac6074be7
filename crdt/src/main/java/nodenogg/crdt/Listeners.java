package nodenogg.crdt;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A copy-on-write listener list (yjs EventHandler). Thread-safe. */
final class Listeners<T> {
    private final CopyOnWriteArrayList<Consumer<T>> list = new CopyOnWriteArrayList<>();

    Subscription add(Consumer<T> l) {
        list.add(l);
        return () -> list.remove(l);
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    void call(T value) {
        RuntimeException first = null;
        for (Consumer<T> l : list) {
            try {
                l.accept(value);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
