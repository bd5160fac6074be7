package nodenogg.ymicrocosm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import nodenogg.crdt.AbstractType;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.crdt.YMap;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.InvalidEntityException;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.microcosm.legacy.E3Entities;
import nodenogg.microcosm.legacy.E3Entity;
import nodenogg.microcosm.legacy.E3ToE5;
import nodenogg.microcosm.legacy.LegacyIds;
import nodenogg.ymicrocosm.internal.Values;

/**
 * Read-only importer for documents of the E3 web app (2024-05-23 .. 2025-05-15; microcosm-spec.md
 * §3): root map {@code identities} (E3 identity id → {@code true}) and one root map per identity
 * holding entity id ({@code e} + 8) → {@code {data: entity, signature: ''}}.
 *
 * <p>Reading is lenient like the E3 app: identity keys that are not E3 identity ids (either length,
 * see {@link LegacyIds#isReadableE3IdentityId}), entity keys that are not E3 entity ids, shared
 * types and values whose {@code data} fails {@link E3Entities#isEntity} are skipped and listed in
 * {@link Snapshot#invalid()}; only an unreadable update throws ({@link UnreadableUpdateException}).
 * {@link #toUpdate} writes the {@link E3ToE5} mapping as a current document. Stateless,
 * thread-safe; the source document is only read.
 */
public final class E3Import {
  /** Name of the root map listing the collections (same in E3, E4 and E5). */
  public static final String IDENTITIES = "identities";

  /**
   * Collection name used in {@link Snapshot#invalid()} for bad top-level keys of a
   * SerializedMicrocosm.
   */
  public static final String TOP_LEVEL = "(top level)";

