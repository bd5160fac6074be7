package nodenogg.automerge.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.EntityType;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.InvalidEntityException;
import nodenogg.microcosm.SchemaProfile;
import org.automerge.AmValue;
import org.automerge.ChangeHash;
import org.automerge.MapEntry;
import org.automerge.NewValue;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Read;
import org.automerge.Transaction;

/**
 * Reads and writes microcosm values in the Automerge layout ({@code docs/automerge-layout.md}):
 * root keys {@code @identity} → {@code true} and {@code @identity:entity} → entity map {@code {id,
 * identity_id, version, created, lastEdited, data: {type, ...}}}; note HTML is text, other strings
 * scalars; numbers f64 (timestamps int). Reading is lenient as the layout asks (any number kind,
 * text or scalar strings) and goes through {@link SchemaProfile#E5}'s validation. Stateless.
 */
public final class EntityCodec {
  private EntityCodec() {}

  /**
   * Marks a value the layout cannot hold (bytes, counters' oddities, unknown kinds) in a plain
   * tree.
   */
  public record Unreadable(String what) {
    @Override
    public String toString() {
      return "<" + what + ">";
    }
  }

  /**
   * Separates identity and entity id in an entity's root key. Not the web app's {@code /}:
   * automerge's JavaScript path functions ({@code updateText}, {@code splice}) split paths on
   * {@code /}, so a key holding one cannot be edited as text from JavaScript.
   */
  public static final String SEPARATOR = ":";

  /** The root key of an entity: {@code @identity:eEntity}. */
  public static String key(EntityLocation location) {
    return location.identityId() + SEPARATOR + location.entityId();
  }

  /** Whether a root key names an identity ({@code @…}, valid identity id). */
  public static boolean isIdentityKey(String key) {
    return key.startsWith("@") && key.indexOf(':') < 0 && IdentityId.isValid(key);
  }

  /** The location a root key names, if it is an entity key. */
  public static Optional<EntityLocation> location(String key) {
    int sep = key.indexOf(':');
    if (!key.startsWith("@") || sep < 0 || key.indexOf('/') >= 0) {
      return Optional.empty();
    }
    return EntityLocation.parse(key.substring(0, sep) + "/" + key.substring(sep + 1));
  }

  // ---- reading
  // --------------------------------------------------------------------------------------------------

  /**
   * The plain value under root key {@code key} (at {@code heads}, or now when null), or null when
   * absent.
   */
  public static Object readRoot(Read doc, String key, ChangeHash[] heads) {
    return readRoot(doc, key, heads, null);
  }

  /**
   * {@link #readRoot(Read, String, ChangeHash[])}, also telling {@code objects} the id ({@code
   * ObjectId.toString()}) of every map, list and text object in the value.
   */
  public static Object readRoot(
      Read doc, String key, ChangeHash[] heads, Consumer<String> objects) {
    Optional<AmValue> v =
        heads == null ? doc.get(ObjectId.ROOT, key) : doc.get(ObjectId.ROOT, key, heads);
    return v.map(x -> plain(doc, x, heads, 0, objects)).orElse(null);
  }

  /** Root keys (at {@code heads}, or now when null). */
  public static String[] rootKeys(Read doc, ChangeHash[] heads) {
    return (heads == null ? doc.keys(ObjectId.ROOT) : doc.keys(ObjectId.ROOT, heads))
        .orElse(new String[0]);
  }

  private static Object plain(
      Read doc, AmValue v, ChangeHash[] heads, int depth, Consumer<String> objects) {
    if (depth > 8) {
      return new Unreadable("nested too deep");
    }
    if (v instanceof AmValue.Str s) {
      return s.getValue();
    } else if (v instanceof AmValue.Text t) {
      if (objects != null) {
        objects.accept(t.getId().toString());
      }
      return (heads == null ? doc.text(t.getId()) : doc.text(t.getId(), heads)).orElse("");
    } else if (v instanceof AmValue.F64 f) {
      return f.getValue();
    } else if (v instanceof AmValue.Int i) {
      return i.getValue();
    } else if (v instanceof AmValue.UInt u) {
      return u.getValue() >= 0
          ? (Object) u.getValue()
          : (Object) Double.parseDouble(Long.toUnsignedString(u.getValue()));
    } else if (v instanceof AmValue.Bool b) {
      return b.getValue();
    } else if (v instanceof AmValue.Null) {
      return null;
    } else if (v instanceof AmValue.Counter c) {
      return c.getValue();
    } else if (v instanceof AmValue.Timestamp ts) {
      return ts.getValue().getTime();
    } else if (v instanceof AmValue.Map m) {
      if (objects != null) {
        objects.accept(m.getId().toString());
      }
      Map<String, Object> out = new LinkedHashMap<>();
      MapEntry[] entries =
          (heads == null ? doc.mapEntries(m.getId()) : doc.mapEntries(m.getId(), heads))
              .orElse(new MapEntry[0]);
      for (MapEntry e : entries) {
        out.put(e.getKey(), plain(doc, e.getValue(), heads, depth + 1, objects));
      }
      return out;
    } else if (v instanceof AmValue.List l) {
      if (objects != null) {
        objects.accept(l.getId().toString());
      }
      AmValue[] items =
          (heads == null ? doc.listItems(l.getId()) : doc.listItems(l.getId(), heads))
              .orElse(new AmValue[0]);
      List<Object> out = new ArrayList<>(items.length);
      for (AmValue x : items) {
        out.add(plain(doc, x, heads, depth + 1, objects));
      }
      return out;
    } else if (v instanceof AmValue.Bytes) {
      return new Unreadable("bytes");
    }
    return new Unreadable(v.getClass().getSimpleName());
  }

