package nodenogg.crdt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import nodenogg.crdt.encoding.JsStrings;

/**
 * Shared rich text (yjs types/YText.js). Indexes and lengths count UTF-16 code units. Formatting is
 * stored as ContentFormat boundary items; embeds are single units. {@code new YText()} is
 * preliminary. Thread-safety: see {@link Doc}.
 */
public class YText extends AbstractType<YTextEvent> {
  private List<Consumer<YText>> pending = new ArrayList<>();

  public YText() {
    searchMarker = new ArrayList<>();
  }

  public YText(String initial) {
    this();
    if (initial != null) {
      pending.add(t -> t.insert(0, initial));
    }
  }

  @Override
  void integrate(Doc y, Item it) {
    super.integrate(y, it);
    List<Consumer<YText>> p = pending;
    pending = null;
    if (p != null) {
      for (Consumer<YText> f : p) {
        f.accept(this);
      }
    }
  }

  @Override
  AbstractType<?> copyEmpty() {
    return new YText();
  }

  @Override
  void writeTypeRef(UpdateEncoder encoder) {
    encoder.writeTypeRef(2);
  }

  @Override
  void callObserver(Transaction transaction, Set<String> parentSubs) {
    super.callObserver(transaction, parentSubs);
    callTypeObservers(transaction, new YTextEvent(this, transaction, parentSubs));
    if (!transaction.local && hasFormatting) {
      transaction.needFormattingCleanup = true;
    }
  }

  @Override
  void observerSideEffects(Transaction transaction) {
    super.observerSideEffects(transaction);
    if (!transaction.local && hasFormatting) {
      transaction.needFormattingCleanup = true;
    }
  }

  // ------------------------------------------------------------------ position helpers

  static final class Pos {
    Item left;
    Item right;
    int index;
    final Map<String, Object> currentAttributes;

    Pos(Item left, Item right, int index, Map<String, Object> currentAttributes) {
      this.left = left;
      this.right = right;
      this.index = index;
      this.currentAttributes = currentAttributes;
    }

    void forward() {
      if (right == null) {
        throw new IllegalStateException("unexpected end of text");
      }
      if (right.content instanceof ContentFormat) {
        if (!right.isDeleted()) {
          updateCurrentAttributes(currentAttributes, (ContentFormat) right.content);
        }
      } else if (!right.isDeleted()) {
        index += right.length;
      }
      left = right;
      right = right.right;
    }
  }

  static void updateCurrentAttributes(Map<String, Object> attrs, ContentFormat f) {
    if (f.value == null) {
      attrs.remove(f.key);
    } else {
      attrs.put(f.key, f.value);
    }
  }

  /** JS {@code ===} on attribute values (numbers compare numerically, objects by reference). */
  static boolean strictEquals(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    if (a instanceof String || a instanceof Boolean) {
      return a.equals(b);
    }
    return false;
  }

