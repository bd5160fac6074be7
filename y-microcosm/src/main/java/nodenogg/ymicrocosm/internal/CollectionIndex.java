package nodenogg.ymicrocosm.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Subscription;
import nodenogg.crdt.YMap;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.EntityId;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.InvalidEntityException;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.SchemaProfile;

/**
 * The validated view of a microcosm document: which collections exist, which of their values are
 * valid entities, and the events between two views.
 *
 * <p>Incremental: observers on the {@code identities} map and on every listed collection record
 * which keys a transaction touched; {@link #flush} (called once per transaction, after the
 * observers) decodes only those values, emits events and publishes a new immutable {@link Snapshot}
 * in which only the touched collections are rebuilt. A newly listed collection is scanned whole
 * once. All methods except {@link #snapshot()} must run with the document's lock held (inside a
 * transaction or its after-transaction callback); snapshots may be read from any thread.
 */
public final class CollectionIndex implements AutoCloseable {
  /** Name of the root map listing the collections. */
  public static final String IDENTITIES = "identities";

  /** An immutable, consistent view; the all-collections maps are built on first use. */
  public static final class Snapshot {
    private final List<String> collections;
    private final Map<String, Map<String, Entity>> byCollection;
    private final Map<String, List<InvalidValue>> invalidByCollection;
    private final List<InvalidValue> invalidIdentities;
    private volatile Map<EntityLocation, Entity> entities;
    private volatile List<InvalidValue> invalid;

    Snapshot(
        List<String> collections,
        Map<String, Map<String, Entity>> byCollection,
        Map<String, List<InvalidValue>> invalidByCollection,
        List<InvalidValue> invalidIdentities) {
      this.collections = collections;
      this.byCollection = byCollection;
      this.invalidByCollection = invalidByCollection;
      this.invalidIdentities = invalidIdentities;
    }

    /** Valid identity ids listed in {@code identities}, sorted. */
    public List<String> collections() {
      return collections;
    }

    /** identity id → (entity id → entity), sorted. */
    public Map<String, Map<String, Entity>> byCollection() {
      return byCollection;
    }

    /** Every valid entity by location, sorted. */
    public Map<EntityLocation, Entity> entities() {
      Map<EntityLocation, Entity> e = entities;
      if (e == null) {
        TreeMap<EntityLocation, Entity> all = new TreeMap<>();
        for (Map.Entry<String, Map<String, Entity>> c : byCollection.entrySet()) {
          for (Map.Entry<String, Entity> x : c.getValue().entrySet()) {
            all.put(new EntityLocation(c.getKey(), x.getKey()), x.getValue());
          }
        }
        e = Collections.unmodifiableMap(all);
        entities = e;
      }
      return e;
    }

    /** Values currently skipped because they fail validation. */
    public List<InvalidValue> invalid() {
      List<InvalidValue> l = invalid;
      if (l == null) {
        List<InvalidValue> all = new ArrayList<>(invalidIdentities);
        for (List<InvalidValue> c : invalidByCollection.values()) {
          all.addAll(c);
        }
        l = List.copyOf(all);
        invalid = l;
      }
      return l;
    }
  }

  /** What one flush found: events (in location order) and newly seen invalid values. */
  public record Changes(List<EntityEvent> events, List<InvalidValue> newlyInvalid) {}

  private record Slot(Object raw, Entity entity, String error) {}

  private final Doc doc;
  private final SchemaProfile profile;
  private final Subscription identitiesObserver;
  private final Map<String, Map<String, Slot>> slots = new HashMap<>();

  /** Sorted views kept in step with {@link #slots}, so publishing copies instead of re-sorting. */
  private final Map<String, TreeMap<String, Entity>> valid = new HashMap<>();

