package nodenogg.crdt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import nodenogg.crdt.encoding.Undefined;

/**
 * Base of all shared types (yjs types/AbstractType.js): the list (start/length) and map (map) state
 * behind each handle, observers, and the generic list/map operations the concrete types build on.
 * Thread-safety: guarded by the owning Doc's lock; public methods of subclasses take it.
 *
 * @param <E> the event type delivered to {@link #observe} listeners
 */
public abstract class AbstractType<E extends YEvent> {
  Item item;
  Map<String, Item> map = new LinkedHashMap<>();
  Item start;
  Doc doc;
  int length;
  final Listeners<E> listeners = new Listeners<>();
  final Listeners<List<YEvent>> deepListeners = new Listeners<>();
  List<ArraySearchMarker> searchMarker;

  /**
   * Set when a ContentFormat item is integrated into this type (yjs sets _hasFormatting on any
   * parent).
   */
  boolean hasFormatting;

  AbstractType() {}

  /** The document this type belongs to, or null while it is preliminary (not yet inserted). */
  public Doc doc() {
    return doc;
  }

  /** The parent type, or null for a root type (or a preliminary type). */
  public AbstractType<?> parent() {
    return item != null ? item.parent : null;
  }

  void integrate(Doc y, Item it) {
    this.doc = y;
    this.item = it;
  }

  /** A new empty, preliminary type of the same kind (yjs _copy). */
  abstract AbstractType<?> copyEmpty();

  abstract void writeTypeRef(UpdateEncoder encoder);

  /** Plain Java value of this type. */
  public abstract Object toJSON();

  void callObserver(Transaction transaction, Set<String> parentSubs) {
    if (!transaction.local && searchMarker != null) {
      searchMarker.clear();
    }
  }

  /**
   * What {@link #callObserver} does besides building and delivering the event; used when nobody
   * would receive the event (see {@link #hasEventConsumers}).
   */
  void observerSideEffects(Transaction transaction) {
    if (!transaction.local && searchMarker != null) {
      searchMarker.clear();
    }
  }

  /** True when this type has observers or it or an ancestor has deep observers. */
  boolean hasEventConsumers() {
    if (!listeners.isEmpty()) {
      return true;
    }
    AbstractType<?> type = this;
    while (true) {
      if (!type.deepListeners.isEmpty()) {
        return true;
      }
      if (type.item == null) {
        return false;
      }
      type = type.item.parent;
    }
  }

  /** Calls {@code f} for each change of this type (after each transaction that changed it). */
  public Subscription observe(Consumer<E> f) {
    return listeners.add(f);
  }

  /** Calls {@code f} with the events of this type and all nested types, once per transaction. */
  public Subscription observeDeep(Consumer<List<YEvent>> f) {
    return deepListeners.add(f);
  }

  Item first() {
    Item n = start;
    while (n != null && n.isDeleted()) {
      n = n.right;
    }
    return n;
  }

  /**
   * yjs callTypeObservers: queue the event for deep observers of every ancestor, call own
   * observers.
   */
  void callTypeObservers(Transaction transaction, E event) {
    AbstractType<?> type = this;
    while (true) {
      transaction.changedParentTypes.computeIfAbsent(type, k -> new ArrayList<>()).add(event);
      if (type.item == null) {
        break;
      }
      type = type.item.parent;
    }
    listeners.call(event);
  }

  <T> T withLock(java.util.function.Supplier<T> f) {
    Doc d = doc;
    if (d == null) {
      return f.get();
    }
    return d.read(f);
  }

  void transact(Consumer<Transaction> f) {
    if (doc == null) {
      throw new IllegalStateException("This type is preliminary: insert it into a document first");
    }
    doc.transact(f);
  }

  // ---------------------------------------------------------------- list operations

  List<Object> listToArray() {
    List<Object> cs = new ArrayList<>();
    for (Item n = start; n != null; n = n.right) {
      if (n.countable() && !n.isDeleted()) {
        cs.addAll(n.content.getContent());
      }
    }
    return cs;
  }

