package nodenogg.microcosm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The web app's export shape {@code SerializedMicrocosm = {identityId: {entityId: entity}}} as
 * JSON, numbers printed as JavaScript prints them ({@code 200}, not {@code 200.0}). Thread-safe.
 */
public final class MicrocosmJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final double MAX_SAFE_INTEGER = 9007199254740991d;

  private MicrocosmJson() {}

  /** Result of parsing: the valid entities per collection and what was skipped. */
  public record Parsed(Map<String, Map<String, Entity>> collections, List<InvalidValue> skipped) {}

  /** Pretty-printed JSON of {@code microcosm} (collections and entities in sorted order). */
  public static String write(Map<String, Map<String, Entity>> microcosm, SchemaProfile profile) {
    ObjectNode root = NODES.objectNode();
    for (Map.Entry<String, Map<String, Entity>> c : new TreeMap<>(microcosm).entrySet()) {
      ObjectNode coll = root.putObject(c.getKey());
      for (Map.Entry<String, Entity> e : new TreeMap<>(c.getValue()).entrySet()) {
        coll.set(e.getKey(), toNode(profile.encodeEntity(e.getValue())));
      }
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON", e);
    }
  }

  /**
   * Parses either a SerializedMicrocosm ({@code {identityId: {entityId: entity}}}) or a single
   * collection ({@code {entityId: entity}}, returned under the key {@code ""}). Entities are read
   * with {@code profile} first, then the other profile; invalid ones are skipped and listed.
   *
   * @throws InvalidEntityException when the text is not JSON or not an object
   */
  public static Parsed read(String json, SchemaProfile profile) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidEntityException("input is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEntityException(
          "input must be a JSON object {identityId: {entityId: entity}} or {entityId: entity}");
    }
    Map<String, Map<String, Entity>> out = new LinkedHashMap<>();
    List<InvalidValue> skipped = new ArrayList<>();
    boolean single = false;
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      if (EntityId.isValid(it.next())) {
        single = true;
      }
    }
    if (single) {
      readCollection("", root, profile, out, skipped);
    } else {
      for (Map.Entry<String, JsonNode> c : root.properties()) {
        if (!IdentityId.isValid(c.getKey()) || !c.getValue().isObject()) {
          skipped.add(
              new InvalidValue(c.getKey(), "", "not an identity id with an object of entities"));
          continue;
        }
        readCollection(c.getKey(), c.getValue(), profile, out, skipped);
      }
    }
    return new Parsed(out, skipped);
  }

  private static void readCollection(
      String identity,
      JsonNode node,
      SchemaProfile profile,
      Map<String, Map<String, Entity>> out,
      List<InvalidValue> skipped) {
    Map<String, Entity> coll = out.computeIfAbsent(identity, k -> new LinkedHashMap<>());
    String owner = IdentityId.isValid(identity) ? identity : null;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      Object plain = toPlain(e.getValue());
      try {
        Entity entity = decodeEither(plain, owner, profile);
        if (!entity.id().equals(e.getKey())) {
          throw new InvalidEntityException("key does not match the entity's id " + entity.id());
        }
        coll.put(e.getKey(), entity);
      } catch (InvalidEntityException ex) {
        skipped.add(new InvalidValue(identity, e.getKey(), ex.getMessage()));
      }
    }
  }

  private static Entity decodeEither(Object plain, String owner, SchemaProfile profile) {
    // Accept both the bare entity and the stored {content, signature} wrapper.
    if (plain instanceof Map<?, ?> m
        && m.containsKey("content")
        && m.get("content") instanceof Map) {
      plain = m.get("content");
    }
    String fallbackOwner = owner != null ? owner : IdentityId.create();
    try {
      return profile.decodeEntity(plain, fallbackOwner);
    } catch (InvalidEntityException first) {
      try {
        return profile.other().decodeEntity(plain, fallbackOwner);
      } catch (InvalidEntityException ignored) {
        throw first;
      }
    }
  }

  /** A plain value (maps, lists, strings, numbers, booleans, null) as a Jackson tree. */
  public static JsonNode toNode(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof String s) {
      return NODES.textNode(s);
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
        return NODES.numberNode((long) d);
      }
      return NODES.numberNode(d);
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = NODES.objectNode();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        o.set(String.valueOf(e.getKey()), toNode(e.getValue()));
      }
      return o;
    }
    if (v instanceof List<?> l) {
      ArrayNode a = NODES.arrayNode();
      for (Object x : l) {
        a.add(toNode(x));
      }
      return a;
    }
    return NODES.textNode(String.valueOf(v));
  }

  /**
   * A Jackson tree as plain values: LinkedHashMap, ArrayList, String, Long/Double, Boolean, null.
   */
  public static Object toPlain(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        m.put(e.getKey(), toPlain(e.getValue()));
      }
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(toPlain(x)));
      return l;
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n.asText();
  }
}