  /**
   * What an E3 document holds.
   *
   * @param identities the valid identity ids listed in {@code identities}, sorted
   * @param collections identity id → (entity key → entity), valid entities only, keys sorted
   * @param invalid skipped keys and values with the reason ({@code collection} is {@code
   *     identities} for a bad identity key)
   */
  public record Snapshot(
      List<String> identities,
      Map<String, Map<String, E3Entity>> collections,
      List<InvalidValue> invalid) {
    public Snapshot {
      identities = List.copyOf(identities);
      Map<String, Map<String, E3Entity>> copy = new LinkedHashMap<>();
      collections.forEach(
          (k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
      collections = Collections.unmodifiableMap(copy);
      invalid = List.copyOf(invalid);
    }

    /** Number of valid entities over all collections. */
    public int entityCount() {
      return collections.values().stream().mapToInt(Map::size).sum();
    }
  }

  private E3Import() {}

  /**
   * Reads an E3 document from a Yjs v1 update (for example the bytes of {@code
   * Y.encodeStateAsUpdate}).
   *
   * @throws UnreadableUpdateException when the bytes are not a complete v1 update
   */
  public static Snapshot read(byte[] updateV1) {
    Doc doc = new Doc();
    try {
      Updates.applyUpdate(doc, updateV1);
    } catch (RuntimeException e) {
      throw new UnreadableUpdateException("not a Yjs v1 update: " + e.getMessage(), e);
    }
    if (doc.hasPending()) {
      throw new UnreadableUpdateException(
          "the update depends on changes it does not contain (an incremental "
              + "update, not a whole document); export the whole document with Y.encodeStateAsUpdate",
          null);
    }
    return read(doc);
  }

  /** Reads the E3 collections of {@code doc} (only reads; root maps are looked up, not written). */
  public static Snapshot read(Doc doc) {
    List<String> identities = new ArrayList<>();
    Map<String, Map<String, E3Entity>> collections = new LinkedHashMap<>();
    List<InvalidValue> invalid = new ArrayList<>();
    for (String identity : new TreeSet<>(doc.getMap(IDENTITIES).keys())) {
      if (!LegacyIds.isReadableE3IdentityId(identity)) {
        invalid.add(
            new InvalidValue(
                IDENTITIES,
                identity,
                "not an E3 identity id ('@' + 35 letters or digits, or "
                    + "'@' + 36 before June 2024)"));
        continue;
      }
      identities.add(identity);
      Map<String, E3Entity> coll = new LinkedHashMap<>();
      YMap map = doc.getMap(identity);
      for (String key : new TreeSet<>(map.keys())) {
        if (!LegacyIds.isValidE3EntityId(key)) {
          invalid.add(
              new InvalidValue(
                  identity, key, "key is not an E3 entity id ('e' + 8 letters or digits)"));
          continue;
        }
        Object value = map.get(key);
        if (value instanceof AbstractType) {
          invalid.add(
              new InvalidValue(identity, key, "stored as a shared type, not a plain value"));
          continue;
        }
        try {
          coll.put(key, E3Entities.parseStored(Values.withoutUndefined(value)));
        } catch (InvalidEntityException e) {
          invalid.add(new InvalidValue(identity, key, e.getMessage()));
        }
      }
      collections.put(identity, coll);
    }
    return new Snapshot(identities, collections, invalid);
  }

  /**
   * Reads the E3 export shape {@code SerializedMicrocosm = {identityId: {entityId: entity}}} (plain
   * values, for example {@code MicrocosmJson.toPlain} of parsed JSON; entities are not wrapped in
   * {@code {data, signature}}). Lenient like {@link #read(Doc)}: bad identity keys are reported
   * with collection {@value #TOP_LEVEL}, bad entity keys and values under their identity.
   *
   * @throws InvalidEntityException when {@code json} is not an object
   */
  public static Snapshot readSerialized(Object json) {
    if (!(json instanceof Map<?, ?> root)) {
      throw new InvalidEntityException(
          "an E3 SerializedMicrocosm must be an object {identityId: {entityId: entity}}");
    }
    List<String> identities = new ArrayList<>();
    Map<String, Map<String, E3Entity>> collections = new LinkedHashMap<>();
    List<InvalidValue> invalid = new ArrayList<>();
    for (String identity : new TreeSet<>(stringKeys(root))) {
      Object c = root.get(identity);
      if (!LegacyIds.isReadableE3IdentityId(identity) || !(c instanceof Map<?, ?> coll)) {
        invalid.add(
            new InvalidValue(
                TOP_LEVEL,
                identity,
                LegacyIds.isReadableE3IdentityId(identity)
                    ? "collection must be an object {entityId: entity}"
                    : "not an E3 identity id ('@' + 35 letters or digits)"));
        continue;
      }
      identities.add(identity);
      Map<String, E3Entity> entities = new LinkedHashMap<>();
      for (String key : new TreeSet<>(stringKeys(coll))) {
        if (!LegacyIds.isValidE3EntityId(key)) {
          invalid.add(
              new InvalidValue(
                  identity, key, "key is not an E3 entity id ('e' + 8 letters or digits)"));
          continue;
        }
        try {
          entities.put(key, E3Entities.parseEntity(Values.withoutUndefined(coll.get(key))));
        } catch (InvalidEntityException e) {
          invalid.add(new InvalidValue(identity, key, e.getMessage()));
        }
      }
      collections.put(identity, entities);
    }
    return new Snapshot(identities, collections, invalid);
  }

  private static List<String> stringKeys(Map<?, ?> m) {
    List<String> out = new ArrayList<>();
    for (Object k : m.keySet()) {
      out.add(String.valueOf(k));
    }
    return out;
  }

  /**
   * A Yjs v1 update of a new document holding the mapped entities in the current layout of {@code
   * profile}: every identity of {@link E3ToE5.Result#identityIds()} registered in {@code
   * identities}, each entity in its owner's collection.
   */
  public static byte[] toUpdate(E3ToE5.Result mapped, SchemaProfile profile) {
    Map<String, List<Entity>> byOwner = new LinkedHashMap<>();
    for (String e5 : mapped.identityIds().values()) {
      byOwner.computeIfAbsent(e5, k -> new ArrayList<>());
    }
    for (Entity e : mapped.entities()) {
      byOwner.computeIfAbsent(e.identityId(), k -> new ArrayList<>()).add(e);
    }
    try (YMicrocosm m = YMicrocosm.open("e3import", MicrocosmOptions.defaults().profile(profile))) {
      for (Map.Entry<String, List<Entity>> o : byOwner.entrySet()) {
        m.identify(o.getKey());
        if (!o.getValue().isEmpty()) {
          m.importEntities(o.getValue());
        }
      }
      return m.encodeStateAsUpdate();
    }
  }
}
