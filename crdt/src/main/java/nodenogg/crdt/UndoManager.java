package nodenogg.crdt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Undo/redo of changes to a set of shared types (yjs utils/UndoManager.js). Changes made within
 * {@code captureTimeout} of each other are merged into one stack item; only transactions whose
 * origin is tracked (default: {@code null}, i.e. local changes without origin) are recorded.
 * Undo/redo run as transactions with this UndoManager as origin. Thread-safety: every method takes
 * the Doc's lock; listeners run on the calling thread.
 */
public final class UndoManager implements AutoCloseable {
  /** Options; defaults follow Yjs. */
  public static final class Options {
    long captureTimeoutMillis = 500;
    Set<Object> trackedOrigins;
    LongSupplier clock = System::currentTimeMillis;
    Predicate<List<Object>> deleteFilter = x -> true;
    Predicate<Transaction> captureTransaction = x -> true;
    boolean ignoreRemoteMapChanges;

    public Options captureTimeoutMillis(long ms) {
      this.captureTimeoutMillis = ms;
      return this;
    }

    /**
     * Origins to record; a {@link Class} entry matches every origin of that class. Default {null}.
     */
    public Options trackedOrigins(Set<Object> origins) {
      this.trackedOrigins = new HashSet<>(origins);
      return this;
    }

    /** Millisecond clock used for the capture timeout (inject for tests). */
    public Options clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    /** Decides, given an inserted item's content values, whether undo may delete it. */
    public Options deleteFilter(Predicate<List<Object>> f) {
      this.deleteFilter = f;
      return this;
    }

    public Options captureTransaction(Predicate<Transaction> f) {
      this.captureTransaction = f;
      return this;
    }

    public Options ignoreRemoteMapChanges(boolean b) {
      this.ignoreRemoteMapChanges = b;
      return this;
    }
  }

  /** Event for added / updated / popped stack items; {@code type} is "undo" or "redo". */
  public static final class StackItemEvent {
    public final StackItem stackItem;
    public final Object origin;
    public final String type;
    public final Map<AbstractType<?>, List<YEvent>> changedParentTypes;

    StackItemEvent(
        StackItem stackItem,
        Object origin,
        String type,
        Map<AbstractType<?>, List<YEvent>> changedParentTypes) {
      this.stackItem = stackItem;
      this.origin = origin;
      this.type = type;
      this.changedParentTypes = changedParentTypes;
    }
  }

  /** Event for {@link #clear}. */
  public static final class StackClearedEvent {
    public final boolean undoStackCleared;
    public final boolean redoStackCleared;

    StackClearedEvent(boolean u, boolean r) {
      this.undoStackCleared = u;
      this.redoStackCleared = r;
    }
  }

  final List<AbstractType<?>> scope = new ArrayList<>();
  final Doc doc;
  private final Options opts;
  final Set<Object> trackedOrigins;
  List<StackItem> undoStack = new ArrayList<>();
  List<StackItem> redoStack = new ArrayList<>();
  private boolean undoing;
  private boolean redoing;
  private StackItem currStackItem;
  private long lastChange;
  private final Listeners<StackItemEvent> added = new Listeners<>();
  private final Listeners<StackItemEvent> updated = new Listeners<>();
  private final Listeners<StackItemEvent> popped = new Listeners<>();
  private final Listeners<StackClearedEvent> cleared = new Listeners<>();
  private final Subscription sub;

  public UndoManager(AbstractType<?> scope) {
    this(Collections.singletonList(scope), new Options());
  }

  public UndoManager(List<? extends AbstractType<?>> scope, Options options) {
    if (scope.isEmpty() || scope.get(0).doc == null) {
      throw new IllegalArgumentException(
          "UndoManager needs at least one shared type that belongs to a Doc");
    }
    this.doc = scope.get(0).doc;
    this.opts = options;
    addToScope(scope);
    Set<Object> to =
        options.trackedOrigins != null
            ? options.trackedOrigins
            : new HashSet<>(Collections.singleton(null));
    to.add(this);
    this.trackedOrigins = to;
    this.sub = doc.onAfterTransaction(this::afterTransaction);
  }

