package nodenogg.microcosm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A partial change of one entity's data (E5 {@code [entityId, Partial<data>]}). {@code changes}
 * uses the E5 data field names ({@code x, y, width, height, content, backgroundColor, tags, from,
 * to, parentNodeId}); a {@code null} value removes an optional field. The result is validated as a
 * whole; changing {@code type} is refused.
 */
public record EntityUpdate(String entityId, Map<String, Object> changes) {

  public EntityUpdate {
    EntityId.require(entityId, "entity id of an update");
    changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
  }

  /** Move a note or emoji to (x, y). */
  public static EntityUpdate move(String entityId, double x, double y) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("x", x);
    m.put("y", y);
    return new EntityUpdate(entityId, m);
  }

  /** Resize a note. */
  public static EntityUpdate resize(String entityId, double width, double height) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("width", width);
    m.put("height", height);
    return new EntityUpdate(entityId, m);
  }

  /** Replace a note's or emoji's content. */
  public static EntityUpdate content(String entityId, String content) {
    return new EntityUpdate(entityId, Map.of("content", content));
  }

  /** Any set of field changes. */
  public static EntityUpdate of(String entityId, Map<String, Object> changes) {
    return new EntityUpdate(entityId, changes);
  }
}