  /**
   * The entity stored under {@code location} as a plain record.
   *
   * @throws InvalidEntityException naming what is wrong
   */
  public static Entity decode(EntityLocation location, Object record) {
    if (!(record instanceof Map)) {
      throw new InvalidEntityException("an entity must be a map, got " + describe(record));
    }
    Entity e = SchemaProfile.E5.decodeEntity(record, location.identityId());
    if (!e.id().equals(location.entityId()) || !e.identityId().equals(location.identityId())) {
      throw new InvalidEntityException(
          "stored under " + key(location) + " but names " + e.identityId() + SEPARATOR + e.id());
    }
    return e;
  }

  private static String describe(Object v) {
    return v == null ? "nothing" : v instanceof String ? "a string" : v.getClass().getSimpleName();
  }

  // ---- writing
  // --------------------------------------------------------------------------------------------------

  /** The plain record of {@code e} in the layout (E5 field names; data nested). */
  public static Map<String, Object> record(Entity e) {
    return SchemaProfile.E5.encodeEntity(e);
  }

  /** Writes {@code e} as a new entity map under its location key (replacing whatever was there). */
  public static void create(Transaction tx, Entity e) {
    ObjectId m = tx.set(ObjectId.ROOT, key(e.location()), ObjectType.MAP);
    writeMap(tx, m, record(e), e.type());
  }

  /**
   * Writes a plain record (from {@link #record} or read back from history) as a new map under
   * {@code key}.
   */
  public static void createFromRecord(Transaction tx, String key, Map<String, Object> record) {
    ObjectId m = tx.set(ObjectId.ROOT, key, ObjectType.MAP);
    writeMap(tx, m, record, typeOf(record));
  }

  private static EntityType typeOf(Map<String, Object> record) {
    Object data = record.get("data");
    return data instanceof Map<?, ?> d ? EntityType.fromWireName(d.get("type")).orElse(null) : null;
  }

  private static void writeMap(
      Transaction tx, ObjectId obj, Map<String, Object> m, EntityType type) {
    for (Map.Entry<String, Object> f : m.entrySet()) {
      writeField(tx, obj, f.getKey(), f.getValue(), type);
    }
  }

  @SuppressWarnings("unchecked")
  private static void writeField(
      Transaction tx, ObjectId obj, String key, Object value, EntityType type) {
    if (value == null) {
      tx.delete(obj, key);
    } else if (value instanceof Map<?, ?> nested) {
      ObjectId child = tx.set(obj, key, ObjectType.MAP);
      for (Map.Entry<String, Object> f : ((Map<String, Object>) nested).entrySet()) {
        writeField(tx, child, f.getKey(), f.getValue(), type);
      }
    } else if (value instanceof List<?> list) {
      ObjectId l = tx.set(obj, key, ObjectType.LIST);
      long i = 0;
      for (Object item : list) {
        tx.insert(l, i++, scalar(item));
      }
    } else if (key.equals("content") && type == EntityType.HTML && value instanceof String s) {
      ObjectId t = tx.set(obj, key, ObjectType.TEXT);
      if (!s.isEmpty()) {
        tx.spliceText(t, 0, 0, s);
      }
    } else {
      tx.set(obj, key, scalar(value));
    }
  }