  public void addToScope(List<? extends AbstractType<?>> types) {
    for (AbstractType<?> t : types) {
      if (t.doc != doc) {
        throw new IllegalArgumentException("All scope types must belong to the same Doc");
      }
      if (!scope.contains(t)) {
        scope.add(t);
      }
    }
  }

  public void addTrackedOrigin(Object origin) {
    trackedOrigins.add(origin);
  }

  public void removeTrackedOrigin(Object origin) {
    trackedOrigins.remove(origin);
  }

  private boolean inScope(Item item) {
    for (AbstractType<?> type : scope) {
      if (isParentOf(type, item)) {
        return true;
      }
    }
    return false;
  }

  static boolean isParentOf(AbstractType<?> parent, Item child) {
    while (child != null) {
      if (child.parent == parent) {
        return true;
      }
      child = child.parent.item;
    }
    return false;
  }

  static void keepItem(Item item, boolean keep) {
    while (item != null && item.keep() != keep) {
      item.setKeep(keep);
      item = item.parent.item;
    }
  }

  private void afterTransaction(Transaction transaction) {
    boolean scopeChanged = false;
    for (AbstractType<?> t : scope) {
      if (transaction.changedParentTypes.containsKey(t)) {
        scopeChanged = true;
        break;
      }
    }
    Object origin = transaction.origin;
    boolean tracked =
        trackedOrigins.contains(origin)
            || (origin != null && trackedOrigins.contains(origin.getClass()));
    if (!opts.captureTransaction.test(transaction) || !scopeChanged || !tracked) {
      return;
    }
    boolean und = undoing;
    boolean red = redoing;
    List<StackItem> stack = und ? redoStack : undoStack;
    if (und) {
      stopCapturing();
    } else if (!red) {
      clear(false, true);
    }
    DeleteSet insertions = new DeleteSet();
    for (Map.Entry<Long, Long> e : transaction.afterState.entrySet()) {
      long startClock = transaction.beforeState.getOrDefault(e.getKey(), 0L);
      long len = e.getValue() - startClock;
      if (len > 0) {
        insertions.add(e.getKey(), startClock, len);
      }
    }
    long now = opts.clock.getAsLong();
    boolean didAdd = false;
    if (lastChange > 0
        && now - lastChange < opts.captureTimeoutMillis
        && !stack.isEmpty()
        && !und
        && !red) {
      StackItem lastOp = stack.get(stack.size() - 1);
      List<DeleteSet> d = new ArrayList<>();
      d.add(lastOp.deletions);
      d.add(transaction.deleteSet);
      lastOp.deletions = DeleteSet.merge(d);
      List<DeleteSet> i = new ArrayList<>();
      i.add(lastOp.insertions);
      i.add(insertions);
      lastOp.insertions = DeleteSet.merge(i);
    } else {
      stack.add(new StackItem(transaction.deleteSet, insertions));
      didAdd = true;
    }
    if (!und && !red) {
      lastChange = now;
    }
    YText.iterateDeletedStructs(
        transaction,
        transaction.deleteSet,
        s -> {
          if (s instanceof Item && inScope((Item) s)) {
            keepItem((Item) s, true);
          }
        });
    StackItemEvent ev =
        new StackItemEvent(
            stack.get(stack.size() - 1),
            origin,
            und ? "redo" : "undo",
            transaction.changedParentTypes);
    if (didAdd) {
      added.call(ev);
    } else {
      updated.call(ev);
    }
  }

  private void clearStackItem(Transaction tr, StackItem stackItem) {
    YText.iterateDeletedStructs(
        tr,
        stackItem.deletions,
        s -> {
          if (s instanceof Item && inScope((Item) s)) {
            keepItem((Item) s, false);
          }
        });
  }

  /** Clears both stacks. */
  public void clear() {
    clear(true, true);
  }

