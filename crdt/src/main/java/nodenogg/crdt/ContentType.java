package nodenogg.crdt;

import java.util.Collections;
import java.util.List;
import nodenogg.crdt.encoding.DecodingException;

/**
 * A nested shared type (ref 7). Type refs: 0 YArray, 1 YMap, 2 YText, 3 XmlElement, 4 XmlFragment,
 * 5 XmlHook, 6 XmlText.
 */
final class ContentType implements Content {
  final AbstractType<?> type;

  ContentType(AbstractType<?> type) {
    this.type = type;
  }

  static ContentType read(UpdateDecoder d, int pos) {
    int ref = d.readTypeRef();
    switch (ref) {
      case 0:
        return new ContentType(new YArray());
      case 1:
        return new ContentType(new YMap());
      case 2:
        return new ContentType(new YText());
      case 3:
        return new ContentType(new YXmlElement(d.readKey()));
      case 4:
        return new ContentType(new YXmlFragment());
      case 5:
        return new ContentType(new YXmlHook(d.readKey()));
      case 6:
        return new ContentType(new YXmlText());
      default:
        throw new DecodingException(pos, "type ref 0..6", "Unknown type ref " + ref);
    }
  }

  @Override
  public int getLength() {
    return 1;
  }

  @Override
  public List<Object> getContent() {
    return Collections.singletonList(type);
  }

  @Override
  public boolean isCountable() {
    return true;
  }

  @Override
  public Content copy() {
    return new ContentType(type.copyEmpty());
  }

  @Override
  public Content splice(int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void integrate(Transaction transaction, Item item) {
    type.integrate(transaction.doc, item);
  }

  /**
   * Deletes every child, depth first in Yjs's recursion order, without recursing on the Java stack.
   */
  @Override
  public void delete(Transaction transaction) {
    java.util.ArrayDeque<Frame> stack = new java.util.ArrayDeque<>();
    stack.push(new Frame(type));
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      Item item = f.next();
      if (item == null) {
        transaction.changed.remove(f.type);
        stack.pop();
        continue;
      }
      if (!item.isDeleted()) {
        item.deleteShallow(transaction);
        if (item.content instanceof ContentType) {
          stack.push(new Frame(((ContentType) item.content).type));
        } else {
          item.content.delete(transaction);
        }
      } else if (item.id.clock < transaction.beforeState.getOrDefault(item.id.client, 0L)) {
        transaction.mergeStructs.add(item);
      }
    }
  }

  /**
   * Iterates a type's list items, then its current map items (yjs: _start chain, then
   * _map.forEach).
   */
  private static final class Frame {
    final AbstractType<?> type;
    Item listCursor;
    java.util.Iterator<Item> mapIter;

    Frame(AbstractType<?> type) {
      this.type = type;
      this.listCursor = type.start;
    }

    Item next() {
      if (listCursor != null) {
        Item r = listCursor;
        listCursor = listCursor.right;
        return r;
      }
      if (mapIter == null) {
        mapIter = new java.util.ArrayList<>(type.map.values()).iterator();
      }
      return mapIter.hasNext() ? mapIter.next() : null;
    }
  }

  /** Garbage-collects every child (order does not matter), without recursing on the Java stack. */
  @Override
  public void gc(StructStore store) {
    java.util.ArrayDeque<AbstractType<?>> types = new java.util.ArrayDeque<>();
    types.push(type);
    while (!types.isEmpty()) {
      AbstractType<?> t = types.pop();
      for (Item item = t.start; item != null; item = item.right) {
        gcChild(store, item, types);
      }
      t.start = null;
      for (Item it : t.map.values()) {
        for (Item i = it; i != null; i = i.left) {
          gcChild(store, i, types);
        }
      }
      t.map = new java.util.LinkedHashMap<>();
    }
  }

  private static void gcChild(
      StructStore store, Item item, java.util.ArrayDeque<AbstractType<?>> types) {
    if (!item.isDeleted()) {
      throw new IllegalStateException("gc of a live item");
    }
    if (item.content instanceof ContentType) {
      types.push(((ContentType) item.content).type);
    } else {
      item.content.gc(store);
    }
    store.replaceStruct(item, new GC(item.id, item.length));
  }

  @Override
  public void write(UpdateEncoder encoder, int offset) {
    type.writeTypeRef(encoder);
  }

  @Override
  public int getRef() {
    return 7;
  }
}