  private static NewValue scalar(Object v) {
    if (v instanceof String s) {
      return NewValue.str(s);
    } else if (v instanceof Boolean b) {
      return NewValue.bool(b);
    } else if (v instanceof Double || v instanceof Float) {
      return NewValue.f64(((Number) v).doubleValue());
    } else if (v instanceof Number n) {
      return NewValue.integer(n.longValue());
    }
    throw new IllegalArgumentException("the layout has no scalar for " + v);
  }

  /**
   * Changes the stored entity under {@code e}'s location so that it reads back as {@code e},
   * writing only the fields that differ (so concurrent edits of other fields survive): note HTML by
   * the smallest splice of its text, tags by the smallest splice of the list, other fields by
   * value. Falls back to {@link #create} when no entity map is stored there.
   */
  @SuppressWarnings("unchecked")
  public static void update(Transaction tx, Entity e) {
    String key = key(e.location());
    Optional<AmValue> stored = tx.get(ObjectId.ROOT, key);
    if (stored.isEmpty() || !(stored.get() instanceof AmValue.Map m)) {
      create(tx, e);
      return;
    }
    Map<String, Object> next = record(e);
    updateMap(tx, m.getId(), next, e.type(), false);
  }

  /**
   * Writes the fields of {@code next} that differ from what is stored in {@code obj}; removes the
   * others.
   */
  @SuppressWarnings("unchecked")
  public static void updateMap(
      Transaction tx,
      ObjectId obj,
      Map<String, Object> next,
      EntityType type,
      boolean keepUnlisted) {
    MapEntry[] entries = tx.mapEntries(obj).orElse(new MapEntry[0]);
    Map<String, AmValue> current = new LinkedHashMap<>();
    for (MapEntry en : entries) {
      current.put(en.getKey(), en.getValue());
    }
    for (Map.Entry<String, Object> f : next.entrySet()) {
      String k = f.getKey();
      Object want = f.getValue();
      AmValue have = current.get(k);
      if (want instanceof Map<?, ?> nestedWant && have instanceof AmValue.Map hm) {
        updateMap(tx, hm.getId(), (Map<String, Object>) nestedWant, type, false);
      } else if (want instanceof String s && have instanceof AmValue.Text ht) {
        spliceTo(tx, ht.getId(), tx.text(ht.getId()).orElse(""), s);
      } else if (want instanceof List<?> wl && have instanceof AmValue.List hl) {
        spliceList(tx, hl.getId(), wl);
      } else if (have == null
          || !Objects.equals(normal(plain(tx, have, null, 0, null)), normal(want))) {
        writeField(tx, obj, k, want, type);
      }
    }
    if (!keepUnlisted) {
      for (String k : current.keySet()) {
        if (!next.containsKey(k)) {
          tx.delete(obj, k);
        }
      }
    }
  }

  /**
   * A plain value with numbers as doubles, recursively: values compare by value whatever their
   * number kind (an int 3 and an f64 3.0 are the same field value).
   */
  public static Object normal(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    } else if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, normal(x)));
      return out;
    } else if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(normal(x)));
      return out;
    }
    return v;
  }

  /**
   * Turns text {@code from} into {@code to} by one splice over their common prefix and suffix (code
   * points).
   */
  public static void spliceTo(Transaction tx, ObjectId text, String from, String to) {
    if (from.equals(to)) {
      return;
    }
    int[] a = from.codePoints().toArray();
    int[] b = to.codePoints().toArray();
    int p = 0;
    while (p < a.length && p < b.length && a[p] == b[p]) {
      p++;
    }
    int s = 0;
    while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] == b[b.length - 1 - s]) {
      s++;
    }
    String insert = new String(b, p, b.length - p - s);
    tx.spliceText(text, p, a.length - p - s, insert);
  }

  private static void spliceList(Transaction tx, ObjectId list, List<?> want) {
    AmValue[] items = tx.listItems(list).orElse(new AmValue[0]);
    List<Object> have = new ArrayList<>(items.length);
    for (AmValue v : items) {
      have.add(plain(tx, v, null, 0, null));
    }
    if (have.equals(want)) {
      return;
    }
    int p = 0;
    while (p < have.size() && p < want.size() && Objects.equals(have.get(p), want.get(p))) {
      p++;
    }
    int s = 0;
    while (s < have.size() - p
        && s < want.size() - p
        && Objects.equals(have.get(have.size() - 1 - s), want.get(want.size() - 1 - s))) {
      s++;
    }
    for (int i = have.size() - s - 1; i >= p; i--) {
      tx.delete(list, i);
    }
    Iterator<?> add = want.subList(p, want.size() - s).iterator();
    long at = p;
    while (add.hasNext()) {
      tx.insert(list, at++, scalar(add.next()));
    }
  }
}