  /** yjs equalAttrs: strict equality, or flat equality of two objects. */
  static boolean equalAttrs(Object a, Object b) {
    if (strictEquals(a, b)) {
      return true;
    }
    if (a instanceof Map && b instanceof Map) {
      Map<?, ?> ma = (Map<?, ?>) a;
      Map<?, ?> mb = (Map<?, ?>) b;
      if (ma.size() != mb.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        if (!mb.containsKey(e.getKey()) || !strictEquals(e.getValue(), mb.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  static Pos findNextPosition(Transaction transaction, Pos pos, int count) {
    while (pos.right != null && count > 0) {
      if (pos.right.content instanceof ContentFormat) {
        if (!pos.right.isDeleted()) {
          updateCurrentAttributes(pos.currentAttributes, (ContentFormat) pos.right.content);
        }
      } else if (!pos.right.isDeleted()) {
        if (count < pos.right.length) {
          transaction.doc.store.getItemCleanStart(
              transaction, new ID(pos.right.id.client, pos.right.id.clock + count));
        }
        pos.index += pos.right.length;
        count -= pos.right.length;
      }
      pos.left = pos.right;
      pos.right = pos.right.right;
    }
    return pos;
  }

  Pos findPosition(Transaction transaction, int index, boolean useSearchMarker) {
    Map<String, Object> currentAttributes = new LinkedHashMap<>();
    ArraySearchMarker marker = useSearchMarker ? ArraySearchMarker.find(this, index) : null;
    if (marker != null) {
      return findNextPosition(
          transaction,
          new Pos(marker.p.left, marker.p, marker.index, currentAttributes),
          index - marker.index);
    }
    return findNextPosition(transaction, new Pos(null, start, 0, currentAttributes), index);
  }

  private Item newItem(Transaction tr, Item left, Item right, Content content) {
    long own = tr.doc.clientId;
    return new Item(
        new ID(own, tr.doc.store.getState(own)),
        left,
        left == null ? null : left.lastId(),
        right,
        right == null ? null : right.id,
        this,
        null,
        content);
  }

  void insertNegatedAttributes(Transaction tr, Pos currPos, Map<String, Object> negated) {
    while (currPos.right != null
        && (currPos.right.isDeleted()
            || (currPos.right.content instanceof ContentFormat
                && negated.containsKey(((ContentFormat) currPos.right.content).key)
                && equalAttrs(
                    negated.get(((ContentFormat) currPos.right.content).key),
                    ((ContentFormat) currPos.right.content).value)))) {
      if (!currPos.right.isDeleted()) {
        negated.remove(((ContentFormat) currPos.right.content).key);
      }
      currPos.forward();
    }
    for (Map.Entry<String, Object> e : negated.entrySet()) {
      Item nextFormat =
          newItem(tr, currPos.left, currPos.right, new ContentFormat(e.getKey(), e.getValue()));
      nextFormat.integrate(tr, 0);
      currPos.right = nextFormat;
      currPos.forward();
    }
  }

  static void minimizeAttributeChanges(Pos currPos, Map<String, Object> attributes) {
    while (currPos.right != null) {
      if (currPos.right.isDeleted()
          || (currPos.right.content instanceof ContentFormat
              && equalAttrs(
                  attributes.get(((ContentFormat) currPos.right.content).key),
                  ((ContentFormat) currPos.right.content).value))) {
        currPos.forward();
      } else {
        break;
      }
    }
  }

  Map<String, Object> insertAttributes(
      Transaction tr, Pos currPos, Map<String, Object> attributes) {
    Map<String, Object> negated = new LinkedHashMap<>();
    for (String key : JsStrings.objectKeys(attributes)) {
      Object val = attributes.get(key);
      Object currentVal = currPos.currentAttributes.get(key);
      if (!equalAttrs(currentVal, val)) {
        negated.put(key, currentVal);
        currPos.right = newItem(tr, currPos.left, currPos.right, new ContentFormat(key, val));
        currPos.right.integrate(tr, 0);
        currPos.forward();
      }
    }
    return negated;
  }

  void insertText(Transaction tr, Pos currPos, Object text, Map<String, Object> attributes) {
    for (String key : currPos.currentAttributes.keySet()) {
      if (!attributes.containsKey(key)) {
        attributes.put(key, null);
      }
    }
    minimizeAttributeChanges(currPos, attributes);
    Map<String, Object> negated = insertAttributes(tr, currPos, attributes);
    Content content =
        text instanceof String
            ? new ContentString((String) text)
            : (text instanceof AbstractType
                ? new ContentType((AbstractType<?>) text)
                : new ContentEmbed(text));
    if (searchMarker != null) {
      ArraySearchMarker.updateChanges(searchMarker, currPos.index, content.getLength());
    }
    int index = currPos.index;
    Item right = newItem(tr, currPos.left, currPos.right, content);
    right.integrate(tr, 0);
    currPos.right = right;
    currPos.index = index;
    currPos.forward();
    insertNegatedAttributes(tr, currPos, negated);
  }

  void formatText(Transaction tr, Pos currPos, int length, Map<String, Object> attributes) {
    minimizeAttributeChanges(currPos, attributes);
    Map<String, Object> negated = insertAttributes(tr, currPos, attributes);
    iteration:
    while (currPos.right != null
        && (length > 0
            || (!negated.isEmpty()
                && (currPos.right.isDeleted()
                    || currPos.right.content instanceof ContentFormat)))) {
      if (!currPos.right.isDeleted()) {
        if (currPos.right.content instanceof ContentFormat) {
          ContentFormat cf = (ContentFormat) currPos.right.content;
          if (attributes.containsKey(cf.key)) {
            Object attr = attributes.get(cf.key);
            if (equalAttrs(attr, cf.value)) {
              negated.remove(cf.key);
            } else {
              if (length == 0) {
                break iteration;
              }
              negated.put(cf.key, cf.value);
            }
            currPos.right.delete(tr);
          } else {
            currPos.currentAttributes.put(cf.key, cf.value);
          }
        } else {
          if (length < currPos.right.length) {
            tr.doc.store.getItemCleanStart(
                tr, new ID(currPos.right.id.client, currPos.right.id.clock + length));
          }
          length -= currPos.right.length;
        }
      }
      currPos.forward();
    }
    if (length > 0) {
      StringBuilder nl = new StringBuilder();
      for (; length > 0; length--) {
        nl.append('\n');
      }
      currPos.right = newItem(tr, currPos.left, currPos.right, new ContentString(nl.toString()));
      currPos.right.integrate(tr, 0);
      currPos.forward();
    }
    insertNegatedAttributes(tr, currPos, negated);
  }

  static int cleanupFormattingGap(
      Transaction tr,
      Item start,
      Item curr,
      Map<String, Object> startAttributes,
      Map<String, Object> currAttributes) {
    Item end = start;
    Map<String, ContentFormat> endFormats = new LinkedHashMap<>();
    while (end != null && (!end.countable() || end.isDeleted())) {
      if (!end.isDeleted() && end.content instanceof ContentFormat) {
        ContentFormat cf = (ContentFormat) end.content;
        endFormats.put(cf.key, cf);
      }
      end = end.right;
    }
    int cleanups = 0;
    boolean reachedCurr = false;
    while (start != end) {
      if (curr == start) {
        reachedCurr = true;
      }
      if (!start.isDeleted() && start.content instanceof ContentFormat) {
        ContentFormat cf = (ContentFormat) start.content;
        Object startAttrValue = startAttributes.get(cf.key);
        if (endFormats.get(cf.key) != cf || strictEquals(startAttrValue, cf.value)) {
          start.delete(tr);
          cleanups++;
          if (!reachedCurr
              && strictEquals(currAttributes.get(cf.key), cf.value)
              && !strictEquals(startAttrValue, cf.value)) {
            if (startAttrValue == null) {
              currAttributes.remove(cf.key);
            } else {
              currAttributes.put(cf.key, startAttrValue);
            }
          }
        }
        if (!reachedCurr && !start.isDeleted()) {
          updateCurrentAttributes(currAttributes, cf);
        }
      }
      start = start.right;
    }
    return cleanups;
  }

  static void cleanupContextlessFormattingGap(Transaction tr, Item item) {
    while (item != null
        && item.right != null
        && (item.right.isDeleted() || !item.right.countable())) {
      item = item.right;
    }
    Set<String> attrs = new HashSet<>();
    while (item != null && (item.isDeleted() || !item.countable())) {
      if (!item.isDeleted() && item.content instanceof ContentFormat) {
        String key = ((ContentFormat) item.content).key;
        if (attrs.contains(key)) {
          item.delete(tr);
        } else {
          attrs.add(key);
        }
      }
      item = item.left;
    }
  }

  /**
   * yjs cleanupYTextFormatting; works on any type (a hostile update can put formats into any
   * parent).
   */
  static int cleanupFormatting(AbstractType<?> type) {
    return type.doc.transaction(
        tr -> {
          int res = 0;
          Item s = type.start;
          Item end = type.start;
          Map<String, Object> startAttributes = new LinkedHashMap<>();
          Map<String, Object> currentAttributes = new LinkedHashMap<>(startAttributes);
          while (end != null) {
            if (!end.isDeleted()) {
              if (end.content instanceof ContentFormat) {
                updateCurrentAttributes(currentAttributes, (ContentFormat) end.content);
              } else {
                res += cleanupFormattingGap(tr, s, end, startAttributes, currentAttributes);
                startAttributes = new LinkedHashMap<>(currentAttributes);
                s = end;
              }
            }
            end = end.right;
          }
          return res;
        },
        null,
        true);
  }

  static void cleanupAfterTransaction(Transaction transaction) {
    Set<AbstractType<?>> needFullCleanup = new java.util.LinkedHashSet<>();
    Doc doc = transaction.doc;
    for (Map.Entry<Long, Long> e : transaction.afterState.entrySet()) {
      long clock = transaction.beforeState.getOrDefault(e.getKey(), 0L);
      long afterClock = e.getValue();
      if (afterClock == clock) {
        continue;
      }
      // Yjs passes afterClock as the length, so this runs to the end of the client's structs
      StructStore.iterateStructs(
          transaction,
          doc.store.clients.get(e.getKey()),
          clock,
          afterClock,
          s -> {
            if (s instanceof Item
                && !s.isDeleted()
                && ((Item) s).content instanceof ContentFormat) {
              needFullCleanup.add(((Item) s).parent);
            }
          });
    }
    doc.transact(
        t -> {
          iterateDeletedStructs(
              transaction,
              transaction.deleteSet,
              s -> {
                if (!(s instanceof Item)) {
                  return;
                }
                Item item = (Item) s;
                if (item.parent == null
                    || !item.parent.hasFormatting
                    || needFullCleanup.contains(item.parent)) {
                  return;
                }
                AbstractType<?> parent = item.parent;
                if (item.content instanceof ContentFormat) {
                  needFullCleanup.add(parent);
                } else {
                  cleanupContextlessFormattingGap(t, item);
                }
              });
          for (AbstractType<?> type : needFullCleanup) {
            cleanupFormatting(type);
          }
        });
  }

  static void iterateDeletedStructs(
      Transaction transaction, DeleteSet ds, Consumer<AbstractStruct> f) {
    for (Map.Entry<Long, List<DeleteSet.DeleteItem>> e : ds.clients.entrySet()) {
      ArrayList<AbstractStruct> structs = transaction.doc.store.clients.get(e.getKey());
      if (structs != null) {
        AbstractStruct last = structs.get(structs.size() - 1);
        long clockState = last.id.clock + last.length;
        for (DeleteSet.DeleteItem del : e.getValue()) {
          if (del.clock >= clockState) {
            break;
          }
          StructStore.iterateStructs(transaction, structs, del.clock, del.len, f);
        }
      }
    }
  }

  Pos deleteText(Transaction tr, Pos currPos, int length) {
    int startLength = length;
    Map<String, Object> startAttrs = new LinkedHashMap<>(currPos.currentAttributes);
    Item s = currPos.right;
    while (length > 0 && currPos.right != null) {
      if (!currPos.right.isDeleted()) {
        Content c = currPos.right.content;
        if (c instanceof ContentType || c instanceof ContentEmbed || c instanceof ContentString) {
          if (length < currPos.right.length) {
            tr.doc.store.getItemCleanStart(
                tr, new ID(currPos.right.id.client, currPos.right.id.clock + length));
          }
          length -= currPos.right.length;
          currPos.right.delete(tr);
        }
      }
      currPos.forward();
    }
    if (s != null) {
      cleanupFormattingGap(tr, s, currPos.right, startAttrs, currPos.currentAttributes);
    }
    AbstractType<?> parent = (currPos.left != null ? currPos.left : currPos.right).parent;
    if (parent.searchMarker != null) {
      ArraySearchMarker.updateChanges(parent.searchMarker, currPos.index, -startLength + length);
    }
    return currPos;
  }

  // ------------------------------------------------------------------ public API

  /** Length in UTF-16 code units (embeds count 1, formatting 0). */
  public int length() {
    return withLock(() -> length);
  }

  @Override
  public String toString() {
    return withLock(
        () -> {
          StringBuilder sb = new StringBuilder();
          for (Item n = start; n != null; n = n.right) {
            if (!n.isDeleted() && n.countable() && n.content instanceof ContentString) {
              sb.append(((ContentString) n.content).str());
            }
          }
          return sb.toString();
        });
  }

  @Override
  public Object toJSON() {
    return toString();
  }

  /** Inserts text that takes over the formatting at {@code index}. */
  public void insert(int index, String text) {
    insertInternal(index, text, null);
  }

  /** Inserts text with exactly these attributes (others present at the position are turned off). */
  public void insert(int index, String text, Map<String, Object> attrs) {
    requireJsonAttributes(attrs);
    insertInternal(index, text, attrs == null ? new LinkedHashMap<>() : attrs);
  }

  /**
   * Formatting values and embeds are stored as JSON (as Yjs does), so a value JSON cannot hold is
   * refused here, before anything changes, not later when the update is encoded.
   */
  private static void requireJsonAttributes(Map<String, Object> attrs) {
    if (attrs != null) {
      for (Map.Entry<String, Object> e : attrs.entrySet()) {
        requireJson(e.getValue(), "formatting attribute '" + e.getKey() + "'");
      }
    }
  }

  private static void requireJson(Object value, String what) {
    try {
      Json.stringify(value);
    } catch (JsonException e) {
      throw new IllegalArgumentException(
          what
              + " cannot be stored as JSON: "
              + e.getMessage()
              + " (use null, Boolean, Number, String, List or Map with String keys)",
          e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void requireJsonDelta(List<Map<String, Object>> delta) {
    for (Map<String, Object> op : delta) {
      if (op.get("attributes") instanceof Map) {
        requireJsonAttributes((Map<String, Object>) op.get("attributes"));
      }
      Object ins = op.get("insert");
      if (ins != null && !(ins instanceof String) && !(ins instanceof AbstractType)) {
        requireJson(ins, "embed");
      }
    }
  }

  private void insertInternal(int index, String text, Map<String, Object> attrs) {
    if (text.isEmpty()) {
      return;
    }
    if (doc == null) {
      pending.add(t -> t.insertInternal(index, text, attrs));
      return;
    }
    transact(
        tr -> {
          checkIndex(index);
          Pos pos = findPosition(tr, index, attrs == null);
          Map<String, Object> a;
          if (attrs == null) {
            a = new LinkedHashMap<>(pos.currentAttributes);
          } else {
            a = new LinkedHashMap<>(attrs);
          }
          insertText(tr, pos, text, a);
        });
  }

  private void checkIndex(int index) {
    if (index < 0 || index > length) {
      throw new IndexOutOfBoundsException("index " + index + " outside text of length " + length);
    }
  }

  /** Inserts an embed (a plain object value or a shared type) of length 1. */
  public void insertEmbed(int index, Object embed, Map<String, Object> attrs) {
    if (!(embed instanceof AbstractType)) {
      requireJson(embed, "embed");
    }
    requireJsonAttributes(attrs);
    if (doc == null) {
      pending.add(t -> t.insertEmbed(index, embed, attrs));
      return;
    }
    transact(
        tr -> {
          checkIndex(index);
          Pos pos = findPosition(tr, index, attrs == null);
          insertText(
              tr, pos, embed, attrs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(attrs));
        });
  }

  public void delete(int index, int len) {
    if (len == 0) {
      return;
    }
    if (doc == null) {
      pending.add(t -> t.delete(index, len));
      return;
    }
    transact(
        tr -> {
          if (index < 0 || len < 0 || index + len > length) {
            throw new IndexOutOfBoundsException(
                "delete(" + index + ", " + len + ") outside text of length " + length);
          }
          deleteText(tr, findPosition(tr, index, true), len);
        });
  }

  /** Sets attributes on a range; a null value removes the attribute. */
  public void format(int index, int len, Map<String, Object> attrs) {
    requireJsonAttributes(attrs);
    if (len == 0) {
      return;
    }
    if (doc == null) {
      pending.add(t -> t.format(index, len, attrs));
      return;
    }
    transact(
        tr -> {
          Pos pos = findPosition(tr, index, false);
          if (pos.right == null) {
            return;
          }
          formatText(tr, pos, len, new LinkedHashMap<>(attrs));
        });
  }

  /** Quill-style delta: maps with "insert" (String or embed) and optional "attributes". */
  public List<Map<String, Object>> toDelta() {
    return withLock(
        () -> {
          List<Map<String, Object>> ops = new ArrayList<>();
          Map<String, Object> currentAttributes = new LinkedHashMap<>();
          StringBuilder str = new StringBuilder();
          for (Item n = start; n != null; n = n.right) {
            if (n.isDeleted()) {
              continue;
            }
            if (n.content instanceof ContentString) {
              str.append(((ContentString) n.content).str());
            } else if (n.content instanceof ContentType || n.content instanceof ContentEmbed) {
              packStr(ops, str, currentAttributes);
              Map<String, Object> op = new LinkedHashMap<>();
              op.put("insert", n.content.getContent().get(0));
              if (!currentAttributes.isEmpty()) {
                op.put("attributes", new LinkedHashMap<>(currentAttributes));
              }
              ops.add(op);
            } else if (n.content instanceof ContentFormat) {
              packStr(ops, str, currentAttributes);
              updateCurrentAttributes(currentAttributes, (ContentFormat) n.content);
            }
          }
          packStr(ops, str, currentAttributes);
          return ops;
        });
  }

  /**
   * The text as it was at {@code snapshot}, with {@code ychange} marks against {@code prevSnapshot}
   * (either may be null).
   */
  public List<Map<String, Object>> toDelta(Snapshot snapshot, Snapshot prevSnapshot) {
    return SnapshotDelta.toDelta(this, snapshot, prevSnapshot, null);
  }

  /**
   * As {@link #toDelta(Snapshot, Snapshot)}; {@code computeYChange(type, id)} builds each ychange
   * value.
   */
  public List<Map<String, Object>> toDelta(
      Snapshot snapshot,
      Snapshot prevSnapshot,
      java.util.function.BiFunction<String, ID, Object> computeYChange) {
    return SnapshotDelta.toDelta(this, snapshot, prevSnapshot, computeYChange);
  }

  private static void packStr(
      List<Map<String, Object>> ops, StringBuilder str, Map<String, Object> attrs) {
    if (str.length() > 0) {
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("insert", str.toString());
      if (!attrs.isEmpty()) {
        op.put("attributes", new LinkedHashMap<>(attrs));
      }
      ops.add(op);
      str.setLength(0);
    }
  }

  /** Applies a Quill-style delta ("insert" / "retain" / "delete", optional "attributes"). */
  @SuppressWarnings("unchecked")
  public void applyDelta(List<Map<String, Object>> delta) {
    requireJsonDelta(delta);
    if (doc == null) {
      pending.add(t -> t.applyDelta(delta));
      return;
    }
    transact(
        tr -> {
          Pos currPos = new Pos(null, start, 0, new LinkedHashMap<>());
          for (Map<String, Object> op : delta) {
            Map<String, Object> attrs =
                op.get("attributes") instanceof Map
                    ? new LinkedHashMap<>((Map<String, Object>) op.get("attributes"))
                    : new LinkedHashMap<>();
            if (op.containsKey("insert")) {
              Object ins = op.get("insert");
              if (!(ins instanceof String) || !((String) ins).isEmpty()) {
                insertText(tr, currPos, ins, attrs);
              }
            } else if (op.containsKey("retain")) {
              formatText(tr, currPos, ((Number) op.get("retain")).intValue(), attrs);
            } else if (op.containsKey("delete")) {
              deleteText(tr, currPos, ((Number) op.get("delete")).intValue());
            }
          }
        });
  }

  /** Sets a type-level attribute (stored in the map part of the type, like Yjs). */
  public void setAttribute(String name, Object value) {
    transact(tr -> mapSet(tr, name, value));
  }

  public Object getAttribute(String name) {
    return withLock(() -> mapGet(name));
  }

  public void removeAttribute(String name) {
    transact(tr -> mapDelete(tr, name));
  }
}
