package nodenogg.microcosm.legacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityData;
import nodenogg.microcosm.EntityId;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.InvalidEntityException;

/**
 * Maps E3 entities to current (E5) entities where a faithful mapping exists. Stateless,
 * thread-safe.
 *
 * <table>
 *   <caption>E3 → E5</caption>
 *   <tr><th>E3</th><th>E5</th></tr>
 *   <tr><td>html {@code x,y,width,height,body,background_color?}</td>
 *       <td>html {@code x,y,width,height}, {@code content = body}, {@code backgroundColor};
 *           {@code z} is dropped (noted)</td></tr>
 *   <tr><td>relation / connection with {@code from} and/or {@code to}</td>
 *       <td>connection, ends remapped; an end whose target is not imported is left open (noted);
 *           {@code body} (a label) is dropped (noted)</td></tr>
 *   <tr><td>emoji with {@code entity_id}</td>
 *       <td>emoji {@code content = body}, {@code parentNodeId} = remapped target; {@code x, y} is an
 *           offset from the parent note, as the web app reads it (E3 emoji have no position): the
 *           emoji of one note sit in a row just above its top-left corner, {@code (50·k, -50)} for
 *           the k-th (from 0; 50 px is the app's emoji size); 0, 0 when the target is not a note</td></tr>
 *   <tr><td>region, ghost, relation without ends, emoji without target</td>
 *       <td>skipped with the reason (E5 has no regions, ghosts mark deleted entities, the other two
 *           have nothing to attach to)</td></tr>
 * </table>
 *
 * <p>Ids: E3 ids ({@code e}+8, {@code @}+35/36) are not valid E5 ids, so every imported entity and
 * identity gets a fresh E5 id, and the returned tables map the old ids to the new ones. References
 * ({@code from}, {@code to}, {@code entity_id}) are resolved in the referring entity's own
 * collection first, then in the only other collection holding that id; an ambiguous or missing
 * target is treated as not imported. Skipping is transitive: an emoji whose target was skipped is
 * skipped. {@code created} and {@code lastEdited} are kept.
 */
public final class E3ToE5 {

  /**
   * An E3 entity that was not imported. {@code location} is {@code identityId/entityId} (E3 ids).
   */
  public record Skipped(String location, String type, String reason) {}

  /**
   * The mapping result.
   *
   * @param entities the E5 entities, grouped by nothing (each names its owner)
   * @param identityIds E3 identity id → E5 identity id, for every collection read
   * @param entityIds E3 location {@code identity/entity} → E5 entity id, for every imported entity
   * @param skipped entities not imported, with reasons
   * @param notes lossy details of imported entities (dropped fields, ends left open)
   */
  public record Result(
      List<Entity> entities,
      Map<String, String> identityIds,
      Map<String, String> entityIds,
      List<Skipped> skipped,
      List<String> notes) {
    public Result {
      entities = List.copyOf(entities);
      identityIds = Collections.unmodifiableMap(new LinkedHashMap<>(identityIds));
      entityIds = Collections.unmodifiableMap(new LinkedHashMap<>(entityIds));
      skipped = List.copyOf(skipped);
      notes = List.copyOf(notes);
    }
  }

  /** The web app's emoji box (50 × 50 px); imported emoji are laid out on this grid. */
  static final double EMOJI_SIZE = 50;

  private E3ToE5() {}

  /**
   * Maps with fresh random E5 ids.
   *
   * @param collections E3 identity id → (entity key → entity), as read from the document
   * @param owner the E5 identity that owns every imported entity, or null to give each E3 identity
   *     a new E5 identity of its own
   */
  public static Result map(Map<String, Map<String, E3Entity>> collections, String owner) {
    return map(collections, owner, EntityId::create, IdentityId::create);
  }

  /**
   * {@link #map(Map, String)} with the id generators given (for tests). Duplicate ids are drawn
   * again.
   */
  public static Result map(
      Map<String, Map<String, E3Entity>> collections,
      String owner,
      Supplier<String> newEntityId,
      Supplier<String> newIdentityId) {
    if (owner != null) {
      IdentityId.require(owner, "owner");
    }
    return new Mapping(collections, owner, newEntityId, newIdentityId).run();
  }

