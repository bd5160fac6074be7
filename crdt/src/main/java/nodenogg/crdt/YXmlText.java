package nodenogg.crdt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * XML text (yjs types/YXmlText.js, type ref 6): a {@link YText} inside an XML tree. {@code
 * toString()} prints each delta run wrapped in one tag per formatting attribute (tags sorted by
 * name, the attribute value's own keys as tag attributes), exactly like Yjs; {@code toJSON()} is
 * that string. Thread-safety: see {@link Doc}.
 */
public class YXmlText extends YText {
  public YXmlText() {
    super();
  }

  public YXmlText(String initial) {
    super(initial);
  }

  @Override
  AbstractType<?> copyEmpty() {
    return new YXmlText();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(6);
  }

  public AbstractType<?> nextSibling() {
    return YXmlElement.sibling(this, true);
  }

  public AbstractType<?> prevSibling() {
    return YXmlElement.sibling(this, false);
  }

  /** A copy that is not part of any document. */
  public YXmlText copy() {
    YXmlText t = new YXmlText();
    t.applyDelta(toDelta());
    return t;
  }

  private static final class Node {
    final String name;
    final List<String[]> attrs = new ArrayList<>();

    Node(String name) {
      this.name = name;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> delta : toDelta()) {
      List<Node> nested = new ArrayList<>();
      Object attributes = delta.get("attributes");
      if (attributes instanceof Map) {
        for (Map.Entry<String, Object> e : ((Map<String, Object>) attributes).entrySet()) {
          Node node = new Node(e.getKey());
          JsValues.forIn(
              e.getValue(), (k, v) -> node.attrs.add(new String[] {k, JsValues.jsString(v)}));
          node.attrs.sort((a, b) -> a[0].compareTo(b[0]) < 0 ? -1 : 1);
          nested.add(node);
        }
      }
      nested.sort((a, b) -> a.name.compareTo(b.name) < 0 ? -1 : 1);
      for (Node n : nested) {
        out.append('<').append(n.name);
        for (String[] a : n.attrs) {
          out.append(' ').append(a[0]).append("=\"").append(a[1]).append('"');
        }
        out.append('>');
      }
      out.append(JsValues.jsString(delta.get("insert")));
      for (int i = nested.size() - 1; i >= 0; i--) {
        out.append("</").append(nested.get(i).name).append('>');
      }
    }
    return out.toString();
  }

  @Override
  public Object toJSON() {
    return toString();
  }
}
