package nodenogg.microcosm.legacy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.microcosm.InvalidEntityException;

/**
 * The E3 entity model (nodenogg.in web app, 2024-05-23 .. 2025-05-15; microcosm-spec.md §1.5, §3),
 * read-only. Stateless, thread-safe.
 *
 * <p>Stored value under an entity key: {@code {data: Entity, signature: ''}} (key order varies by
 * build; the signature was never filled in). The entity is flat: {@code {id, type, schema, created,
 * lastEdited, ...fields of that schema version}}.
 *
 * <table>
 *   <caption>E3 types and schema versions</caption>
 *   <tr><th>type</th><th>v1</th><th>v2</th></tr>
 *   <tr><td>html</td><td>{@code x, y, width, height, z?, body, background_color?}</td><td>-</td></tr>
 *   <tr><td>region</td><td>{@code x, y, width, height, z?, title?, background_color?}</td><td>-</td></tr>
 *   <tr><td>ghost</td><td>{@code x, y, width, height, z?, deleted}</td><td>-</td></tr>
 *   <tr><td>relation</td><td>{@code body}</td><td>{@code from?, to?, body?}</td></tr>
 *   <tr><td>emoji</td><td>{@code body}</td><td>{@code entity_id?, body}</td></tr>
 * </table>
 *
 * <p>Validation matches what the E3 Y layer applied when reading: shallow. A stored value counts
 * when it is an object whose {@code data} passes {@link #isEntity}: the base fields present with
 * the right JS types, a valid E3 entity id, a known type. Per-type fields are not checked here (an
 * importer checks what it needs). Beyond E3's own list this reader also accepts type {@code
 * connection}, which builds from {@code 6b7b1cdf} until the rename in {@code be518c02} (2024-06-01
 * .. 06-07) wrote for relations.
 */
public final class E3Entities {
  /** E3 {@code latestEntitySchemaVersions}. */
  public static final Map<String, Integer> LATEST_SCHEMA_VERSIONS =
      Map.of("html", 1, "region", 1, "ghost", 1, "relation", 2, "emoji", 2);

  /** The types E3's {@code isEntity} knows, plus the early name {@code connection}. */
  public static final List<String> TYPES =
      List.of("html", "region", "ghost", "relation", "emoji", "connection");

  private static final List<String> BASE = List.of("id", "type", "schema", "created", "lastEdited");

  private E3Entities() {}

  /** E3 {@code isAnyEntity}: base fields with JS types, valid id; any type name. */
  public static boolean isAnyEntity(Object value) {
    return anyEntityProblem(value) == null;
  }

  /** E3 {@code isEntity}: {@link #isAnyEntity} and a known type. */
  public static boolean isEntity(Object value) {
    return entityProblem(value) == null;
  }

  /** E3 {@code isEntityVersion}: an entity with this schema version (and type, when not null). */
  public static boolean isEntityVersion(Object value, int schema, String type) {
    if (!isEntity(value)) {
      return false;
    }
    Map<?, ?> m = (Map<?, ?>) value;
    return ((Number) m.get("schema")).doubleValue() == schema
        && (type == null || type.equals(m.get("type")));
  }

  /**
   * E3 {@code isSerializedCollection} (the export shape {@code Record<EntityID, Entity>}): an
   * object whose every key is an E3 entity id and every value passes {@link #isEntity}. One bad
   * member fails the whole collection, as in E3.
   */
  public static boolean isSerializedCollection(Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      return false;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k)
          || !LegacyIds.isValidE3EntityId(k)
          || !isEntity(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * E3 {@code isSerializedMicrocosm} ({@code Record<IdentityID, SerializedCollection>}): every key
   * an E3 identity id ({@code @} + 35), every value a {@linkplain #isSerializedCollection
   * serialized collection}.
   */
  public static boolean isSerializedMicrocosm(Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      return false;
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String k)
          || !LegacyIds.isValidE3IdentityId(k)
          || !isSerializedCollection(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses one stored value {@code {data, signature}}.
   *
   * @throws InvalidEntityException saying what is wrong, when E3's reader would have skipped it
   */
  public static E3Entity parseStored(Object stored) {
    if (!(stored instanceof Map<?, ?> wrapper)) {
      throw new InvalidEntityException(
          "stored value must be an object {data, signature}, got " + describe(stored));
    }
    if (!wrapper.containsKey("data")) {
      throw new InvalidEntityException(
          "stored value has no 'data' member (an E4/E5 value has 'content' instead)");
    }
    return parseEntity(wrapper.get("data"));
  }

  /**
   * Parses an E3 entity object (the {@code data} member).
   *
   * @throws InvalidEntityException when it fails {@link #isEntity}
   */
  public static E3Entity parseEntity(Object value) {
    String problem = entityProblem(value);
    if (problem != null) {
      throw new InvalidEntityException("data: " + problem);
    }
    Map<?, ?> m = (Map<?, ?>) value;
    Map<String, Object> fields = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = (String) e.getKey();
      if (!BASE.contains(k)) {
        fields.put(k, e.getValue());
      }
    }
    return new E3Entity(
        (String) m.get("id"),
        (String) m.get("type"),
        ((Number) m.get("schema")).doubleValue(),
        (long) Math.floor(((Number) m.get("created")).doubleValue()),
        (long) Math.floor(((Number) m.get("lastEdited")).doubleValue()),
        fields);
  }

  private static String entityProblem(Object value) {
    String p = anyEntityProblem(value);
    if (p != null) {
      return p;
    }
    Object type = ((Map<?, ?>) value).get("type");
    return TYPES.contains(type) ? null : "type must be one of " + TYPES + ", got " + describe(type);
  }

  private static String anyEntityProblem(Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      return "entity must be an object, got " + describe(value);
    }
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        return "entity has a non-string key";
      }
    }
    Object id = m.get("id");
    if (!(id instanceof String s) || !LegacyIds.isValidE3EntityId(s)) {
      return "id must be an E3 entity id ('e' + 8 letters or digits), got " + describe(id);
    }
    if (!(m.get("type") instanceof String)) {
      return "type must be a string, got " + describe(m.get("type"));
    }
    for (String k : List.of("schema", "created", "lastEdited")) {
      if (!isFiniteNumber(m.get(k))) {
        return k
            + " must be a number, got "
            + (m.containsKey(k) ? describe(m.get(k)) : "nothing (required)");
      }
    }
    return null;
  }

  static boolean isFiniteNumber(Object v) {
    if (!(v instanceof Number)
        || v instanceof java.math.BigInteger
        || v instanceof java.math.BigDecimal) {
      return false;
    }
    double d = ((Number) v).doubleValue();
    return !Double.isNaN(d) && !Double.isInfinite(d);
  }

  static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    return "a " + v.getClass().getSimpleName();
  }
}
