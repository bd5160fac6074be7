package nodenogg.crdt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Event of a {@link YText}; {@link #delta()} is a rich-text delta with attributes (yjs YTextEvent).
 */
public class YTextEvent extends YEvent {
  private final boolean childListChanged;
  private final Set<String> keysChanged = new HashSet<>();
  private List<Map<String, Object>> delta;

  YTextEvent(YText target, Transaction transaction, Set<String> subs) {
    super(target, transaction);
    boolean clc = false;
    for (String s : subs) {
      if (s == null) {
        clc = true;
      } else {
        keysChanged.add(s);
      }
    }
    childListChanged = clc;
  }

  public boolean childListChanged() {
    return childListChanged;
  }

  public Set<String> keysChanged() {
    return keysChanged;
  }

  @Override
  public Changes changes() {
    return new Changes(new HashSet<>(), new HashSet<>(), delta(), keys());
  }

  private final class Builder {
    final List<Map<String, Object>> out = new ArrayList<>();
    final Map<String, Object> currentAttributes = new LinkedHashMap<>();
    final Map<String, Object> oldAttributes = new LinkedHashMap<>();
    final Map<String, Object> attributes = new LinkedHashMap<>();
    String action;
    Object insert = "";
    int retain;
    int deleteLen;

    void addOp() {
      if (action == null) {
        return;
      }
      Map<String, Object> op = null;
      switch (action) {
        case "delete":
          if (deleteLen > 0) {
            op = new LinkedHashMap<>();
            op.put("delete", deleteLen);
          }
          deleteLen = 0;
          break;
        case "insert":
          if (!(insert instanceof String) || !((String) insert).isEmpty()) {
            op = new LinkedHashMap<>();
            op.put("insert", insert);
            if (!currentAttributes.isEmpty()) {
              Map<String, Object> a = new LinkedHashMap<>();
              currentAttributes.forEach(
                  (k, v) -> {
                    if (v != null) {
                      a.put(k, v);
                    }
                  });
              op.put("attributes", a);
            }
          }
          insert = "";
          break;
        default:
          if (retain > 0) {
            op = new LinkedHashMap<>();
            op.put("retain", retain);
            if (!attributes.isEmpty()) {
              op.put("attributes", new LinkedHashMap<>(attributes));
            }
          }
          retain = 0;
          break;
      }
      if (op != null) {
        out.add(op);
      }
      action = null;
    }
  }

  @Override
  public List<Map<String, Object>> delta() {
    if (delta == null) {
      Builder b = new Builder();
      target.doc.transact(
          tr -> {
            for (Item item = target.start; item != null; item = item.right) {
              Content c = item.content;
              if (c instanceof ContentType || c instanceof ContentEmbed) {
                if (adds(item)) {
                  if (!deletes(item)) {
                    b.addOp();
                    b.action = "insert";
                    b.insert = c.getContent().get(0);
                    b.addOp();
                  }
                } else if (deletes(item)) {
                  if (!"delete".equals(b.action)) {
                    b.addOp();
                    b.action = "delete";
                  }
                  b.deleteLen += 1;
                } else if (!item.isDeleted()) {
                  if (!"retain".equals(b.action)) {
                    b.addOp();
                    b.action = "retain";
                  }
                  b.retain += 1;
                }
              } else if (c instanceof ContentString) {
                if (adds(item)) {
                  if (!deletes(item)) {
                    if (!"insert".equals(b.action)) {
                      b.addOp();
                      b.action = "insert";
                    }
                    b.insert = b.insert + ((ContentString) c).str();
                  }
                } else if (deletes(item)) {
                  if (!"delete".equals(b.action)) {
                    b.addOp();
                    b.action = "delete";
                  }
                  b.deleteLen += item.length;
                } else if (!item.isDeleted()) {
                  if (!"retain".equals(b.action)) {
                    b.addOp();
                    b.action = "retain";
                  }
                  b.retain += item.length;
                }
              } else if (c instanceof ContentFormat) {
                ContentFormat cf = (ContentFormat) c;
                if (adds(item)) {
                  if (!deletes(item)) {
                    Object curVal = b.currentAttributes.get(cf.key);
                    if (!YText.equalAttrs(curVal, cf.value)) {
                      if ("retain".equals(b.action)) {
                        b.addOp();
                      }
                      if (YText.equalAttrs(cf.value, b.oldAttributes.get(cf.key))) {
                        b.attributes.remove(cf.key);
                      } else {
                        b.attributes.put(cf.key, cf.value);
                      }
                    } else if (cf.value != null) {
                      item.delete(tr);
                    }
                  }
                } else if (deletes(item)) {
                  b.oldAttributes.put(cf.key, cf.value);
                  Object curVal = b.currentAttributes.get(cf.key);
                  if (!YText.equalAttrs(curVal, cf.value)) {
                    if ("retain".equals(b.action)) {
                      b.addOp();
                    }
                    b.attributes.put(cf.key, curVal);
                  }
                } else if (!item.isDeleted()) {
                  b.oldAttributes.put(cf.key, cf.value);
                  if (b.attributes.containsKey(cf.key)) {
                    Object attr = b.attributes.get(cf.key);
                    if (!YText.equalAttrs(attr, cf.value)) {
                      if ("retain".equals(b.action)) {
                        b.addOp();
                      }
                      if (cf.value == null) {
                        b.attributes.remove(cf.key);
                      } else {
                        b.attributes.put(cf.key, cf.value);
                      }
                    } else if (attr != null) {
                      item.delete(tr);
                    }
                  }
                }
                if (!item.isDeleted()) {
                  if ("insert".equals(b.action)) {
                    b.addOp();
                  }
                  YText.updateCurrentAttributes(b.currentAttributes, cf);
                }
              }
            }
            b.addOp();
            while (!b.out.isEmpty()) {
              Map<String, Object> last = b.out.get(b.out.size() - 1);
              if (last.containsKey("retain") && !last.containsKey("attributes")) {
                b.out.remove(b.out.size() - 1);
              } else {
                break;
              }
            }
          });
      delta = b.out;
    }
    return delta;
  }
}
