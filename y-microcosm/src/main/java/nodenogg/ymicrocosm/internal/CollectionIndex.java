package nodenogg.ymicrocosm.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import nodenogg.crdt.Doc;
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
 * <p>{@link #rescan} walks the {@code identities} map and every listed collection, decodes values that
 * changed since the last scan (unchanged raw values are recognised by equality and not decoded again)
 * and publishes an immutable {@link Snapshot}. It must be called with the document's lock held (from
 * an update listener or inside a transaction), so scans are serialized; snapshots may be read from any
 * thread.
 */
public final class CollectionIndex {
  /** Name of the root map listing the collections. */
  public static final String IDENTITIES = "identities";

  /** An immutable, consistent view. */
  public record Snapshot(List<String> collections, Map<EntityLocation, Entity> entities,
      Map<String, Map<String, Entity>> byCollection, List<InvalidValue> invalid) {}

  /** What one scan found: events (in location order) and newly seen invalid values. */
  public record Changes(List<EntityEvent> events, List<InvalidValue> newlyInvalid) {}

  private record Slot(Object raw, Entity entity, String error) {}

  private final SchemaProfile profile;
  private final Map<String, Map<String, Slot>> slots = new HashMap<>();
  private final List<InvalidValue> badKeys = new ArrayList<>();
  private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of(), Map.of(), List.of());

  public CollectionIndex(SchemaProfile profile) {
    this.profile = profile;
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /** Rescans {@code doc}; {@code local} marks the resulting events. Call with the doc lock held. */
  public Changes rescan(Doc doc, boolean local) {
    List<EntityEvent> events = new ArrayList<>();
    List<InvalidValue> newlyInvalid = new ArrayList<>();
    List<InvalidValue> keyProblems = new ArrayList<>();
    TreeSet<String> collections = new TreeSet<>();
    for (String key : doc.getMap(IDENTITIES).keys()) {
      if (IdentityId.isValid(key)) {
        collections.add(key);
      } else {
        keyProblems.add(new InvalidValue(IDENTITIES, key, "not an identity id ('@' + 16 letters or digits)"));
      }
    }
    Map<String, Map<String, Slot>> next = new HashMap<>();
    for (String identity : collections) {
      Map<String, Slot> old = slots.getOrDefault(identity, Map.of());
      Map<String, Slot> now = new HashMap<>();
      YMap map = doc.getMap(identity);
      for (String key : map.keys()) {
        if (!EntityId.isValid(key)) {
          keyProblems.add(new InvalidValue(identity, key, "key is not an entity id ('e' + 16 letters or digits)"));
          continue;
        }
        Object raw = map.get(key);
        Slot before = old.get(key);
        Slot slot = before != null && (before.raw == raw || Objects.equals(before.raw, raw)) ? before : decode(identity, raw);
        now.put(key, slot);
        if (slot != before && slot.error != null) {
          newlyInvalid.add(new InvalidValue(identity, key, slot.error));
        }
        diff(events, new EntityLocation(identity, key), before == null ? null : before.entity, slot.entity, local);
      }
      for (Map.Entry<String, Slot> gone : old.entrySet()) {
        if (!now.containsKey(gone.getKey())) {
          diff(events, new EntityLocation(identity, gone.getKey()), gone.getValue().entity, null, local);
        }
      }
      next.put(identity, now);
    }
    for (Map.Entry<String, Map<String, Slot>> dropped : slots.entrySet()) {
      if (!next.containsKey(dropped.getKey())) {
        for (Map.Entry<String, Slot> gone : dropped.getValue().entrySet()) {
          diff(events, new EntityLocation(dropped.getKey(), gone.getKey()), gone.getValue().entity, null, local);
        }
      }
    }
    for (InvalidValue p : keyProblems) {
      if (!badKeys.contains(p)) {
        newlyInvalid.add(p);
      }
    }
    badKeys.clear();
    badKeys.addAll(keyProblems);
    slots.clear();
    slots.putAll(next);
    publish(collections);
    events.sort((a, b) -> a.location().compareTo(b.location()));
    return new Changes(events, newlyInvalid);
  }

  private Slot decode(String identity, Object raw) {
    try {
      Entity e = profile.decodeStoredLenient(Values.withoutUndefined(raw), identity);
      return new Slot(raw, e, null);
    } catch (InvalidEntityException | IllegalStateException e) {
      return new Slot(raw, null, e.getMessage());
    }
  }

  private static void diff(List<EntityEvent> out, EntityLocation loc, Entity before, Entity after, boolean local) {
    if (before == null && after != null) {
      out.add(new EntityEvent(EntityEvent.Kind.CREATE, loc, after, null, local));
    } else if (before != null && after == null) {
      out.add(new EntityEvent(EntityEvent.Kind.DELETE, loc, null, before, local));
    } else if (before != null && !before.equals(after)) {
      out.add(new EntityEvent(EntityEvent.Kind.UPDATE, loc, after, before, local));
    }
  }

  private void publish(TreeSet<String> collections) {
    TreeMap<EntityLocation, Entity> all = new TreeMap<>();
    Map<String, Map<String, Entity>> by = new TreeMap<>();
    List<InvalidValue> invalid = new ArrayList<>(badKeys);
    for (String identity : collections) {
      TreeMap<String, Entity> coll = new TreeMap<>();
      for (Map.Entry<String, Slot> s : slots.get(identity).entrySet()) {
        if (s.getValue().entity != null) {
          coll.put(s.getKey(), s.getValue().entity);
          all.put(new EntityLocation(identity, s.getKey()), s.getValue().entity);
        } else {
          invalid.add(new InvalidValue(identity, s.getKey(), s.getValue().error));
        }
      }
      by.put(identity, Collections.unmodifiableMap(coll));
    }
    snapshot = new Snapshot(List.copyOf(collections), Collections.unmodifiableMap(all),
        Collections.unmodifiableMap(by), List.copyOf(invalid));
  }
}
