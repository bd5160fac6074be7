package nodenogg.microcosm;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Read and edit access to a microcosm. Edits go only to the collection of the identity given to
 * {@link #identify}; calling an edit method before that throws {@link IllegalStateException}. Each
 * call is one document transaction (so one update on the wire) and one undo step. Values are
 * validated before anything is written: an {@link InvalidEntityException} means nothing changed.
 */
public interface EditableMicrocosmAPI extends MicrocosmAPI {

  /** Whether {@code api} can edit (the E2 {@code isEditableAPI} check). */
  static boolean isEditable(MicrocosmAPI api) {
    return api instanceof EditableMicrocosmAPI;
  }

  /**
   * Selects the own collection: registers {@code identityId} in the {@code identities} map (so the
   * web app sees the collection) and scopes undo/redo to it.
   */
  void identify(String identityId);

  /** The identity selected by {@link #identify}, if any. */
  Optional<String> identityId();

  /** Creates one entity in the own collection and returns it. */
  Entity create(EntityData data);

  /** Creates several entities in one transaction; returned in the same order. */
  List<Entity> create(List<? extends EntityData> data);

  /**
   * Applies several updates in one transaction. Ids not in the own collection are skipped (as in
   * the web app); the updated entities are returned.
   *
   * @throws InvalidEntityException when any resulting entity is invalid (then nothing is written)
   */
  List<Entity> update(List<EntityUpdate> updates);

  /** Varargs form of {@link #update(List)}. */
  default List<Entity> update(EntityUpdate... updates) {
    return update(Arrays.asList(updates));
  }

  /**
   * Replaces the data of an own entity by {@code fn(current data)} (E2 {@code patch}); the type
   * must stay the same. Empty when the entity is not in the own collection.
   */
  Optional<Entity> patch(String entityId, UnaryOperator<EntityData> fn);

  /**
   * Deletes entities of the own collection in one transaction; ids that are not there are skipped.
   *
   * @return how many were deleted
   */
  int delete(List<String> entityIds);

  /** Varargs form of {@link #delete(List)}. */
  default int delete(String... entityIds) {
    return delete(Arrays.asList(entityIds));
  }

  /** Deletes every entity of the own collection in one transaction (E2 {@code deleteAll}). */
  int deleteAll();

  /**
   * Publishes presence {@code joined = true} for {@code identity} and keeps it alive until
   * leave/close.
   */
  void join(Identity identity);

  /** Publishes presence {@code joined = false} for {@code identity}. */
  void leave(Identity identity);

  /** Undoes the last own edit step; false when there is nothing to undo. */
  boolean undo();

  /** Redoes the last undone step; false when there is nothing to redo. */
  boolean redo();

  boolean canUndo();

  boolean canRedo();

  /** Looks only in the own collection (E2 semantics). */
  @Override
  default Optional<Entity> node(String entityId) {
    Optional<String> me = identityId();
    if (me.isEmpty()) {
      return Optional.empty();
    }
    return getEntity(me.get(), entityId);
  }
}
