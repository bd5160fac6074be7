package nodenogg.crdt;

/*
 * Design: Item is the YATA list element, a line-by-line counterpart of yjs src/structs/Item.js so the
 * two can be read side by side. An item owns a run of `length` clock units of one client, with content
 * (Content*), the IDs of its original neighbours at creation time (origin = left ID, rightOrigin = right
 * ID) and the live doubly-linked neighbours (left/right) inside its parent type (a list, or the history of
 * one map key when parentSub != null). Items are split (splitItem) when an operation lands inside them
 * and re-merged after each transaction (Transaction.cleanup) exactly where Yjs merges, because the
 * merge state decides the encoded bytes. Decoded items arrive with parent unresolved (parentYKey for a
 * root name, parentId for a nested type's item); getMissing() resolves them once dependencies exist.
 * Flags live in one int like Yjs's `info`: KEEP, COUNTABLE, DELETED, MARKER.
 */
final class Item extends AbstractStruct {
  static final int KEEP = 1;
  static final int COUNTABLE = 2;
  static final int DELETED = 4;
  static final int MARKER = 8;

  ID origin;
  Item left;
  Item right;
  ID rightOrigin;
  AbstractType<?> parent;

  /** Unresolved parent from the wire: a nested type's item id, or a root type name. */
  ID parentId;

  String parentYKey;
  String parentSub;
  ID redone;
  Content content;
  int info;

  /** Set by getMissing when a neighbour or the parent turned out to be garbage-collected. */
  private boolean gcParent;

  Item(
      ID id,
      Item left,
      ID origin,
      Item right,
      ID rightOrigin,
      AbstractType<?> parent,
      String parentSub,
      Content content) {
    super(id, content.getLength());
    this.origin = origin;
    this.left = left;
    this.right = right;
    this.rightOrigin = rightOrigin;
    this.parent = parent;
    this.parentSub = parentSub;
    this.content = content;
    this.info = content.isCountable() ? COUNTABLE : 0;
  }

  boolean marker() {
    return (info & MARKER) != 0;
  }

  void setMarker(boolean m) {
    info = m ? info | MARKER : info & ~MARKER;
  }

  boolean keep() {
    return (info & KEEP) != 0;
  }

  void setKeep(boolean k) {
    info = k ? info | KEEP : info & ~KEEP;
  }

  boolean countable() {
    return (info & COUNTABLE) != 0;
  }

  @Override
  boolean isDeleted() {
    return (info & DELETED) != 0;
  }

  void markDeleted() {
    info |= DELETED;
  }

  ID lastId() {
    return length == 1 ? id : new ID(id.client, id.clock + length - 1);
  }

  /** Next non-deleted item to the right. */
  Item next() {
    Item n = right;
    while (n != null && n.isDeleted()) {
      n = n.right;
    }
    return n;
  }

  Item prev() {
    Item n = left;
    while (n != null && n.isDeleted()) {
      n = n.left;
    }
    return n;
  }

  @Override
  long getMissing(Transaction transaction, StructStore store) {
    if (origin != null
        && origin.client != id.client
        && origin.clock >= store.getState(origin.client)) {
      return origin.client;
    }
    if (rightOrigin != null
        && rightOrigin.client != id.client
        && rightOrigin.clock >= store.getState(rightOrigin.client)) {
      return rightOrigin.client;
    }
    if (parentId != null
        && id.client != parentId.client
        && parentId.clock >= store.getState(parentId.client)) {
      return parentId.client;
    }
    // all dependencies exist: find the neighbours
    boolean leftGc = false;
    boolean rightGc = false;
    if (origin != null) {
      AbstractStruct l = store.getItemCleanEnd(transaction, origin);
      if (l instanceof Item) {
        left = (Item) l;
        origin = left.lastId();
      } else {
        leftGc = true;
        left = null;
      }
    }
    if (rightOrigin != null) {
      AbstractStruct r = store.getItemCleanStart(transaction, rightOrigin);
      if (r instanceof Item) {
        right = (Item) r;
        rightOrigin = right.id;
      } else {
        rightGc = true;
        right = null;
      }
    }
    if (leftGc || rightGc) {
      gcParent = true;
      parent = null;
    } else if (parentId == null && parentYKey == null) {
      if (left != null) {
        parent = left.parent;
        parentSub = left.parentSub;
        gcParent = parent == null;
      } else if (right != null) {
        parent = right.parent;
        parentSub = right.parentSub;
        gcParent = parent == null;
      }
    } else if (parentId != null) {
      AbstractStruct p = store.find(parentId);
      if (p instanceof Item && ((Item) p).content instanceof ContentType) {
        parent = ((ContentType) ((Item) p).content).type;
      } else {
        gcParent = true;
        parent = null;
      }
    } else {
      parent = transaction.doc.getOrCreateRoot(parentYKey);
    }
    return -1;
  }

