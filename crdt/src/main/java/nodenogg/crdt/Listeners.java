package nodenogg.crdt;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A copy-on-write listener list (yjs EventHandler). Thread-safe: {@link #call} iterates the array
 * current when it starts (listeners added or removed meanwhile take effect from the next call).
 *
 * <p>Every Doc and shared type holds several of these and most stay empty, so an instance is one
 * volatile reference to an array, and every empty list shares one empty array.
 */
final class Listeners<T> {
  private static final Object[] NONE = {};
  private volatile Object[] array = NONE;

  Subscription add(Consumer<T> l) {
    return addListener(l);
  }

  /**
   * Registers a listener of another shape (the Doc's update listeners); such a list is read with
   * {@link #snapshot}, never {@link #call}.
   */
  Subscription addListener(Object l) {
    java.util.Objects.requireNonNull(l, "listener");
    synchronized (this) {
      Object[] a = array;
      Object[] n = Arrays.copyOf(a, a.length + 1);
      n[a.length] = l;
      array = n;
    }
    return () -> remove(l);
  }

  /** The current listeners; the caller must not modify the array. */
  Object[] snapshot() {
    return array;
  }

  /** Removes the first registration of {@code l} (as CopyOnWriteArrayList.remove). */
  private synchronized void remove(Object l) {
    Object[] a = array;
    for (int i = 0; i < a.length; i++) {
      if (a[i] == l) {
        if (a.length == 1) {
          array = NONE;
        } else {
          Object[] n = new Object[a.length - 1];
          System.arraycopy(a, 0, n, 0, i);
          System.arraycopy(a, i + 1, n, i, a.length - i - 1);
          array = n;
        }
        return;
      }
    }
  }

  boolean isEmpty() {
    return array.length == 0;
  }

  @SuppressWarnings("unchecked")
  void call(T value) {
    Object[] a = array;
    if (a.length == 0) {
      return;
    }
    RuntimeException first = null;
    for (Object c : a) {
      try {
        ((Consumer<T>) c).accept(value);
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