  /** One mapping run. */
  private static final class Mapping {
    private final Map<String, Map<String, E3Entity>> collections;
    private final String owner;
    private final Supplier<String> newEntityId;
    private final Supplier<String> newIdentityId;
    private final Map<String, E3Entity> byLocation = new LinkedHashMap<>();
    private final Map<String, String> ownerOf = new LinkedHashMap<>();
    private final List<Skipped> skipped = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** Emoji placed so far on each target location (their row position). */
    private final Map<String, Integer> emojiOnTarget = new LinkedHashMap<>();

    Mapping(
        Map<String, Map<String, E3Entity>> collections,
        String owner,
        Supplier<String> newEntityId,
        Supplier<String> newIdentityId) {
      this.collections = collections;
      this.owner = owner;
      this.newEntityId = newEntityId;
      this.newIdentityId = newIdentityId;
    }

    Result run() {
      Set<String> kept = new LinkedHashSet<>();
      for (Map.Entry<String, Map<String, E3Entity>> c : collections.entrySet()) {
        for (Map.Entry<String, E3Entity> e : c.getValue().entrySet()) {
          String loc = c.getKey() + "/" + e.getKey();
          byLocation.put(loc, e.getValue());
          ownerOf.put(loc, c.getKey());
          String reason = ownProblem(e.getValue());
          if (reason == null) {
            kept.add(loc);
          } else {
            skipped.add(new Skipped(loc, e.getValue().type(), reason));
          }
        }
      }
      dropUnattached(kept);
      Map<String, String> identityIds = new LinkedHashMap<>();
      Set<String> usedIdentities = new HashSet<>();
      for (String e3 : collections.keySet()) {
        identityIds.put(e3, owner != null ? owner : fresh(newIdentityId, usedIdentities));
      }
      Map<String, String> entityIds = new LinkedHashMap<>();
      Set<String> usedEntities = new HashSet<>();
      for (String loc : kept) {
        entityIds.put(loc, fresh(newEntityId, usedEntities));
      }
      List<Entity> entities = new ArrayList<>();
      for (String loc : kept) {
        E3Entity e = byLocation.get(loc);
        EntityData data = convert(loc, e, entityIds);
        entities.add(
            new Entity(
                entityIds.get(loc),
                identityIds.get(ownerOf.get(loc)),
                e.created(),
                e.lastEdited(),
                data));
      }
      return new Result(entities, identityIds, entityIds, skipped, notes);
    }

    /** Why an entity cannot be imported on its own, or null. */
    private String ownProblem(E3Entity e) {
      switch (e.type()) {
        case "region":
          return "region (a frame around other entities) has no E5 equivalent";
        case "ghost":
          return "ghost (the placeholder of a deleted entity) has no E5 equivalent";
        case "html":
          for (String k : List.of("x", "y", "width", "height")) {
            if (!E3Entities.isFiniteNumber(e.field(k))) {
              return "html." + k + " must be a number, got " + E3Entities.describe(e.field(k));
            }
          }
          return e.field("body") instanceof String
              ? null
              : "html.body must be a string, got " + E3Entities.describe(e.field("body"));
        case "emoji":
          if (!(e.field("body") instanceof String)) {
            return "emoji.body must be a string, got " + E3Entities.describe(e.field("body"));
          }
          return isRef(e.field("entity_id"))
              ? null
              : "emoji without a target (entity_id) has no place in E5 (E5 reactions sit on an entity)";
        default: // relation, connection
          return isRef(e.field("from")) || isRef(e.field("to"))
              ? null
              : "relation without from/to (schema v1, or v2 with neither end) connects nothing";
      }
    }

    /** Removes, until nothing changes, emoji and relations whose targets are not kept. */
    private void dropUnattached(Set<String> kept) {
      boolean changed = true;
      while (changed) {
        changed = false;
        for (String loc : new ArrayList<>(kept)) {
          E3Entity e = byLocation.get(loc);
          String reason = null;
          if (e.type().equals("emoji")) {
            if (!kept.contains(resolve(loc, e.field("entity_id")))) {
              reason =
                  "emoji target "
                      + e.field("entity_id")
                      + " is not imported ("
                      + whyNot(loc, e.field("entity_id"))
                      + ")";
            }
          } else if (e.isRelation()) {
            if (!kept.contains(resolve(loc, e.field("from")))
                && !kept.contains(resolve(loc, e.field("to")))) {
              reason =
                  "neither end of the relation is imported (from: "
                      + whyNot(loc, e.field("from"))
                      + "; to: "
                      + whyNot(loc, e.field("to"))
                      + ")";
            }
          }
          if (reason != null) {
            kept.remove(loc);
            skipped.add(new Skipped(loc, e.type(), reason));
            changed = true;
          }
        }
      }
    }

