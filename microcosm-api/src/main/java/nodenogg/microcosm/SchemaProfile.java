package nodenogg.microcosm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which era of the web app's document format to write (and to read first). Each web build silently
 * ignores the other era's entities, so a writer must pick exactly one; readers accept both.
 *
 * <table>
 *   <caption>Stored entity value {@code {content, signature: ''}} per profile</caption>
 *   <tr><th>profile</th><th>content</th><th>awareness {@code identity} field</th></tr>
 *   <tr><td>{@link #E5} (default; nodenogg.in since 2025-07)</td>
 *       <td>{@code {id, identity_id, lastEdited, created, data, version:'1'}}; emoji data
 *           {@code {type, content, x, y, parentNodeId?}}; html may carry {@code tags}</td>
 *       <td>{@code {identity:{id, nickname?, version:'1'}, timestamp, joined}}</td></tr>
 *   <tr><td>{@link #E4} (alpha-p2p v0.0.11)</td>
 *       <td>{@code {uuid, lastEdited, created, version:'1', data}}; emoji data
 *           {@code {type, content, entity?}}; no tags</td>
 *       <td>{@code {uuid, nickname?, version:'1', timestamp, joined}}</td></tr>
 * </table>
 *
 * <p>Values are plain Java values (Map with String keys, List, String, Number, Boolean) exactly as
 * a Yjs {@code ContentAny} holds them. Decoding never mutates its input; it throws {@link
 * InvalidEntityException} naming the first offending field. Thread-safe.
 */
public enum SchemaProfile {
  /** The current web app (thestrangetoolstore/nodenogg.in, 2025-07 onwards). */
  E5,
  /** alpha-p2p HEAD (2025-05). */
  E4;

  /** The entity as the {@code content} object of this profile, keys in the web app's order. */
  public Map<String, Object> encodeEntity(Entity e) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (this == E5) {
      m.put("id", e.id());
      m.put("identity_id", e.identityId());
      m.put("lastEdited", e.lastEdited());
      m.put("created", e.created());
      m.put("data", Plain.fromData(e.data(), false));
      m.put("version", Entity.VERSION);
    } else {
      m.put("uuid", e.id());
      m.put("lastEdited", e.lastEdited());
      m.put("created", e.created());
      m.put("version", Entity.VERSION);
      m.put("data", Plain.fromData(e.data(), true));
    }
    return m;
  }

  /** The value stored under the entity's key: {@code {content: encodeEntity(e), signature: ''}}. */
  public Map<String, Object> encodeStored(Entity e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("content", encodeEntity(e));
    m.put("signature", "");
    return m;
  }

  /**
   * Parses a {@code content} object of this profile.
   *
   * @param collection the identity whose collection it was read from; used as the owner of E4
   *     values (which do not name it) and when an E5 value lacks nothing else
   */
  public Entity decodeEntity(Object content, String collection) {
    Map<String, Object> m = Plain.object(content, "entity");
    Object version = m.get("version");
    if (!Entity.VERSION.equals(version)) {
      throw new InvalidEntityException(
          "version must be the string \"1\", got " + Describe.value(version));
    }
    String id = EntityId.require(m.get(this == E5 ? "id" : "uuid"), this == E5 ? "id" : "uuid");
    String owner =
        this == E5
            ? IdentityId.require(m.get("identity_id"), "identity_id")
            : IdentityId.require(collection, "collection name");
    long lastEdited = Plain.timestamp(m, "lastEdited");
    long created = Plain.timestamp(m, "created");
    if (!m.containsKey("data")) {
      throw new InvalidEntityException("data must be an object, got nothing (required)");
    }
    EntityData data = Plain.toData(m.get("data"), this == E4);
    return new Entity(id, owner, created, lastEdited, data);
  }

  /** Parses a stored value {@code {content, signature}} of this profile. */
  public Entity decodeStored(Object stored, String collection) {
    Map<String, Object> m = Plain.object(stored, "stored value");
    if (!m.containsKey("content")) {
      throw new InvalidEntityException("stored value must have a 'content' object");
    }
    try {
      return decodeEntity(m.get("content"), collection);
    } catch (InvalidEntityException e) {
      throw e.within("content");
    }
  }

  /**
   * Lenient read of a stored value: this profile first, then the other one. Throws the error of
   * this profile when neither accepts it.
   */
  public Entity decodeStoredLenient(Object stored, String collection) {
    try {
      return decodeStored(stored, collection);
    } catch (InvalidEntityException first) {
      try {
        return other().decodeStored(stored, collection);
      } catch (InvalidEntityException ignored) {
        throw first;
      }
    }
  }

  /** The other profile. */
  public SchemaProfile other() {
    return this == E5 ? E4 : E5;
  }

  /** The awareness {@code identity} field this profile publishes for a presence status. */
  public Map<String, Object> encodePresence(IdentityWithStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (this == E5) {
      Map<String, Object> identity = new LinkedHashMap<>();
      identity.put("id", s.identity().id());
      if (s.identity().nickname() != null) {
        identity.put("nickname", s.identity().nickname());
      }
      identity.put("version", Entity.VERSION);
      m.put("identity", identity);
    } else {
      m.put("uuid", s.identity().id());
      if (s.identity().nickname() != null) {
        m.put("nickname", s.identity().nickname());
      }
      m.put("version", Entity.VERSION);
    }
    m.put("timestamp", s.timestamp());
    m.put("joined", s.joined());
    return m;
  }

  /** Parses an awareness {@code identity} field of this profile. */
  public IdentityWithStatus decodePresence(Object value) {
    Map<String, Object> m = Plain.object(value, "presence");
    Map<String, Object> identity =
        this == E5 ? Plain.object(m.get("identity"), "presence.identity") : m;
    if (!Entity.VERSION.equals(identity.get("version"))) {
      throw new InvalidEntityException(
          "identity version must be the string \"1\", got "
              + Describe.value(identity.get("version")));
    }
    String id = IdentityId.require(identity.get(this == E5 ? "id" : "uuid"), "identity id");
    String nickname = Plain.optionalString(identity, "nickname");
    long timestamp = Plain.timestamp(m, "timestamp");
    Object joined = m.get("joined");
    if (!(joined instanceof Boolean)) {
      throw new InvalidEntityException("joined must be a boolean, got " + Describe.value(joined));
    }
    return new IdentityWithStatus(new Identity(id, nickname), timestamp, (Boolean) joined);
  }

  /** {@link #decodePresence} with this profile, then the other. */
  public IdentityWithStatus decodePresenceLenient(Object value) {
    try {
      return decodePresence(value);
    } catch (InvalidEntityException first) {
      try {
        return other().decodePresence(value);
      } catch (InvalidEntityException ignored) {
        throw first;
      }
    }
  }

  /** Parses an identity object {@code {id|uuid, nickname?, version}} of this profile. */
  public Identity decodeIdentity(Object value) {
    Map<String, Object> m = Plain.object(value, "identity");
    if (!Entity.VERSION.equals(m.get("version"))) {
      throw new InvalidEntityException(
          "version must be the string \"1\", got " + Describe.value(m.get("version")));
    }
    String key = this == E5 ? "id" : "uuid";
    return new Identity(IdentityId.require(m.get(key), key), Plain.optionalString(m, "nickname"));
  }

  /** An identity object {@code {id|uuid, nickname?, version:'1'}} of this profile. */
  public Map<String, Object> encodeIdentity(Identity identity) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(this == E5 ? "id" : "uuid", identity.id());
    if (identity.nickname() != null) {
      m.put("nickname", identity.nickname());
    }
    m.put("version", Entity.VERSION);
    return m;
  }
}
