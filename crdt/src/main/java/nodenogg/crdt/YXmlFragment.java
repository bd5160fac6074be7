package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;

/**
 * XML fragment (yjs types/YXmlFragment.js, type ref 4): an ordered list of XML children ({@link
 * YXmlElement}, {@link YXmlText}, {@link YXmlHook}). {@code toString()} concatenates the children
 * exactly as Yjs prints them; {@code toJSON()} is that string. A fragment created with {@code new}
 * is preliminary: edits are kept and applied when it is inserted into a document. Thread-safety:
 * see {@link Doc}.
 */
public class YXmlFragment extends AbstractType<YXmlEvent> {
  private final SharedList list = new SharedList(this);

  public YXmlFragment() {}

  @Override
  void integrate(Doc y, Item it) {
    super.integrate(y, it);
    list.integrate(y);
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
    super.callObserver(
        transaction, parentSubs); // drops search markers after remote changes (a cache)
    callTypeObservers(transaction, new YXmlEvent(this, parentSubs, transaction));
  }

  boolean preliminary() {
    return list.preliminary();
  }

  public int length() {
    return list.length();
  }

  /** First child, or null. */
  public Object firstChild() {
    return withLock(
        () -> {
          if (preliminary()) {
            return list.prelim().isEmpty() ? null : list.prelim().get(0);
          }
          Item f = first();
          return f == null ? null : f.content.getContent().get(0);
        });
  }

  public void insert(int index, List<?> children) {
    list.insert(index, children);
  }

  /**
   * Inserts after {@code ref} (a child type of this fragment), or at the start when {@code ref} is
   * null.
   */
  public void insertAfter(AbstractType<?> ref, List<?> children) {
    if (preliminary()) {
      int index = ref == null ? 0 : list.prelim().indexOf(ref) + 1;
      if (index == 0 && ref != null) {
        throw new CrdtException("Reference item not found");
      }
      list.prelim().addAll(index, children);
      return;
    }
    transact(tr -> listInsertGenericsAfter(tr, ref == null ? null : ref.item, children));
  }

  public void push(List<?> children) {
    insert(length(), children);
  }

  public void unshift(List<?> children) {
    insert(0, children);
  }

  public void delete(int index) {
    delete(index, 1);
  }

  public void delete(int index, int len) {
    list.delete(index, len);
  }

  public Object get(int index) {
    return list.get(index);
  }

  public List<Object> toArray() {
    return list.toArray();
  }

  public List<Object> slice(int start, int end) {
    List<Object> all = toArray();
    int len = all.size();
    int s = start < 0 ? Math.max(len + start, 0) : Math.min(start, len);
    int e = end < 0 ? Math.max(len + end, 0) : Math.min(end, len);
    return s >= e ? new ArrayList<>() : new ArrayList<>(all.subList(s, e));
  }

  /** A copy that is not part of any document (deep for nested XML types). */
  public YXmlFragment copy() {
    YXmlFragment el = new YXmlFragment();
    el.insert(0, copyChildren());
    return el;
  }

  List<Object> copyChildren() {
    List<Object> out = new ArrayList<>();
    for (Object o : toArray()) {
      out.add(copyChild(o));
    }
    return out;
  }

  static Object copyChild(Object o) {
    if (o instanceof YXmlElement) {
      return ((YXmlElement) o).copy();
    }
    if (o instanceof YXmlFragment) {
      return ((YXmlFragment) o).copy();
    }
    if (o instanceof YXmlText) {
      return ((YXmlText) o).copy();
    }
    if (o instanceof YXmlHook) {
      return ((YXmlHook) o).copy();
    }
    return o;
  }

  /**
   * Depth-first walk over the XML descendants that match {@code filter} (yjs createTreeWalker);
   * descends into elements and fragments only.
   */
  public Iterable<AbstractType<?>> createTreeWalker(Predicate<AbstractType<?>> filter) {
    return () -> new TreeWalker(this, filter);
  }

  /** First descendant element whose node name equals {@code query} ignoring case, or null. */
  public YXmlElement querySelector(String query) {
    Iterator<AbstractType<?>> it = new TreeWalker(this, byName(query));
    return it.hasNext() ? (YXmlElement) it.next() : null;
  }

  public List<YXmlElement> querySelectorAll(String query) {
    List<YXmlElement> l = new ArrayList<>();
    for (Iterator<AbstractType<?>> it = new TreeWalker(this, byName(query)); it.hasNext(); ) {
      l.add((YXmlElement) it.next());
    }
    return l;
  }

  private static Predicate<AbstractType<?>> byName(String query) {
    String q = query.toUpperCase(Locale.ROOT);
    return t ->
        t instanceof YXmlElement && ((YXmlElement) t).nodeName().toUpperCase(Locale.ROOT).equals(q);
  }

  @Override
  public String toString() {
    return withLock(
        () -> {
          StringBuilder sb = new StringBuilder();
          for (Object o : toArray()) {
            sb.append(JsValues.jsString(o));
          }
          return sb.toString();
        });
  }

  @Override
  public Object toJSON() {
    return toString();
  }

  /** yjs YXmlTreeWalker, as an iterator. */
  private static final class TreeWalker implements Iterator<AbstractType<?>> {
    private final AbstractType<?> root;
    private final Predicate<AbstractType<?>> filter;
    private Item current;
    private boolean firstCall = true;
    private AbstractType<?> nextValue;
    private boolean computed;

    TreeWalker(AbstractType<?> root, Predicate<AbstractType<?>> filter) {
      this.root = root;
      this.filter = filter;
      this.current = root.start;
    }

    private static AbstractType<?> typeOf(Item n) {
      return n != null && n.content instanceof ContentType ? ((ContentType) n.content).type : null;
    }

    private boolean accepts(Item n) {
      AbstractType<?> t = typeOf(n);
      return t != null && filter.test(t);
    }

    private void compute() {
      Item n = current;
      if (n != null && (!firstCall || n.isDeleted() || !accepts(n))) {
        do {
          AbstractType<?> type = typeOf(n);
          if (!n.isDeleted()
              && type != null
              && (type.getClass() == YXmlElement.class || type.getClass() == YXmlFragment.class)
              && type.start != null) {
            n = type.start;
          } else {
            while (n != null) {
              Item nxt = n.next();
              if (nxt != null) {
                n = nxt;
                break;
              } else if (n.parent == root) {
                n = null;
              } else {
                n = n.parent.item;
              }
            }
          }
        } while (n != null && (n.isDeleted() || !accepts(n)));
      }
      firstCall = false;
      if (n != null) {
        current = n;
        nextValue = typeOf(n);
      } else {
        nextValue = null;
      }
      computed = true;
    }

    @Override
    public boolean hasNext() {
      if (!computed) {
        Doc d = root.doc;
        if (d != null) {
          d.lock.lock();
        }
        try {
          compute();
        } finally {
          if (d != null) {
            d.lock.unlock();
          }
        }
      }
      return nextValue != null;
    }

    @Override
    public AbstractType<?> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      computed = false;
      return nextValue;
    }
  }
}