    private EntityData convert(String loc, E3Entity e, Map<String, String> ids) {
      List<String> dropped = new ArrayList<>();
      EntityData data;
      if (e.type().equals("html")) {
        Object bg = e.field("background_color");
        if (bg != null && !(bg instanceof String)) {
          dropped.add("background_color (not a string)");
          bg = null;
        }
        data =
            new HtmlData(
                num(e, "x"),
                num(e, "y"),
                num(e, "width"),
                num(e, "height"),
                (String) e.field("body"),
                (String) bg,
                null);
        extra(e, dropped, "x", "y", "width", "height", "body", "background_color");
      } else if (e.type().equals("emoji")) {
        String target = resolve(loc, e.field("entity_id"));
        E3Entity t = byLocation.get(target);
        boolean note = t.type().equals("html");
        // x, y are an offset from the parent note (the app draws the emoji at note.x + x, note.y +
        // y)
        int k = emojiOnTarget.merge(target, 1, Integer::sum) - 1;
        data =
            new EmojiData(
                (String) e.field("body"),
                note ? EMOJI_SIZE * k : 0,
                note ? -EMOJI_SIZE : 0,
                ids.get(target));
        extra(e, dropped, "body", "entity_id");
      } else {
        String from = end(loc, e, "from", ids);
        String to = end(loc, e, "to", ids);
        data = new ConnectionData(from, to);
        extra(e, dropped, "from", "to");
      }
      if (!dropped.isEmpty()) {
        notes.add(loc + ": dropped " + String.join(", ", dropped) + " (no E5 field)");
      }
      return data;
    }

    private String end(String loc, E3Entity e, String field, Map<String, String> ids) {
      Object ref = e.field(field);
      String target = resolve(loc, ref);
      if (ref != null && !ids.containsKey(target)) {
        notes.add(
            loc
                + ": "
                + field
                + " "
                + E3Entities.describe(ref)
                + " left open ("
                + whyNot(loc, ref)
                + ")");
      }
      return ids.get(target);
    }

    private void extra(E3Entity e, List<String> dropped, String... mapped) {
      List<String> known = List.of(mapped);
      for (Map.Entry<String, Object> f : e.fields().entrySet()) {
        if (!known.contains(f.getKey())
            && !(f.getKey().equals("body") && "".equals(f.getValue()))) {
          dropped.add(f.getKey());
        }
      }
    }

    /**
     * The location a reference from {@code from} points to, or null (missing, ambiguous, not an
     * id).
     */
    private String resolve(String from, Object ref) {
      if (!isRef(ref)) {
        return null;
      }
      String own = ownerOf.get(from) + "/" + ref;
      if (byLocation.containsKey(own)) {
        return own;
      }
      String found = null;
      for (String c : collections.keySet()) {
        String loc = c + "/" + ref;
        if (byLocation.containsKey(loc)) {
          if (found != null) {
            return null;
          }
          found = loc;
        }
      }
      return found;
    }

    private String whyNot(String from, Object ref) {
      if (ref == null) {
        return "absent";
      }
      if (!isRef(ref)) {
        return "not an E3 entity id";
      }
      String target = resolve(from, ref);
      if (target == null) {
        return "no such entity in the document, or in more than one other collection";
      }
      return byLocation.get(target).type() + " " + target + " skipped";
    }

    private static boolean isRef(Object v) {
      return v instanceof String s && LegacyIds.isValidE3EntityId(s);
    }

    private static double num(E3Entity e, String k) {
      return ((Number) e.field(k)).doubleValue();
    }

    private static String fresh(Supplier<String> gen, Set<String> used) {
      for (int i = 0; i < 100; i++) {
        String id = gen.get();
        if (used.add(id)) {
          return id;
        }
      }
      throw new InvalidEntityException("the id generator keeps repeating ids");
    }
  }
}
