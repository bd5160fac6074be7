package nodenogg.microcosm;

import java.util.Objects;

/**
 * A change to one entity, local or remote.
 *
 * @param entity the new value; {@code null} for {@link Kind#DELETE}
 * @param previous the value before the change; {@code null} for {@link Kind#CREATE}
 * @param local whether the change was made through this microcosm instance
 */
public record EntityEvent(
    Kind kind, EntityLocation location, Entity entity, Entity previous, boolean local) {

  /** What happened to the entity. */
  public enum Kind {
    CREATE,
    UPDATE,
    DELETE
  }

  public EntityEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(location, "location");
    if ((kind == Kind.DELETE) != (entity == null) || (kind == Kind.CREATE) != (previous == null)) {
      throw new IllegalArgumentException("inconsistent " + kind + " event for " + location);
    }
  }
}
