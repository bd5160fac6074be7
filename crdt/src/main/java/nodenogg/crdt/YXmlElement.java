package nodenogg.crdt;

import java.util.Map;
import java.util.TreeMap;

/** XML element (type ref 3): a node name, attributes (map part) and children (list part). */
public class YXmlElement extends YXmlFragment {
    private final String nodeName;

    public YXmlElement(String nodeName) {
        this.nodeName = nodeName;
    }

    public String nodeName() {
        return nodeName;
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

    public void setAttribute(String name, Object value) {
        transact(tr -> mapSet(tr, name, value));
    }

    public Object getAttribute(String name) {
        return withLock(() -> mapGet(name));
    }

    @Override
    public String toString() {
        return withLock(() -> {
            Map<String, Object> attrs = new TreeMap<>();
            for (Map.Entry<String, Item> e : map.entrySet()) {
                if (!e.getValue().isDeleted()) {
                    attrs.put(e.getKey(), mapGet(e.getKey()));
                }
            }
            StringBuilder sb = new StringBuilder("<").append(nodeName);
            for (Map.Entry<String, Object> e : attrs.entrySet()) {
                sb.append(' ').append(e.getKey()).append("=\"").append(e.getValue()).append('"');
            }
            sb.append('>');
            for (Object o : listToArray()) {
                sb.append(o);
            }
            return sb.append("</").append(nodeName).append('>').toString();
        });
    }
}