  @Override
  void integrate(Transaction transaction, int offset) {
    if (offset > 0) {
      id = new ID(id.client, id.clock + offset);
      AbstractStruct l =
          transaction.doc.store.getItemCleanEnd(transaction, new ID(id.client, id.clock - 1));
      if (l instanceof Item) {
        left = (Item) l;
        origin = left.lastId();
      } else {
        left = null;
        origin =
            l.id.clock + l.length - 1 == id.clock - 1 ? new ID(id.client, id.clock - 1) : origin;
        parent = null;
        gcParent = true;
      }
      content = content.splice(offset);
      length -= offset;
    }
    if (parent == null && !gcParent && parentYKey != null) {
      parent = transaction.doc.getOrCreateRoot(parentYKey);
    }
    if (parent != null) {
      if ((left == null && (right == null || right.left != null))
          || (left != null && left.right != right)) {
        Item l = left;
        Item o;
        if (l != null) {
          o = l.right;
        } else if (parentSub != null) {
          o = parent.map.get(parentSub);
          while (o != null && o.left != null) {
            o = o.left;
          }
        } else {
          o = parent.start;
        }
        java.util.Set<Item> conflictingItems = new java.util.HashSet<>();
        java.util.Set<Item> itemsBeforeOrigin = new java.util.HashSet<>();
        StructStore store = transaction.doc.store;
        while (o != null && o != right) {
          itemsBeforeOrigin.add(o);
          conflictingItems.add(o);
          if (ID.equal(origin, o.origin)) {
            if (o.id.client < id.client) {
              l = o;
              conflictingItems.clear();
            } else if (ID.equal(rightOrigin, o.rightOrigin)) {
              break;
            }
          } else if (o.origin != null && itemsBeforeOrigin.contains(store.find(o.origin))) {
            if (!conflictingItems.contains(store.find(o.origin))) {
              l = o;
              conflictingItems.clear();
            }
          } else {
            break;
          }
          o = o.right;
        }
        left = l;
      }
      if (left != null) {
        right = left.right;
        left.right = this;
      } else {
        Item r;
        if (parentSub != null) {
          r = parent.map.get(parentSub);
          while (r != null && r.left != null) {
            r = r.left;
          }
        } else {
          r = parent.start;
          parent.start = this;
        }
        right = r;
      }
      if (right != null) {
        right.left = this;
      } else if (parentSub != null) {
        parent.map.put(parentSub, this);
        if (left != null) {
          left.delete(transaction);
        }
      }
      if (parentSub == null && countable() && !isDeleted()) {
        parent.length += length;
      }
      transaction.doc.store.addStruct(this);
      content.integrate(transaction, this);
      transaction.addChangedType(parent, parentSub);
      if ((parent.item != null && parent.item.isDeleted())
          || (parentSub != null && right != null)) {
        delete(transaction);
      }
    } else {
      new GC(id, length).integrate(transaction, 0);
    }
  }

