package nodenogg.microcosm;

import java.util.Optional;

/**
 * Where an entity lives: the collection (identity id) and the entity id. Its string form is {@code
 * <identityId>/<entityId>} (the web app's {@code EntityLocation}).
 */
public record EntityLocation(String identityId, String entityId)
    implements Comparable<EntityLocation> {

  public EntityLocation {
    IdentityId.require(identityId, "identity id of a location");
    EntityId.require(entityId, "entity id of a location");
  }

  /** Parses {@code @…/e…}; empty when either part is not a valid id (never throws). */
  public static Optional<EntityLocation> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    int slash = s.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    String a = s.substring(0, slash);
    String b = s.substring(slash + 1);
    if (!IdentityId.isValid(a) || !EntityId.isValid(b)) {
      return Optional.empty();
    }
    return Optional.of(new EntityLocation(a, b));
  }

  @Override
  public String toString() {
    return identityId + "/" + entityId;
  }

  @Override
  public int compareTo(EntityLocation o) {
    int c = identityId.compareTo(o.identityId);
    return c != 0 ? c : entityId.compareTo(o.entityId);
  }
}