  private final Map<String, TreeMap<String, InvalidValue>> invalidKeys = new HashMap<>();
  private final Map<String, Subscription> observers = new HashMap<>();
  private final Map<String, Set<String>> pending = new HashMap<>();
  private boolean identitiesDirty = true;
  private List<InvalidValue> invalidIdentities = List.of();
  private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of(), Map.of(), List.of());

  /** Starts observing {@code doc}; call {@link #flush} to build the first view. */
  public CollectionIndex(Doc doc, SchemaProfile profile) {
    this.doc = doc;
    this.profile = profile;
    this.identitiesObserver = doc.getMap(IDENTITIES).observe(e -> identitiesDirty = true);
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * Processes everything observed since the last flush; {@code local} marks the resulting events.
   */
  public Changes flush(boolean local) {
    List<EntityEvent> events = new ArrayList<>();
    List<InvalidValue> newlyInvalid = new ArrayList<>();
    Set<String> touched = new HashSet<>();
    if (identitiesDirty) {
      identitiesDirty = false;
      refreshCollections(events, newlyInvalid, touched, local);
    }
    for (Map.Entry<String, Set<String>> p : pending.entrySet()) {
      String identity = p.getKey();
      Map<String, Slot> coll = slots.get(identity);
      if (coll == null) {
        continue; // no longer listed
      }
      YMap map = doc.getMap(identity);
      for (String key : p.getValue()) {
        rescanKey(identity, map, coll, key, events, newlyInvalid, local);
      }
      touched.add(identity);
    }
    pending.clear();
    if (!touched.isEmpty()) {
      publish(touched);
    }
    events.sort((a, b) -> a.location().compareTo(b.location()));
    return new Changes(events, newlyInvalid);
  }

  private void refreshCollections(
      List<EntityEvent> events,
      List<InvalidValue> newlyInvalid,
      Set<String> touched,
      boolean local) {
    TreeSet<String> listed = new TreeSet<>();
    List<InvalidValue> bad = new ArrayList<>();
    for (String key : doc.getMap(IDENTITIES).keys()) {
      if (IdentityId.isValid(key)) {
        listed.add(key);
      } else {
        bad.add(
            new InvalidValue(IDENTITIES, key, "not an identity id ('@' + 16 letters or digits)"));
      }
    }
    for (InvalidValue v : bad) {
      if (!invalidIdentities.contains(v)) {
        newlyInvalid.add(v);
      }
    }
    if (!bad.equals(invalidIdentities)) {
      invalidIdentities = List.copyOf(bad);
      touched.add(IDENTITIES);
    }
    for (String gone : new ArrayList<>(slots.keySet())) {
      if (!listed.contains(gone)) {
        for (Map.Entry<String, Slot> s : slots.remove(gone).entrySet()) {
          if (EntityId.isValid(s.getKey())) {
            diff(events, new EntityLocation(gone, s.getKey()), s.getValue().entity, null, local);
          }
        }
        valid.remove(gone);
        invalidKeys.remove(gone);
        observers.remove(gone).close();
        pending.remove(gone);
        touched.add(gone);
      }
    }
    for (String identity : listed) {
      if (!slots.containsKey(identity)) {
        YMap map = doc.getMap(identity);
        Map<String, Slot> coll = new HashMap<>();
        slots.put(identity, coll);
        valid.put(identity, new TreeMap<>());
        invalidKeys.put(identity, new TreeMap<>());
        observers.put(
            identity,
            map.observe(
                e ->
                    pending
                        .computeIfAbsent(identity, k -> new HashSet<>())
                        .addAll(e.keysChanged())));
        for (String key : map.keys()) {
          rescanKey(identity, map, coll, key, events, newlyInvalid, local);
        }
        pending.remove(identity);
        touched.add(identity);
      }
    }
  }

  private void rescanKey(
      String identity,
      YMap map,
      Map<String, Slot> coll,
      String key,
      List<EntityEvent> events,
      List<InvalidValue> newlyInvalid,
      boolean local) {
    Slot before = coll.get(key);
    if (!map.has(key)) {
      if (before != null) {
        coll.remove(key);
        valid.get(identity).remove(key);
        invalidKeys.get(identity).remove(key);
        if (EntityId.isValid(key)) {
          diff(events, new EntityLocation(identity, key), before.entity, null, local);
        }
      }
      return;
    }
    Object raw = map.get(key);
    if (before != null && (before.raw == raw || Objects.equals(before.raw, raw))) {
      return;
    }
    Slot slot;
    if (!EntityId.isValid(key)) {
      slot = new Slot(raw, null, "key is not an entity id ('e' + 16 letters or digits)");
    } else {
      slot = decode(identity, raw);
    }
    coll.put(key, slot);
    if (slot.error != null) {
      InvalidValue bad = new InvalidValue(identity, key, slot.error);
      newlyInvalid.add(bad);
      valid.get(identity).remove(key);
      invalidKeys.get(identity).put(key, bad);
    } else {
      valid.get(identity).put(key, slot.entity);
      invalidKeys.get(identity).remove(key);
    }
    if (EntityId.isValid(key)) {
      diff(
          events,
          new EntityLocation(identity, key),
          before == null ? null : before.entity,
          slot.entity,
          local);
    }
  }

  private Slot decode(String identity, Object raw) {
    try {
      Entity e = profile.decodeStoredLenient(Values.withoutUndefined(raw), identity);
      return new Slot(raw, e, null);
    } catch (InvalidEntityException | IllegalStateException e) {
      return new Slot(raw, null, e.getMessage());
    }
  }

  private static void diff(
      List<EntityEvent> out, EntityLocation loc, Entity before, Entity after, boolean local) {
    if (before == null && after != null) {
      out.add(new EntityEvent(EntityEvent.Kind.CREATE, loc, after, null, local));
    } else if (before != null && after == null) {
      out.add(new EntityEvent(EntityEvent.Kind.DELETE, loc, null, before, local));
    } else if (before != null && !before.equals(after)) {
      out.add(new EntityEvent(EntityEvent.Kind.UPDATE, loc, after, before, local));
    }
  }

  private void publish(Set<String> touched) {
    Snapshot old = snapshot;
    Map<String, Map<String, Entity>> by = new TreeMap<>();
    Map<String, List<InvalidValue>> invalid = new LinkedHashMap<>();
    for (String identity : new TreeSet<>(slots.keySet())) {
      if (!touched.contains(identity) && old.byCollection.containsKey(identity)) {
        by.put(identity, old.byCollection.get(identity));
        invalid.put(identity, old.invalidByCollection.getOrDefault(identity, List.of()));
        continue;
      }
      by.put(identity, Collections.unmodifiableMap(new TreeMap<>(valid.get(identity))));
      invalid.put(identity, List.copyOf(invalidKeys.get(identity).values()));
    }
    snapshot =
        new Snapshot(
            List.copyOf(by.keySet()),
            Collections.unmodifiableMap(by),
            Collections.unmodifiableMap(invalid),
            invalidIdentities);
  }

  @Override
  public void close() {
    identitiesObserver.close();
    for (Subscription s : observers.values()) {
      s.close();
    }
    observers.clear();
  }
}
