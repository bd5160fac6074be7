package nodenogg.microcosm;

import java.util.Map;

/**
 * Creating and changing entities with the web app's semantics (E5 {@code create / update / clone}).
 * Stateless, thread-safe; times come from the caller so tests can use a fixed clock.
 */
public final class Entities {
  private Entities() {}

  /**
   * A new entity with a fresh id, owned by {@code identityId}, created and last edited at {@code
   * now}.
   */
  public static Entity create(String identityId, EntityData data, long now) {
    return new Entity(EntityId.create(), identityId, now, now, data);
  }

  /**
   * {@code entity} with {@code changes} merged into its data (shallow, like {@code {...data,
   * ...changes}}), {@code lastEdited} set to {@code now} (or one past the previous value when the
   * clock has not moved past it, so an update is always newer), id, owner and {@code created} kept.
   *
   * @throws InvalidEntityException if the result is invalid or the change tries to alter {@code
   *     type}
   */
  public static Entity update(Entity entity, Map<String, Object> changes, long now) {
    Map<String, Object> merged = Plain.fromData(entity.data(), false);
    for (Map.Entry<String, Object> c : changes.entrySet()) {
      if (c.getKey().equals("type") && !entity.type().wireName().equals(c.getValue())) {
        throw new InvalidEntityException(
            "cannot change the type of entity "
                + entity.id()
                + " from "
                + entity.type().wireName()
                + " to "
                + Describe.value(c.getValue())
                + "; delete it and create a new one");
      }
      if (c.getValue() == null) {
        merged.remove(c.getKey());
      } else {
        merged.put(c.getKey(), c.getValue());
      }
    }
    EntityData data;
    try {
      data = Plain.toData(merged, false);
    } catch (InvalidEntityException e) {
      throw e.within("update of " + entity.id());
    }
    return replace(entity, data, now);
  }

  /** {@code entity} with new data of the same type and a bumped {@code lastEdited}. */
  public static Entity replace(Entity entity, EntityData data, long now) {
    if (data.type() != entity.type()) {
      throw new InvalidEntityException(
          "cannot change the type of entity "
              + entity.id()
              + " from "
              + entity.type().wireName()
              + " to "
              + data.type().wireName()
              + "; delete it and create a new one");
    }
    long lastEdited = Math.max(now, entity.lastEdited() + 1);
    return new Entity(entity.id(), entity.identityId(), entity.created(), lastEdited, data);
  }

  /** A copy of {@code entity}'s data as a new entity of {@code identityId} (E5 {@code clone}). */
  public static Entity clone(String identityId, Entity entity, long now) {
    return create(identityId, entity.data(), now);
  }

  /** The data of {@code e} as a plain map with E5 field names (useful for building updates). */
  public static Map<String, Object> dataAsMap(EntityData e) {
    return Plain.fromData(e, false);
  }

  /** Parses plain E5 data (for example from JSON). */
  public static EntityData dataFromMap(Object value) {
    return Plain.toData(value, false);
  }
}
