package nodenogg.microcosm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversions between {@link EntityData} and plain values (maps, lists, strings, numbers) with the
 * E5 field names, and the typed field readers the codecs share. Field order follows the web app's
 * schema order. Package-private; reached through {@link SchemaProfile} and {@link Entities}.
 */
final class Plain {
  private Plain() {}

  static Map<String, Object> fromData(EntityData data, boolean e4) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", data.type().wireName());
    if (data instanceof HtmlData h) {
      m.put("x", h.x());
      m.put("y", h.y());
      m.put("width", h.width());
      m.put("height", h.height());
      m.put("content", h.content());
      putIfPresent(m, "backgroundColor", h.backgroundColor());
      if (h.tags() != null && !e4) {
        m.put("tags", new ArrayList<Object>(h.tags()));
      }
    } else if (data instanceof ConnectionData c) {
      putIfPresent(m, "from", c.from());
      putIfPresent(m, "to", c.to());
    } else {
      EmojiData e = (EmojiData) data;
      m.put("content", e.content());
      if (e4) {
        putIfPresent(m, "entity", e.parentNodeId());
      } else {
        m.put("x", e.x());
        m.put("y", e.y());
        putIfPresent(m, "parentNodeId", e.parentNodeId());
      }
    }
    return m;
  }

  static EntityData toData(Object value, boolean e4) {
    Map<String, Object> m = object(value, "data");
    Object typeName = m.get("type");
    EntityType type =
        EntityType.fromWireName(typeName)
            .orElseThrow(
                () ->
                    new InvalidEntityException(
                        "data.type must be one of 'html', 'connection', 'emoji', got "
                            + Describe.value(typeName)));
    try {
      switch (type) {
        case HTML:
          return new HtmlData(
              number(m, "x"),
              number(m, "y"),
              number(m, "width"),
              number(m, "height"),
              string(m, "content"),
              optionalString(m, "backgroundColor"),
              e4 ? null : optionalTags(m));
        case CONNECTION:
          return new ConnectionData(optionalString(m, "from"), optionalString(m, "to"));
        default:
          if (e4) {
            return new EmojiData(string(m, "content"), 0, 0, optionalString(m, "entity"));
          }
          return new EmojiData(
              string(m, "content"),
              number(m, "x"),
              number(m, "y"),
              optionalString(m, "parentNodeId"));
      }
    } catch (InvalidEntityException e) {
      throw e.within("data (" + type.wireName() + ")");
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value, String what) {
    if (!(value instanceof Map)) {
      throw new InvalidEntityException(what + " must be an object, got " + Describe.value(value));
    }
    for (Object k : ((Map<?, ?>) value).keySet()) {
      if (!(k instanceof String)) {
        throw new InvalidEntityException(what + " has a non-string key");
      }
    }
    return (Map<String, Object>) value;
  }

  static double number(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number)
        || v instanceof java.math.BigInteger
        || v instanceof java.math.BigDecimal) {
      throw new InvalidEntityException(
          key
              + " must be a number, got "
              + (m.containsKey(key) ? Describe.value(v) : "nothing (required)"));
    }
    double d = ((Number) v).doubleValue();
    if (Double.isNaN(d)) {
      throw new InvalidEntityException(key + " must be a number, got NaN");
    }
    return d;
  }

  static long timestamp(Map<String, Object> m, String key) {
    double d = number(m, key);
    if (Double.isInfinite(d)) {
      throw new InvalidEntityException(key + " must be a finite time in milliseconds, got " + d);
    }
    return (long) Math.floor(d);
  }

  static String string(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof String)) {
      throw new InvalidEntityException(
          key
              + " must be a string, got "
              + (m.containsKey(key) ? Describe.value(v) : "nothing (required)"));
    }
    return (String) v;
  }

  /** Absent key: null. Present: must be a string (JSON null is not accepted, as in valibot). */
  static String optionalString(Map<String, Object> m, String key) {
    if (!m.containsKey(key)) {
      return null;
    }
    Object v = m.get(key);
    if (!(v instanceof String)) {
      throw new InvalidEntityException(
          key + " is optional but, when present, must be a string; got " + Describe.value(v));
    }
    return (String) v;
  }

  static List<String> optionalTags(Map<String, Object> m) {
    if (!m.containsKey("tags")) {
      return null;
    }
    Object v = m.get("tags");
    if (!(v instanceof List)) {
      throw new InvalidEntityException(
          "tags must be an array of strings, got " + Describe.value(v));
    }
    return Tags.normaliseStrict((List<?>) v);
  }

  private static void putIfPresent(Map<String, Object> m, String key, Object v) {
    if (v != null) {
      m.put(key, v);
    }
  }
}
