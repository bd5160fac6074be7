package nodenogg.microcosm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Read access to one microcosm: every collection's entities, change events and state. This is the
 * interface nodenogg.in expects any backend to expose ("exposed through a MicrocosmAPI or
 * EditableMicrocosmAPI"); {@link EditableMicrocosmAPI} adds editing.
 *
 * <p>Reads are snapshots: the returned collections are immutable and consistent with one document
 * state. Values that do not follow the schema are never returned (and never thrown); they are
 * reported through {@link #onInvalidValue}. Implementations state their threading model; the
 * y-microcosm implementation may be called from any thread and delivers listener calls on its own
 * event thread.
 */
public interface MicrocosmAPI extends AutoCloseable {

  /** The microcosm id (document name, room name, store name). */
  String microcosmId();

  /** The document format this instance writes (and reads first). */
  SchemaProfile profile();

  /** Current state: ready, connected, persisted, identities present. */
  MicrocosmState state();

  /** The entity at {@code location}, if present and valid. */
  Optional<Entity> getEntity(EntityLocation location);

  /** The entity {@code entityId} in {@code identityId}'s collection, if present and valid. */
  default Optional<Entity> getEntity(String identityId, String entityId) {
    if (!IdentityId.isValid(identityId) || !EntityId.isValid(entityId)) {
      return Optional.empty();
    }
    return getEntity(new EntityLocation(identityId, entityId));
  }

  /** Identity ids of all collections (the {@code identities} map), sorted. */
  List<String> getCollections();

  /** Ids of the valid entities in one collection, sorted; empty for an unknown collection. */
  List<String> getCollection(String identityId);

  /** Snapshot of one collection: entity id → entity. */
  Map<String, Entity> collection(String identityId);

  /** Locations of every valid entity in every collection, sorted. */
  List<EntityLocation> getEntities();

  /** Snapshot of every valid entity, keyed by location (sorted). */
  Map<EntityLocation, Entity> entities();

  /** Listens to create / update / delete of any entity. */
  Subscription subscribe(EntityListener listener);

  /** Listens to one location: the new value, or empty when deleted. */
  Subscription subscribe(EntityLocation location, Consumer<Optional<Entity>> listener);

  /** Listens to state changes. */
  Subscription onState(Consumer<MicrocosmState> listener);

  /** Listens to stored values that were skipped because they failed validation. */
  Subscription onInvalidValue(Consumer<InvalidValue> listener);

  /**
   * Releases the microcosm (leaves presence, disconnects transports, closes persistence).
   * Idempotent.
   */
  @Override
  void close();

  // ---- The seed's (E2) vocabulary -------------------------------------------------------------

  /** All valid entities of every collection (E2 {@code nodes()}), ordered by location. */
  default List<Entity> nodes() {
    return new ArrayList<>(entities().values());
  }

  /** All valid entities of {@code type} (E2 {@code nodes(type)}). */
  default List<Entity> nodes(EntityType type) {
    List<Entity> out = new ArrayList<>();
    for (Entity e : entities().values()) {
      if (e.isType(type)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The entity {@code entityId} (E2 {@code node(id)}). The read-only API searches every collection;
   * an {@link EditableMicrocosmAPI} looks only in its own collection, as E2 did.
   */
  default Optional<Entity> node(String entityId) {
    for (Entity e : entities().values()) {
      if (e.id().equals(entityId)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The html entities, i.e. the cards on the canvas (E2 {@code boxes()}). */
  default List<Entity> boxes() {
    return nodes(EntityType.HTML);
  }
}
