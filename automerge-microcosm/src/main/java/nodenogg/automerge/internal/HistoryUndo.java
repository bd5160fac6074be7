package nodenogg.automerge.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import nodenogg.microcosm.EntityType;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.ObjectId;
import org.automerge.Transaction;

/**
 * Undo and redo of one's own edits, built on Automerge's history (Automerge has no undo manager). A
 * step is what one edit call changed: the root keys it touched and the document heads just before
 * and just after it. Undoing a step compares, field by field, the entity as it was before the step
 * ({@code B}), right after it ({@code A}) and now ({@code C}), and writes back {@code B}'s value
 * only where {@code C} still equals {@code A}:
 *
 * <ul>
 *   <li>an entity the step created is deleted, unless someone changed it since;
 *   <li>an entity the step deleted is written again (a new map with the fields it had), unless
 *       someone wrote that key since;
 *   <li>fields the step changed get their old values back, except fields changed since by anyone
 *       (another device of the same identity, or an undo/redo); note HTML counts as one field: it
 *       is restored (by the smallest splice) only if nobody edited it since.
 * </ul>
 *
 * Undo writes a new change (history is never rewritten), which becomes a redo step; redo undoes
 * that change the same way. A new edit clears the redo stack. Edits within the capture timeout
 * merge into one step when nothing else changed the document between them. Identity registrations
 * are never undone.
 *
 * <p>Not thread-safe: the microcosm calls it under its document's lock.
 */
public final class HistoryUndo {

  /** One undoable edit. */
  public record Step(Set<String> keys, ChangeHash[] before, ChangeHash[] after, long at) {}

  private final Deque<Step> undo = new ArrayDeque<>();
  private final Deque<Step> redo = new ArrayDeque<>();
  private final long captureTimeoutMillis;
  private final LongSupplier clock;

  public HistoryUndo(long captureTimeoutMillis, LongSupplier clock) {
    this.captureTimeoutMillis = captureTimeoutMillis;
    this.clock = clock;
  }

  /** Records an own edit (clears redo). */
  public void recorded(Set<String> keys, ChangeHash[] before, ChangeHash[] after) {
    if (keys.isEmpty()) {
      return;
    }
    redo.clear();
    long now = clock.getAsLong();
    Step last = undo.peek();
    if (last != null
        && captureTimeoutMillis > 0
        && now - last.at() <= captureTimeoutMillis
        && java.util.Arrays.equals(last.after(), before)) {
      undo.pop();
      Set<String> merged = new LinkedHashSet<>(last.keys());
      merged.addAll(keys);
      undo.push(new Step(merged, last.before(), after, now));
    } else {
      undo.push(new Step(Set.copyOf(keys), before, after, now));
    }
  }

  public boolean canUndo() {
    return !undo.isEmpty();
  }

  public boolean canRedo() {
    return !redo.isEmpty();
  }

  /** The step {@link #revert} should undo next (undo stack), or null. */
  public Step nextUndo() {
    return undo.poll();
  }

  /** The step {@link #revert} should redo next (redo stack), or null. */
  public Step nextRedo() {
    return redo.poll();
  }

  /** Records the change an undo made (it becomes redoable). */
  public void undone(Set<String> keys, ChangeHash[] before, ChangeHash[] after) {
    if (!keys.isEmpty()) {
      redo.push(new Step(Set.copyOf(keys), before, after, clock.getAsLong()));
    }
  }

  /** Records the change a redo made (it becomes undoable again; redo is kept). */
  public void redone(Set<String> keys, ChangeHash[] before, ChangeHash[] after) {
    if (!keys.isEmpty()) {
      undo.push(new Step(Set.copyOf(keys), before, after, clock.getAsLong()));
    }
  }

  /** Writes, inside {@code tx}, what reverting {@code step} means now (see the class comment). */
  @SuppressWarnings("unchecked")
  public static void revert(Transaction tx, Step step) {
    for (String key : step.keys()) {
      if (EntityCodec.location(key).isEmpty()) {
        continue;
      }
      Object b = EntityCodec.readRoot(tx, key, step.before());
      Object a = EntityCodec.readRoot(tx, key, step.after());
      Object c = EntityCodec.readRoot(tx, key, null);
      if (a == null && b instanceof Map) {
        if (c == null) {
          EntityCodec.createFromRecord(tx, key, (Map<String, Object>) b);
        }
      } else if (b == null && a != null) {
        if (c != null && same(c, a)) {
          tx.delete(ObjectId.ROOT, key);
        }
      } else if (a instanceof Map && b instanceof Map && c instanceof Map) {
        revertFields(
            tx, key, (Map<String, Object>) b, (Map<String, Object>) a, (Map<String, Object>) c);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void revertFields(
      Transaction tx,
      String key,
      Map<String, Object> b,
      Map<String, Object> a,
      Map<String, Object> c) {
    ObjectId entity = mapId(tx.get(ObjectId.ROOT, key).orElse(null));
    if (entity == null) {
      return;
    }
    revertLevel(tx, entity, without(b, "data"), without(a, "data"), without(c, "data"), null);
    if (b.get("data") instanceof Map
        && a.get("data") instanceof Map
        && c.get("data") instanceof Map) {
      ObjectId data = mapId(tx.get(entity, "data").orElse(null));
      Map<String, Object> bd = (Map<String, Object>) b.get("data");
      if (data != null) {
        EntityType type = EntityType.fromWireName(bd.get("type")).orElse(null);
        revertLevel(
            tx,
            data,
            bd,
            (Map<String, Object>) a.get("data"),
            (Map<String, Object>) c.get("data"),
            type);
      }
    } else if (!same(b.get("data"), a.get("data")) && same(c.get("data"), a.get("data"))) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("data", b.get("data"));
      EntityCodec.updateMap(tx, entity, one, null, true);
    }
  }

  private static void revertLevel(
      Transaction tx,
      ObjectId obj,
      Map<String, Object> b,
      Map<String, Object> a,
      Map<String, Object> c,
      EntityType type) {
    Set<String> fields = new LinkedHashSet<>(b.keySet());
    fields.addAll(a.keySet());
    Map<String, Object> put = new LinkedHashMap<>();
    List<String> remove = new ArrayList<>();
    for (String f : fields) {
      if (same(b.get(f), a.get(f)) && b.containsKey(f) == a.containsKey(f)) {
        continue; // the step did not change it
      }
      if (!(same(c.get(f), a.get(f)) && c.containsKey(f) == a.containsKey(f))) {
        continue; // changed since: theirs stays
      }
      if (b.containsKey(f)) {
        put.put(f, b.get(f));
      } else {
        remove.add(f);
      }
    }
    if (!put.isEmpty()) {
      EntityCodec.updateMap(tx, obj, put, type, true);
    }
    for (String f : remove) {
      tx.delete(obj, f);
    }
  }

  private static Map<String, Object> without(Map<String, Object> m, String key) {
    Map<String, Object> out = new LinkedHashMap<>(m);
    out.remove(key);
    return out;
  }

  private static ObjectId mapId(AmValue v) {
    return v instanceof AmValue.Map m ? m.getId() : null;
  }

  private static boolean same(Object x, Object y) {
    return Objects.equals(EntityCodec.normal(x), EntityCodec.normal(y));
  }
}