  public void clear(boolean clearUndoStack, boolean clearRedoStack) {
    doc.lock.lock();
    try {
      if ((clearUndoStack && canUndo()) || (clearRedoStack && canRedo())) {
        doc.transact(
            tr -> {
              if (clearUndoStack) {
                for (StackItem it : undoStack) {
                  clearStackItem(tr, it);
                }
                undoStack = new ArrayList<>();
              }
              if (clearRedoStack) {
                for (StackItem it : redoStack) {
                  clearStackItem(tr, it);
                }
                redoStack = new ArrayList<>();
              }
              cleared.call(new StackClearedEvent(clearUndoStack, clearRedoStack));
            });
      }
    } finally {
      doc.lock.unlock();
    }
  }

  /** The next change starts a new stack item even within the capture timeout. */
  public void stopCapturing() {
    lastChange = 0;
  }

  /** Undoes the last stack item; returns it, or null when nothing could be undone. */
  public StackItem undo() {
    doc.lock.lock();
    undoing = true;
    try {
      return popStackItem(undoStack, "undo");
    } finally {
      undoing = false;
      doc.lock.unlock();
    }
  }

  public StackItem redo() {
    doc.lock.lock();
    redoing = true;
    try {
      return popStackItem(redoStack, "redo");
    } finally {
      redoing = false;
      doc.lock.unlock();
    }
  }

  public boolean canUndo() {
    return !undoStack.isEmpty();
  }

  public boolean canRedo() {
    return !redoStack.isEmpty();
  }

  public Subscription onStackItemAdded(Consumer<StackItemEvent> l) {
    return added.add(l);
  }

  public Subscription onStackItemUpdated(Consumer<StackItemEvent> l) {
    return updated.add(l);
  }

  public Subscription onStackItemPopped(Consumer<StackItemEvent> l) {
    return popped.add(l);
  }

  public Subscription onStackCleared(Consumer<StackClearedEvent> l) {
    return cleared.add(l);
  }

  /** Stops listening to the document. */
  @Override
  public void close() {
    trackedOrigins.remove(this);
    sub.close();
  }

  private StackItem popStackItem(List<StackItem> stack, String eventType) {
    StructStore store = doc.store;
    Transaction done =
        doc.transaction(
            transaction -> {
              while (!stack.isEmpty() && currStackItem == null) {
                StackItem stackItem = stack.remove(stack.size() - 1);
                Set<Item> itemsToRedo = new LinkedHashSet<>();
                List<Item> itemsToDelete = new ArrayList<>();
                boolean performedChange = false;
                YText.iterateDeletedStructs(
                    transaction,
                    stackItem.insertions,
                    s -> {
                      if (s instanceof Item) {
                        Item struct = (Item) s;
                        if (struct.redone != null) {
                          Object[] fr = followRedone(store, struct.id);
                          Item item = (Item) fr[0];
                          int diff = (Integer) fr[1];
                          if (diff > 0) {
                            item =
                                (Item)
                                    store.getItemCleanStart(
                                        transaction, new ID(item.id.client, item.id.clock + diff));
                          }
                          struct = item;
                        }
                        if (!struct.isDeleted() && inScope(struct)) {
                          itemsToDelete.add(struct);
                        }
                      }
                    });
                YText.iterateDeletedStructs(
                    transaction,
                    stackItem.deletions,
                    s -> {
                      if (s instanceof Item
                          && inScope((Item) s)
                          && !stackItem.insertions.isDeleted(s.id)) {
                        itemsToRedo.add((Item) s);
                      }
                    });
                for (Item struct : itemsToRedo) {
                  performedChange =
                      redoItem(transaction, struct, itemsToRedo, stackItem.insertions) != null
                          || performedChange;
                }
                for (int i = itemsToDelete.size() - 1; i >= 0; i--) {
                  Item item = itemsToDelete.get(i);
                  if (opts.deleteFilter.test(item.content.getContent())) {
                    item.delete(transaction);
                    performedChange = true;
                  }
                }
                currStackItem = performedChange ? stackItem : null;
              }
              for (Map.Entry<AbstractType<?>, Set<String>> e : transaction.changed.entrySet()) {
                if (e.getValue().contains(null) && e.getKey().searchMarker != null) {
                  e.getKey().searchMarker.clear();
                }
              }
              return transaction;
            },
            this,
            true);
    StackItem res = currStackItem;
    if (res != null) {
      popped.call(new StackItemEvent(res, this, eventType, done.changedParentTypes));
      currStackItem = null;
    }
    return res;
  }

