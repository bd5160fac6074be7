package nodenogg.microcosm;

import java.util.Objects;

/**
 * One stored entity (schema version {@code "1"}): id, owning identity, timestamps (milliseconds
 * since the epoch, as {@code Date.now()}), and its type-specific {@link EntityData}. Immutable;
 * validated on construction. Create new entities with {@link Entities#create} and change them with
 * {@link Entities#update}, which keep {@code created} and bump {@code lastEdited}.
 *
 * @param identityId the owning identity (E5 stores it as {@code identity_id}; for E4 values it is
 *     the collection the entity was read from)
 */
public record Entity(String id, String identityId, long created, long lastEdited, EntityData data) {

  /** The only schema version of E4 and E5 (a string on the wire). */
  public static final String VERSION = "1";

  public Entity {
    EntityId.require(id, "id");
    IdentityId.require(identityId, "identity_id");
    Objects.requireNonNull(data, "data must not be null");
  }

  /** Schema version, always {@value #VERSION}. */
  public String version() {
    return VERSION;
  }

  /** {@code data().type()}. */
  public EntityType type() {
    return data.type();
  }

  /** Whether this entity is of {@code t} (E4/E5 {@code isType}). */
  public boolean isType(EntityType t) {
    return data.type() == t;
  }

  /** Where this entity lives: {@code identityId/entityId}. */
  public EntityLocation location() {
    return new EntityLocation(identityId, id);
  }

  /** The data as {@code type}, or an exception naming the actual type. */
  public <T extends EntityData> T dataAs(Class<T> type) {
    if (!type.isInstance(data)) {
      throw new IllegalStateException(
          "entity " + id + " is " + data.type().wireName() + ", not " + type.getSimpleName());
    }
    return type.cast(data);
  }
}