  Object listGet(int index) {
    ArraySearchMarker marker = ArraySearchMarker.find(this, index);
    Item n = start;
    if (marker != null) {
      n = marker.p;
      index -= marker.index;
    }
    for (; n != null; n = n.right) {
      if (!n.isDeleted() && n.countable()) {
        if (index < n.length) {
          return n.content.getContent().get(index);
        }
        index -= n.length;
      }
    }
    throw new IndexOutOfBoundsException("index " + index + " out of bounds");
  }

  static Content contentFor(Object c) {
    if (c instanceof byte[]) {
      return new ContentBinary((byte[]) c);
    }
    if (c instanceof AbstractType) {
      return new ContentType((AbstractType<?>) c);
    }
    if (c instanceof Doc) {
      return new ContentDoc((Doc) c);
    }
    return null;
  }

  static boolean isJsonValue(Object c) {
    return c == null
        || c instanceof String
        || c instanceof Number
        || c instanceof Boolean
        || c instanceof Map
        || c instanceof List
        || c instanceof Undefined;
  }

  void listInsertGenericsAfter(Transaction transaction, Item referenceItem, List<?> content) {
    Item left = referenceItem;
    Doc d = transaction.doc;
    long own = d.clientId;
    StructStore store = d.store;
    Item right = referenceItem == null ? start : referenceItem.right;
    List<Object> json = new ArrayList<>();
    for (Object c : content) {
      if (isJsonValue(c)) {
        json.add(c);
      } else {
        if (!json.isEmpty()) {
          left =
              new Item(
                  new ID(own, store.getState(own)),
                  left,
                  left == null ? null : left.lastId(),
                  right,
                  right == null ? null : right.id,
                  this,
                  null,
                  new ContentAny(json));
          left.integrate(transaction, 0);
          json = new ArrayList<>();
        }
        Content ct = contentFor(c);
        if (ct == null) {
          throw new IllegalArgumentException(
              "Unexpected content type in insert operation: " + c.getClass().getName());
        }
        left =
            new Item(
                new ID(own, store.getState(own)),
                left,
                left == null ? null : left.lastId(),
                right,
                right == null ? null : right.id,
                this,
                null,
                ct);
        left.integrate(transaction, 0);
      }
    }
    if (!json.isEmpty()) {
      left =
          new Item(
              new ID(own, store.getState(own)),
              left,
              left == null ? null : left.lastId(),
              right,
              right == null ? null : right.id,
              this,
              null,
              new ContentAny(json));
      left.integrate(transaction, 0);
    }
  }

  void listInsertGenerics(Transaction transaction, int index, List<?> content) {
    if (index > length || index < 0) {
      throw new IndexOutOfBoundsException("Length exceeded: index " + index + ", length " + length);
    }
    for (Object c : content) {
      if (!isJsonValue(c) && contentFor(c) == null) {
        throw new IllegalArgumentException(
            "Unexpected content type in insert operation: " + c.getClass().getName());
      }
    }
    if (index == 0) {
      if (searchMarker != null) {
        ArraySearchMarker.updateChanges(searchMarker, index, content.size());
      }
      listInsertGenericsAfter(transaction, null, content);
      return;
    }
    int startIndex = index;
    ArraySearchMarker marker = ArraySearchMarker.find(this, index);
    Item n = start;
    if (marker != null) {
      n = marker.p;
      index -= marker.index;
      if (index == 0) {
        n = n.prev();
        index += (n != null && n.countable() && !n.isDeleted()) ? n.length : 0;
      }
    }
    for (; n != null; n = n.right) {
      if (!n.isDeleted() && n.countable()) {
        if (index <= n.length) {
          if (index < n.length) {
            transaction.doc.store.getItemCleanStart(
                transaction, new ID(n.id.client, n.id.clock + index));
          }
          break;
        }
        index -= n.length;
      }
    }
    if (searchMarker != null) {
      ArraySearchMarker.updateChanges(searchMarker, startIndex, content.size());
    }
    listInsertGenericsAfter(transaction, n, content);
  }