  private static Object[] followRedone(StructStore store, ID id) {
    ID nextID = id;
    long diff = 0;
    AbstractStruct item;
    do {
      if (diff > 0) {
        nextID = new ID(nextID.client, nextID.clock + diff);
      }
      item = store.find(nextID);
      diff = nextID.clock - item.id.clock;
      nextID = item instanceof Item ? ((Item) item).redone : null;
    } while (nextID != null && item instanceof Item);
    return new Object[] {item, (int) diff};
  }

  private boolean isDeletedByStack(List<StackItem> stack, ID id) {
    for (StackItem s : stack) {
      if (s.deletions.isDeleted(id)) {
        return true;
      }
    }
    return false;
  }

  private Item redoItem(
      Transaction transaction, Item item, Set<Item> redoitems, DeleteSet itemsToDelete) {
    Doc d = transaction.doc;
    StructStore store = d.store;
    long ownClientID = d.clientId;
    ID redone = item.redone;
    if (redone != null) {
      return (Item) store.getItemCleanStart(transaction, redone);
    }
    Item parentItem = item.parent.item;
    Item left = null;
    Item right;
    if (parentItem != null && parentItem.isDeleted()) {
      if (parentItem.redone == null
          && (!redoitems.contains(parentItem)
              || redoItem(transaction, parentItem, redoitems, itemsToDelete) == null)) {
        return null;
      }
      while (parentItem.redone != null) {
        parentItem = (Item) store.getItemCleanStart(transaction, parentItem.redone);
      }
    }
    AbstractType<?> parentType =
        parentItem == null ? item.parent : ((ContentType) parentItem.content).type;
    if (item.parentSub == null) {
      left = item.left;
      right = item;
      while (left != null) {
        Item leftTrace = left;
        while (leftTrace != null && leftTrace.parent.item != parentItem) {
          leftTrace =
              leftTrace.redone == null
                  ? null
                  : (Item) store.getItemCleanStart(transaction, leftTrace.redone);
        }
        if (leftTrace != null && leftTrace.parent.item == parentItem) {
          left = leftTrace;
          break;
        }
        left = left.left;
      }
      while (right != null) {
        Item rightTrace = right;
        while (rightTrace != null && rightTrace.parent.item != parentItem) {
          rightTrace =
              rightTrace.redone == null
                  ? null
                  : (Item) store.getItemCleanStart(transaction, rightTrace.redone);
        }
        if (rightTrace != null && rightTrace.parent.item == parentItem) {
          right = rightTrace;
          break;
        }
        right = right.right;
      }
    } else {
      right = null;
      if (item.right != null && !opts.ignoreRemoteMapChanges) {
        left = item;
        while (left != null
            && left.right != null
            && (left.right.redone != null
                || itemsToDelete.isDeleted(left.right.id)
                || isDeletedByStack(undoStack, left.right.id)
                || isDeletedByStack(redoStack, left.right.id))) {
          left = left.right;
          while (left.redone != null) {
            left = (Item) store.getItemCleanStart(transaction, left.redone);
          }
        }
        if (left != null && left.right != null) {
          return null;
        }
      } else {
        left = parentType.map.get(item.parentSub);
      }
      if (left != null && left.parent.item != parentItem) {
        left = parentType.map.get(item.parentSub);
      }
    }
    long nextClock = store.getState(ownClientID);
    ID nextId = new ID(ownClientID, nextClock);
    Item redoneItem =
        new Item(
            nextId,
            left,
            left == null ? null : left.lastId(),
            right,
            right == null ? null : right.id,
            parentType,
            item.parentSub,
            item.content.copy());
    item.redone = nextId;
    keepItem(redoneItem, true);
    redoneItem.integrate(transaction, 0);
    return redoneItem;
  }
}
