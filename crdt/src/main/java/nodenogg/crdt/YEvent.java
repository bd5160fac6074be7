package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import nodenogg.crdt.encoding.Undefined;

/**
 * A change to one shared type within one transaction (yjs utils/YEvent.js). Computed lazily; only
 * valid inside the observer call (the document keeps changing afterwards). Thread-safety: use only
 * on the observer's thread, during the callback.
 */
public class YEvent {
  /**
   * A change of one map key: action is "add", "update" or "delete"; oldValue is {@link Undefined}
   * for add.
   */
  public static final class KeyChange {
    public final String action;
    public final Object oldValue;

    KeyChange(String action, Object oldValue) {
      this.action = action;
      this.oldValue = oldValue;
    }

    @Override
    public String toString() {
      return "{action=" + action + ", oldValue=" + oldValue + "}";
    }
  }

  /** Added and deleted items, the list delta and the key changes. */
  public static final class Changes {
    public final Set<Object> added;
    public final Set<Object> deleted;
    public final List<Map<String, Object>> delta;
    public final Map<String, KeyChange> keys;

    Changes(
        Set<Object> added,
        Set<Object> deleted,
        List<Map<String, Object>> delta,
        Map<String, KeyChange> keys) {
      this.added = added;
      this.deleted = deleted;
      this.delta = delta;
      this.keys = keys;
    }
  }

  final AbstractType<?> target;
  AbstractType<?> currentTarget;
  final Transaction transaction;
  List<Object> path;
  private Changes changes;
  private Map<String, KeyChange> keys;

  YEvent(AbstractType<?> target, Transaction transaction) {
    this.target = target;
    this.currentTarget = target;
    this.transaction = transaction;
  }

  /** The type that changed. */
  public AbstractType<?> target() {
    return target;
  }

  /** The type whose observer is being called (differs from target for deep observers). */
  public AbstractType<?> currentTarget() {
    return currentTarget;
  }

  public Transaction transaction() {
    return transaction;
  }

  /** Path from currentTarget to target: map keys (String) and list indexes (Integer). */
  public List<Object> path() {
    if (path == null) {
      path = getPathTo(currentTarget, target);
    }
    return path;
  }

  boolean deletes(AbstractStruct struct) {
    return transaction.deleteSet.isDeleted(struct.id);
  }

  boolean adds(AbstractStruct struct) {
    return struct.id.clock >= transaction.beforeState.getOrDefault(struct.id.client, 0L);
  }

  private static Object last(List<Object> l) {
    return l.isEmpty() ? Undefined.INSTANCE : l.get(l.size() - 1);
  }

  /** Changed map keys of the target. */
  public Map<String, KeyChange> keys() {
    if (keys == null) {
      Map<String, KeyChange> k = new LinkedHashMap<>();
      Set<String> changed = transaction.changed.getOrDefault(target, Collections.emptySet());
      for (String key : changed) {
        if (key == null) {
          continue;
        }
        Item item = target.map.get(key);
        String action;
        Object oldValue;
        if (adds(item)) {
          Item prev = item.left;
          while (prev != null && adds(prev)) {
            prev = prev.left;
          }
          if (deletes(item)) {
            if (prev != null && deletes(prev)) {
              action = "delete";
              oldValue = last(prev.content.getContent());
            } else {
              continue;
            }
          } else {
            if (prev != null && deletes(prev)) {
              action = "update";
              oldValue = last(prev.content.getContent());
            } else {
              action = "add";
              oldValue = Undefined.INSTANCE;
            }
          }
        } else {
          if (deletes(item)) {
            action = "delete";
            oldValue = last(item.content.getContent());
          } else {
            continue;
          }
        }
        k.put(key, new KeyChange(action, oldValue));
      }
      keys = k;
    }
    return keys;
  }

  /** List delta: maps with "insert" (a List), "retain" or "delete" (Integer). */
  public List<Map<String, Object>> delta() {
    return changes().delta;
  }

  public Changes changes() {
    if (changes == null) {
      Set<Object> added = new HashSet<>();
      Set<Object> deleted = new HashSet<>();
      List<Map<String, Object>> delta = new ArrayList<>();
      Set<String> changed = transaction.changed.getOrDefault(target, Collections.emptySet());
      if (changed.contains(null)) {
        Map<String, Object> lastOp = null;
        for (Item item = target.start; item != null; item = item.right) {
          if (item.isDeleted()) {
            if (deletes(item) && !adds(item)) {
              if (lastOp == null || !lastOp.containsKey("delete")) {
                if (lastOp != null) {
                  delta.add(lastOp);
                }
                lastOp = new LinkedHashMap<>();
                lastOp.put("delete", 0);
              }
              lastOp.put("delete", (Integer) lastOp.get("delete") + item.length);
              deleted.add(item);
            }
          } else {
            if (adds(item)) {
              if (lastOp == null || !lastOp.containsKey("insert")) {
                if (lastOp != null) {
                  delta.add(lastOp);
                }
                lastOp = new LinkedHashMap<>();
                lastOp.put("insert", new ArrayList<>());
              }
              @SuppressWarnings("unchecked")
              List<Object> ins = (List<Object>) lastOp.get("insert");
              ins.addAll(item.content.getContent());
              added.add(item);
            } else {
              if (lastOp == null || !lastOp.containsKey("retain")) {
                if (lastOp != null) {
                  delta.add(lastOp);
                }
                lastOp = new LinkedHashMap<>();
                lastOp.put("retain", 0);
              }
              lastOp.put("retain", (Integer) lastOp.get("retain") + item.length);
            }
          }
        }
        if (lastOp != null && !lastOp.containsKey("retain")) {
          delta.add(lastOp);
        }
      }
      changes = new Changes(added, deleted, delta, keys());
    }
    return changes;
  }

  static List<Object> getPathTo(AbstractType<?> parent, AbstractType<?> child) {
    List<Object> path = new ArrayList<>();
    while (child.item != null && child != parent) {
      if (child.item.parentSub != null) {
        path.add(0, child.item.parentSub);
      } else {
        int i = 0;
        Item c = child.item.parent.start;
        while (c != child.item && c != null) {
          if (!c.isDeleted() && c.countable()) {
            i += c.length;
          }
          c = c.right;
        }
        path.add(0, i);
      }
      child = child.item.parent;
    }
    return path;
  }
}
