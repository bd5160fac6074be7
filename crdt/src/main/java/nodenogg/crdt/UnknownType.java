package nodenogg.crdt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A root type created by a remote update before this peer asked for it (yjs's plain AbstractType).
 * {@link Doc#getMap} etc. convert it to the requested type.
 */
final class UnknownType extends AbstractType<YEvent> {
  @Override
  AbstractType<?> copyEmpty() {
    return new UnknownType();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    throw new IllegalStateException("untyped root types are never nested");
  }

  /** Best effort: map content as an object, otherwise list content as an array. */
  @Override
  public Object toJSON() {
    if (start == null && !map.isEmpty()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, Item> e : map.entrySet()) {
        if (!e.getValue().isDeleted()) {
          m.put(e.getKey(), toPlain(mapGet(e.getKey())));
        }
      }
      return m;
    }
    java.util.List<Object> l = new java.util.ArrayList<>();
    for (Object o : listToArray()) {
      l.add(toPlain(o));
    }
    return l;
  }
}
