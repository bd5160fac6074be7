package nodenogg.microcosm.legacy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entity as the E3 web app stored it (microcosm-spec.md §1.5): the base fields {@code id, type,
 * schema, created, lastEdited} and the fields of its schema version, which E3 keeps flat on the
 * same object. Read-only view for importers; immutable.
 *
 * @param id the E3 entity id ({@code e} + 8 letters or digits)
 * @param type the stored type: {@code html, region, ghost, relation, emoji} (or {@code connection},
 *     the name of {@code relation} before {@code be518c02})
 * @param schema the entity's schema version (1, or 2 for relation/emoji v2)
 * @param created creation time, milliseconds since the epoch (as stored, floored)
 * @param lastEdited last edit time, milliseconds since the epoch (as stored, floored)
 * @param fields every other stored field, plain values ({@code undefined} removed), in stored order
 */
public record E3Entity(
    String id,
    String type,
    double schema,
    long created,
    long lastEdited,
    Map<String, Object> fields) {

  public E3Entity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** The field {@code name}, or null when absent. */
  public Object field(String name) {
    return fields.get(name);
  }

  /**
   * Whether this is a relation ({@code relation}, or {@code connection} as the first E3 builds
   * called it).
   */
  public boolean isRelation() {
    return type.equals("relation") || type.equals("connection");
  }

  /** Whether the entity has a box {@code x, y, width, height} (html, region, ghost). */
  public boolean isBoxLike() {
    return type.equals("html") || type.equals("region") || type.equals("ghost");
  }
}
