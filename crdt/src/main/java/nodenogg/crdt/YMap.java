package nodenogg.crdt;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A shared map with last-writer-wins keys (yjs types/YMap.js). {@code new YMap()} creates a
 * preliminary map that becomes shared when inserted into a document. Thread-safety: see {@link
 * Doc}.
 */
public class YMap extends AbstractType<YMapEvent> {
  private Map<String, Object> prelim = new LinkedHashMap<>();

  public YMap() {}

  @Override
  void integrate(Doc y, Item it) {
    super.integrate(y, it);
    Map<String, Object> p = prelim;
    prelim = null;
    if (p != null && !p.isEmpty()) {
      y.transact(
          tr -> {
            for (Map.Entry<String, Object> e : p.entrySet()) {
              mapSet(tr, e.getKey(), e.getValue());
            }
          });
    }
  }

  @Override
  AbstractType<?> copyEmpty() {
    return new YMap();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(1);
  }

  @Override
  void observerSideEffects(Transaction transaction) {
    // like callObserver below: no search-marker reset for maps
  }

  @Override
  void callObserver(Transaction transaction, Set<String> parentSubs) {
    callTypeObservers(transaction, new YMapEvent(this, transaction, parentSubs));
  }

  /** Sets {@code key} to a plain value, a {@code byte[]}, or a (preliminary) shared type. */
  public void set(String key, Object value) {
    if (doc == null) {
      if (!isJsonValue(value)
          && contentFor(value) == null
          && !(value instanceof java.math.BigInteger)) {
        throw new IllegalArgumentException(
            "Unexpected content type: " + value.getClass().getName());
      }
      prelim.put(key, value);
      return;
    }
    transact(tr -> mapSet(tr, key, value));
  }

  /**
   * The value for {@code key}: a plain value, {@code byte[]}, or a shared type handle; null when
   * absent.
   */
  public Object get(String key) {
    if (doc == null) {
      return prelim.get(key);
    }
    return withLock(() -> mapGet(key));
  }

  public void delete(String key) {
    if (doc == null) {
      prelim.remove(key);
      return;
    }
    transact(tr -> mapDelete(tr, key));
  }

  public boolean has(String key) {
    if (doc == null) {
      return prelim.containsKey(key);
    }
    return withLock(() -> mapHas(key));
  }

  public int size() {
    return keys().size();
  }

  /** Live keys in insertion order. */
  public Set<String> keys() {
    if (doc == null) {
      return new LinkedHashSet<>(prelim.keySet());
    }
    return withLock(
        () -> {
          Set<String> s = new LinkedHashSet<>();
          for (Map.Entry<String, Item> e : map.entrySet()) {
            if (!e.getValue().isDeleted()) {
              s.add(e.getKey());
            }
          }
          return s;
        });
  }

  public void clear() {
    transact(
        tr -> {
          for (Map.Entry<String, Item> e : new LinkedHashMap<>(map).entrySet()) {
            if (!e.getValue().isDeleted()) {
              mapDelete(tr, e.getKey());
            }
          }
        });
  }

  /** Plain Java values: nested types converted recursively. */
  @Override
  public Map<String, Object> toJSON() {
    if (doc == null) {
      Map<String, Object> m = new LinkedHashMap<>();
      prelim.forEach((k, v) -> m.put(k, toPlain(v)));
      return m;
    }
    return withLock(
        () -> {
          Map<String, Object> m = new LinkedHashMap<>();
          for (Map.Entry<String, Item> e : map.entrySet()) {
            Item it = e.getValue();
            if (!it.isDeleted()) {
              m.put(e.getKey(), toPlain(it.content.getContent().get(it.length - 1)));
            }
          }
          return m;
        });
  }

  @Override
  public String toString() {
    return Json.stringify(toJSON());
  }
}