  @Override
  boolean mergeWith(AbstractStruct r) {
    if (r.getClass() != Item.class) {
      return false;
    }
    Item rt = (Item) r;
    if (ID.equal(rt.origin, lastId())
        && right == rt
        && ID.equal(rightOrigin, rt.rightOrigin)
        && id.client == rt.id.client
        && id.clock + length == rt.id.clock
        && isDeleted() == rt.isDeleted()
        && redone == null
        && rt.redone == null
        && content.getClass() == rt.content.getClass()
        && content.mergeWith(rt.content)) {
      java.util.List<ArraySearchMarker> markers = parent.searchMarker;
      if (markers != null) {
        for (ArraySearchMarker m : markers) {
          if (m.p == rt) {
            m.p = this;
            if (!isDeleted() && countable()) {
              m.index -= length;
            }
          }
        }
      }
      if (rt.keep()) {
        setKeep(true);
      }
      right = rt.right;
      if (right != null) {
        right.left = this;
      }
      length += rt.length;
      return true;
    }
    return false;
  }

  void delete(Transaction transaction) {
    if (!isDeleted()) {
      deleteShallow(transaction);
      content.delete(transaction);
    }
  }

  /** Item.delete without deleting the content (used by the iterative ContentType.delete). */
  void deleteShallow(Transaction transaction) {
    AbstractType<?> p = parent;
    if (countable() && parentSub == null) {
      p.length -= length;
    }
    markDeleted();
    transaction.deleteSet.add(id.client, id.clock, length);
    transaction.addChangedType(p, parentSub);
  }

  void gc(StructStore store, boolean parentGCd) {
    if (!isDeleted()) {
      throw new IllegalStateException("gc of a live item");
    }
    content.gc(store);
    if (parentGCd) {
      store.replaceStruct(this, new GC(id, length));
    } else {
      content = new ContentDeleted(length);
    }
  }

  @Override
  void write(UpdateEncoder encoder, int offset) {
    ID o = offset > 0 ? new ID(id.client, id.clock + offset - 1) : origin;
    ID ro = rightOrigin;
    String ps = parentSub;
    int inf =
        (content.getRef() & 0x1F)
            | (o == null ? 0 : 0x80)
            | (ro == null ? 0 : 0x40)
            | (ps == null ? 0 : 0x20);
    encoder.writeInfo(inf);
    if (o != null) {
      encoder.writeLeftID(o);
    }
    if (ro != null) {
      encoder.writeRightID(ro);
    }
    if (o == null && ro == null) {
      if (parent != null) {
        Item parentItem = parent.item;
        if (parentItem == null) {
          encoder.writeParentInfo(true);
          encoder.writeString(parent.doc.findRootTypeKey(parent));
        } else {
          encoder.writeParentInfo(false);
          encoder.writeLeftID(parentItem.id);
        }
      } else if (parentYKey != null) {
        encoder.writeParentInfo(true);
        encoder.writeString(parentYKey);
      } else if (parentId != null) {
        encoder.writeParentInfo(false);
        encoder.writeLeftID(parentId);
      } else {
        throw new IllegalStateException("item without parent information");
      }
      if (ps != null) {
        encoder.writeString(ps);
      }
    }
    content.write(encoder, offset);
  }

  /** Split this item at {@code diff}; returns the right part (yjs splitItem). */
  static Item split(Transaction transaction, Item leftItem, int diff) {
    long client = leftItem.id.client;
    long clock = leftItem.id.clock;
    Item rightItem =
        new Item(
            new ID(client, clock + diff),
            leftItem,
            new ID(client, clock + diff - 1),
            leftItem.right,
            leftItem.rightOrigin,
            leftItem.parent,
            leftItem.parentSub,
            leftItem.content.splice(diff));
    rightItem.parentId = leftItem.parentId;
    rightItem.parentYKey = leftItem.parentYKey;
    if (leftItem.isDeleted()) {
      rightItem.markDeleted();
    }
    if (leftItem.keep()) {
      rightItem.setKeep(true);
    }
    if (leftItem.redone != null) {
      rightItem.redone = new ID(leftItem.redone.client, leftItem.redone.clock + diff);
    }
    leftItem.right = rightItem;
    if (rightItem.right != null) {
      rightItem.right.left = rightItem;
    }
    transaction.mergeStructs.add(rightItem);
    if (rightItem.parentSub != null && rightItem.right == null) {
      rightItem.parent.map.put(rightItem.parentSub, rightItem);
    }
    leftItem.length = diff;
    return rightItem;
  }
}
