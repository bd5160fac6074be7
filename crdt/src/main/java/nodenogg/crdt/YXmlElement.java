package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * XML element (yjs types/YXmlElement.js, type ref 3): a node name, attributes (the map part of the
 * type) and children (the list part). {@code toString()} prints {@code <nodename a="1"
 * b="x">children</nodename>} exactly like Yjs: node name lower-cased, attributes sorted by name,
 * values converted with JS {@code String(v)}. Attributes set before the element is inserted into a
 * document are applied on insertion. Thread-safety: see {@link Doc}.
 */
public class YXmlElement extends YXmlFragment {
  private final String nodeName;
  private Map<String, Object> prelimAttrs = new LinkedHashMap<>();

  public YXmlElement() {
    this("UNDEFINED");
  }

  public YXmlElement(String nodeName) {
    this.nodeName = nodeName;
  }

  public String nodeName() {
    return nodeName;
  }

  @Override
  void integrate(Doc y, Item it) {
    super.integrate(y, it);
    Map<String, Object> p = prelimAttrs;
    prelimAttrs = null;
    if (p != null) {
      for (Map.Entry<String, Object> e : p.entrySet()) {
        setAttribute(e.getKey(), e.getValue());
      }
    }
  }

  @Override
  AbstractType<?> copyEmpty() {
    return new YXmlElement(nodeName);
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(3);
    encoder.writeKey(nodeName);
  }

  /** The next sibling XML type in the parent, or null. */
  public AbstractType<?> nextSibling() {
    return sibling(this, true);
  }

  public AbstractType<?> prevSibling() {
    return sibling(this, false);
  }

  static AbstractType<?> sibling(AbstractType<?> t, boolean next) {
    return t.withLock(
        () -> {
          Item n = t.item == null ? null : next ? t.item.next() : t.item.prev();
          return n != null && n.content instanceof ContentType
              ? ((ContentType) n.content).type
              : null;
        });
  }

  public void setAttribute(String name, Object value) {
    if (preliminary()) {
      prelimAttrs.put(name, value);
      return;
    }
    transact(tr -> mapSet(tr, name, value));
  }

  public void removeAttribute(String name) {
    if (preliminary()) {
      prelimAttrs.remove(name);
      return;
    }
    transact(tr -> mapDelete(tr, name));
  }

  public Object getAttribute(String name) {
    if (preliminary()) {
      return prelimAttrs.get(name);
    }
    return withLock(() -> mapGet(name));
  }

  public boolean hasAttribute(String name) {
    if (preliminary()) {
      return prelimAttrs.containsKey(name);
    }
    return withLock(() -> mapHas(name));
  }

  /** Current attributes (yjs getAttributes / typeMapGetAll), in the type's key order. */
  public Map<String, Object> getAttributes() {
    if (preliminary()) {
      return new LinkedHashMap<>(prelimAttrs);
    }
    return withLock(
        () -> {
          Map<String, Object> m = new LinkedHashMap<>();
          for (Map.Entry<String, Item> e : map.entrySet()) {
            if (!e.getValue().isDeleted()) {
              m.put(e.getKey(), mapGet(e.getKey()));
            }
          }
          return m;
        });
  }

  /** The attributes as they were at {@code snapshot} (yjs getAttributes(snapshot)). */
  public Map<String, Object> getAttributes(Snapshot snapshot) {
    return snapshot == null ? getAttributes() : Snapshot.typeMapGetAllSnapshot(this, snapshot);
  }

  @Override
  public YXmlElement copy() {
    YXmlElement el = new YXmlElement(nodeName);
    for (Map.Entry<String, Object> e : getAttributes().entrySet()) {
      el.setAttribute(e.getKey(), e.getValue());
    }
    el.insert(0, copyChildren());
    return el;
  }

  @Override
  public String toString() {
    return withLock(
        () -> {
          Map<String, Object> attrs = getAttributes();
          List<String> keys = new ArrayList<>(attrs.keySet());
          Collections.sort(keys);
          StringBuilder sb = new StringBuilder();
          String name = nodeName.toLowerCase(Locale.ROOT);
          sb.append('<').append(name);
          for (String k : keys) {
            sb.append(' ')
                .append(k)
                .append("=\"")
                .append(JsValues.jsString(attrs.get(k)))
                .append('"');
          }
          sb.append('>').append(super.toString()).append("</").append(name).append('>');
          return sb.toString();
        });
  }
}