  void listPushGenerics(Transaction transaction, List<?> content) {
    Item n = start;
    if (searchMarker != null) {
      int best = 0;
      for (ArraySearchMarker m : searchMarker) {
        if (m.index > best) {
          best = m.index;
          n = m.p;
        }
      }
    }
    if (n != null) {
      while (n.right != null) {
        n = n.right;
      }
    }
    listInsertGenericsAfter(transaction, n, content);
  }

  void listDelete(Transaction transaction, int index, int len) {
    if (len == 0) {
      return;
    }
    if (index < 0 || len < 0) {
      throw new IndexOutOfBoundsException("negative index or length");
    }
    int startIndex = index;
    int startLength = len;
    ArraySearchMarker marker = ArraySearchMarker.find(this, index);
    Item n = start;
    if (marker != null) {
      n = marker.p;
      index -= marker.index;
    }
    StructStore store = transaction.doc.store;
    for (; n != null && index > 0; n = n.right) {
      if (!n.isDeleted() && n.countable()) {
        if (index < n.length) {
          store.getItemCleanStart(transaction, new ID(n.id.client, n.id.clock + index));
        }
        index -= n.length;
      }
    }
    while (len > 0 && n != null) {
      if (!n.isDeleted()) {
        if (len < n.length) {
          store.getItemCleanStart(transaction, new ID(n.id.client, n.id.clock + len));
        }
        n.delete(transaction);
        len -= n.length;
      }
      n = n.right;
    }
    if (len > 0) {
      throw new IndexOutOfBoundsException("Length exceeded");
    }
    if (searchMarker != null) {
      ArraySearchMarker.updateChanges(searchMarker, startIndex, -startLength + len);
    }
  }

  // ---------------------------------------------------------------- map operations

  void mapDelete(Transaction transaction, String key) {
    Item c = map.get(key);
    if (c != null) {
      c.delete(transaction);
    }
  }

  void mapSet(Transaction transaction, String key, Object value) {
    Item left = map.get(key);
    Doc d = transaction.doc;
    long own = d.clientId;
    Content content;
    if (isJsonValue(value) || value instanceof java.math.BigInteger) {
      List<Object> l = new ArrayList<>(1);
      l.add(value);
      content = new ContentAny(l);
    } else {
      content = contentFor(value);
      if (content == null) {
        throw new IllegalArgumentException(
            "Unexpected content type: " + value.getClass().getName());
      }
    }
    new Item(
            new ID(own, d.store.getState(own)),
            left,
            left == null ? null : left.lastId(),
            null,
            null,
            this,
            key,
            content)
        .integrate(transaction, 0);
  }

  Object mapGet(String key) {
    Item v = map.get(key);
    if (v == null || v.isDeleted()) {
      return null;
    }
    List<Object> c = v.content.getContent();
    return c.get(v.length - 1);
  }

  boolean mapHas(String key) {
    Item v = map.get(key);
    return v != null && !v.isDeleted();
  }

  /**
   * Nesting limit for toJSON, so a hostile 10,000-deep chain of types fails cleanly instead of
   * overflowing the stack.
   */
  static final int MAX_JSON_DEPTH = 256;

  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  static Object toPlain(Object v) {
    if (v instanceof AbstractType) {
      int[] d = DEPTH.get();
      if (d[0] >= MAX_JSON_DEPTH) {
        throw new CrdtException(
            "Shared types nested deeper than "
                + MAX_JSON_DEPTH
                + " levels cannot be converted to plain values; read the nested types directly");
      }
      d[0]++;
      try {
        return ((AbstractType<?>) v).toJSON();
      } finally {
        d[0]--;
      }
    }
    if (v instanceof Doc) {
      return ((Doc) v).toJSON();
    }
    return v;
  }
}
