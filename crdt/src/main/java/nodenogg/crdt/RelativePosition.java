package nodenogg.crdt;

import java.util.LinkedHashMap;
import java.util.Map;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * A position that survives concurrent edits (yjs utils/RelativePosition.js): the id of the item to
 * its right (or, at the end of a type, the type itself: a root name or the type's item id) plus an
 * association ({@code assoc >= 0}: sticks to the right character, {@code < 0}: to the left).
 * Encoding, JSON form and comparison are those of Yjs. Immutable, thread-safe; the functions that
 * read a Doc take its lock.
 */
public final class RelativePosition {
  private final ID type;
  private final String tname;
  private final ID item;
  private final int assoc;

  public RelativePosition(ID type, String tname, ID item, int assoc) {
    this.type = type;
    this.tname = tname;
    this.item = item;
    this.assoc = assoc;
  }

  /** Id of the type's item when the type is nested, else null. */
  public ID type() {
    return type;
  }

  /** Root name when the position is at the end of a root type, else null. */
  public String tname() {
    return tname;
  }

  /** Id of the character the position is attached to, or null at the end/start of a type. */
  public ID item() {
    return item;
  }

  public int assoc() {
    return assoc;
  }

  private static RelativePosition create(AbstractType<?> type, ID item, int assoc) {
    if (type.item == null) {
      return new RelativePosition(null, type.doc.findRootTypeKey(type), item, assoc);
    }
    return new RelativePosition(new ID(type.item.id.client, type.item.id.clock), null, item, assoc);
  }

  public static RelativePosition createRelativePositionFromTypeIndex(
      AbstractType<?> type, int index) {
    return createRelativePositionFromTypeIndex(type, index, 0);
  }

  /** Position at {@code index} of an integrated type (yjs createRelativePositionFromTypeIndex). */
  public static RelativePosition createRelativePositionFromTypeIndex(
      AbstractType<?> type, int index, int assoc) {
    if (type.doc == null) {
      throw new CrdtException("The type is not part of a document yet; insert it first");
    }
    return type.withLock(
        () -> {
          int i = index;
          if (assoc < 0) {
            if (i == 0) {
              return create(type, null, assoc);
            }
            i--;
          }
          for (Item t = type.start; t != null; t = t.right) {
            if (!t.isDeleted() && t.countable()) {
              if (t.length > i) {
                return create(type, new ID(t.id.client, t.id.clock + i), assoc);
              }
              i -= t.length;
            }
            if (t.right == null && assoc < 0) {
              return create(type, t.lastId(), assoc);
            }
          }
          return create(type, null, assoc);
        });
  }

  /** An index in a type, resolved from a relative position. */
  public static final class AbsolutePosition {
    private final AbstractType<?> type;
    private final int index;
    private final int assoc;

    AbsolutePosition(AbstractType<?> type, int index, int assoc) {
      this.type = type;
      this.index = index;
      this.assoc = assoc;
    }

    public AbstractType<?> type() {
      return type;
    }

    public int index() {
      return index;
    }

    public int assoc() {
      return assoc;
    }
  }

  public static AbsolutePosition createAbsolutePositionFromRelativePosition(
      RelativePosition rpos, Doc doc) {
    return createAbsolutePositionFromRelativePosition(rpos, doc, true);
  }

  /**
   * The current index of {@code rpos} in {@code doc}, or null when its item or type is not (yet)
   * known or was garbage-collected (yjs createAbsolutePositionFromRelativePosition). Pass {@code
   * followUndoneDeletions = false} when positions are shared between peers.
   */
  public static AbsolutePosition createAbsolutePositionFromRelativePosition(
      RelativePosition rpos, Doc doc, boolean followUndoneDeletions) {
    doc.lock.lock();
    try {
      StructStore store = doc.store;
      AbstractType<?> type;
      int index = 0;
      if (rpos.item != null) {
        if (store.getState(rpos.item.client) <= rpos.item.clock) {
          return null;
        }
        AbstractStruct right;
        long diff;
        if (followUndoneDeletions) {
          ID next = rpos.item;
          long d = 0;
          AbstractStruct s;
          do {
            if (d > 0) {
              next = new ID(next.client, next.clock + d);
            }
            s = store.find(next);
            d = next.clock - s.id.clock;
            next = s instanceof Item ? ((Item) s).redone : null;
          } while (next != null);
          right = s;
          diff = d;
        } else {
          right = store.find(rpos.item);
          diff = rpos.item.clock - right.id.clock;
        }
        if (!(right instanceof Item)) {
          return null;
        }
        Item r = (Item) right;
        type = r.parent;
        if (type == null) {
          return null;
        }
        if (type.item == null || !type.item.isDeleted()) {
          index = (r.isDeleted() || !r.countable()) ? 0 : (int) (diff + (rpos.assoc >= 0 ? 0 : 1));
          for (Item n = r.left; n != null; n = n.left) {
            if (!n.isDeleted() && n.countable()) {
              index += n.length;
            }
          }
        }
      } else {
        if (rpos.tname != null) {
          type = doc.getOrCreateRoot(rpos.tname);
        } else if (rpos.type != null) {
          if (store.getState(rpos.type.client) <= rpos.type.clock) {
            return null;
          }
          AbstractStruct s = store.find(rpos.type);
          if (followUndoneDeletions) {
            ID next = rpos.type;
            long d = 0;
            do {
              if (d > 0) {
                next = new ID(next.client, next.clock + d);
              }
              s = store.find(next);
              d = next.clock - s.id.clock;
              next = s instanceof Item ? ((Item) s).redone : null;
            } while (next != null);
          }
          if (s instanceof Item && ((Item) s).content instanceof ContentType) {
            type = ((ContentType) ((Item) s).content).type;
          } else {
            return null;
          }
        } else {
          throw new CrdtException(
              "Relative position names neither an item, a root name nor a type");
        }
        index = rpos.assoc >= 0 ? type.length : 0;
      }
      return new AbsolutePosition(type, index, rpos.assoc);
    } finally {
      doc.lock.unlock();
    }
  }

  /** yjs encodeRelativePosition. */
  public static byte[] encodeRelativePosition(RelativePosition rpos) {
    Lib0Encoder e = new Lib0Encoder();
    if (rpos.item != null) {
      e.writeVarUint(0);
      e.writeVarUint(rpos.item.client);
      e.writeVarUint(rpos.item.clock);
    } else if (rpos.tname != null) {
      e.writeUint8(1);
      e.writeVarString(rpos.tname);
    } else if (rpos.type != null) {
      e.writeUint8(2);
      e.writeVarUint(rpos.type.client);
      e.writeVarUint(rpos.type.clock);
    } else {
      throw new CrdtException("Relative position names neither an item, a root name nor a type");
    }
    e.writeVarInt(rpos.assoc);
    return e.toByteArray();
  }

  /** yjs decodeRelativePosition; the trailing assoc is optional (0 when absent). */
  public static RelativePosition decodeRelativePosition(byte[] buf) {
    Lib0Decoder d = new Lib0Decoder(buf);
    ID type = null;
    String tname = null;
    ID item = null;
    int p = d.pos();
    long tag = d.readVarUint();
    if (tag == 0) {
      item = new ID(d.readVarUint(), d.readVarUint());
    } else if (tag == 1) {
      tname = d.readVarString();
    } else if (tag == 2) {
      type = new ID(d.readVarUint(), d.readVarUint());
    } else {
      throw new DecodingException(
          p, "relative position tag 0..2", "Unknown relative position tag " + tag);
    }
    int ap = d.pos();
    long assoc = d.hasContent() ? d.readVarInt() : 0;
    if (assoc < Integer.MIN_VALUE || assoc > Integer.MAX_VALUE) {
      throw new DecodingException(ap, "int assoc", "assoc out of range: " + assoc);
    }
    return new RelativePosition(type, tname, item, (int) assoc);
  }

  /** yjs relativePositionToJSON: {type?, tname?, item?, assoc}; ids as {client, clock}. */
  public static Map<String, Object> relativePositionToJSON(RelativePosition rpos) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (rpos.type != null) {
      m.put("type", idJson(rpos.type));
    }
    if (rpos.tname != null && !rpos.tname.isEmpty()) {
      m.put("tname", rpos.tname);
    }
    if (rpos.item != null) {
      m.put("item", idJson(rpos.item));
    }
    m.put("assoc", rpos.assoc);
    return m;
  }

  private static Map<String, Object> idJson(ID id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("client", id.client);
    m.put("clock", id.clock);
    return m;
  }

  /** yjs createRelativePositionFromJSON. */
  public static RelativePosition createRelativePositionFromJSON(Map<String, Object> json) {
    Object assoc = json.get("assoc");
    return new RelativePosition(
        jsonId(json.get("type")),
        json.get("tname") == null ? null : String.valueOf(json.get("tname")),
        jsonId(json.get("item")),
        assoc == null ? 0 : ((Number) assoc).intValue());
  }

  private static ID jsonId(Object o) {
    if (!(o instanceof Map)) {
      return null;
    }
    Map<?, ?> m = (Map<?, ?>) o;
    return new ID(((Number) m.get("client")).longValue(), ((Number) m.get("clock")).longValue());
  }

  /** yjs compareRelativePositions. */
  public static boolean compareRelativePositions(RelativePosition a, RelativePosition b) {
    return a == b
        || (a != null
            && b != null
            && java.util.Objects.equals(a.tname, b.tname)
            && ID.equal(a.item, b.item)
            && ID.equal(a.type, b.type)
            && a.assoc == b.assoc);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelativePosition && compareRelativePositions(this, (RelativePosition) o);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        tname, item == null ? 0 : item.clock, type == null ? 0 : type.clock, assoc);
  }

  @Override
  public String toString() {
    return Json.stringify(relativePositionToJSON(this));
  }
}
