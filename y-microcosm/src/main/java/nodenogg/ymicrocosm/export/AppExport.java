package nodenogg.ymicrocosm.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.MicrocosmAPI;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.ymicrocosm.YMicrocosm;

/**
 * The downloads of the nodenogg.in web app (v0.3.40, {@code products/app/src/utils/export*.ts},
 * {@code docs/guide/export.md}), made from any {@link MicrocosmAPI} with the app's rules, so a file
 * made here is what a user would download from the app for the same document:
 *
 * <ul>
 *   <li>{@link #json}: "Export as JSON", one identity's entities as {@code {microcosm_id,
 *       generated_at, app_version, identity_id, entities}}, indented as {@code JSON.stringify(data,
 *       null, 2)}; file {@code microcosm-<id>-<YYYY-MM-DD>.json}.
 *   <li>{@link #markdown}: "Export all to Markdown files", a zip of {@code README.md} and one
 *       {@code YYYY-MM-DD-<slug>.md} per note, standalone emoji and connection (emoji on a note are
 *       listed in its file), with the app's front matter and HTML-to-Markdown conversion.
 *   <li>{@link #rtf}: "Export all to Text files", a zip of {@code README.txt}, {@code
 *       all-nodes.rtf} and one {@code .rtf} per entity.
 * </ul>
 *
 * Given a {@link YMicrocosm}, collections and entities are taken in the document's order (the order
 * of the Yjs map keys, which is the order the app's {@code getCollections} / {@code getCollection}
 * yield); given another {@link MicrocosmAPI}, in that API's order. Order, names and bytes follow
 * the app, quirks included (two entities whose names collide leave the later one's file in the zip,
 * as JSZip does; RTF escapes are unsigned). {@code app_version} is the app's constant {@value
 * #APP_VERSION}. An entity whose timestamps a JS Date cannot hold is left out, as the app's export
 * skips it. Stateless, thread-safe (reads the API's snapshot methods).
 */
public final class AppExport {
  /** {@code APP_VERSION} of {@code @nodenogg.in/core} at v0.3.40, written into every export. */
  public static final String APP_VERSION = "0.0.1";

  private AppExport() {}

  /** One file of an export. */
  public record File(String name, String content) {}

  /**
   * A zip download: its file name and entries in archive order (a name given twice keeps its first
   * place and its last content, as JSZip does).
   */
  public record Archive(String name, List<File> entries) {
    public Archive {
      entries = List.copyOf(entries);
    }

    /** The zip bytes (UTF-8 entries, deflated). */
    public byte[] zip() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipOutputStream z = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
        for (File f : entries) {
          z.putNextEntry(new ZipEntry(f.name()));
          z.write(f.content().getBytes(StandardCharsets.UTF_8));
          z.closeEntry();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }
  }

  /** What an export reads: collections and their entity ids in order, and the valid entities. */
  interface Source {
    List<String> collections();

    List<String> collection(String identityId);

    Optional<Entity> entity(String identityId, String entityId);

    static Source of(MicrocosmAPI m) {
      if (m instanceof YMicrocosm y) {
        return documentOrder(y);
      }
      return new Source() {
        @Override
        public List<String> collections() {
          return m.getCollections();
        }

        @Override
        public List<String> collection(String identityId) {
          return m.getCollection(identityId);
        }

        @Override
        public Optional<Entity> entity(String identityId, String entityId) {
          return m.getEntity(identityId, entityId);
        }
      };
    }

    /**
     * The Yjs maps' key order (Yjs keeps keys in the order they were first integrated), valid ones
     * only.
     */
    static Source documentOrder(YMicrocosm m) {
      return new Source() {
        @Override
        public List<String> collections() {
          List<String> valid = m.getCollections();
          List<String> out = new ArrayList<>();
          for (String k : m.doc().getMap("identities").keys()) {
            if (valid.contains(k)) {
              out.add(k);
            }
          }
          return out;
        }

        @Override
        public List<String> collection(String identityId) {
          Map<String, Entity> valid = m.collection(identityId);
          List<String> out = new ArrayList<>();
          for (String k : m.doc().getMap(identityId).keys()) {
            if (valid.containsKey(k)) {
              out.add(k);
            }
          }
          return out;
        }

        @Override
        public Optional<Entity> entity(String identityId, String entityId) {
          return m.getEntity(identityId, entityId);
        }
      };
    }
  }

  /**
   * The collections of {@code m} in the order the app lists them (the first is the CLI's default
   * identity).
   */
  public static List<String> collections(MicrocosmAPI m) {
    return Source.of(m).collections();
  }

  /** Every valid entity of {@code m}, collection by collection, in the order the app lists them. */
  public static List<Entity> entities(MicrocosmAPI m) {
    return new Gathered(m).all;
  }

  /** The app's "Export as JSON" of {@code identityId}'s collection. */
  public static String json(
      MicrocosmAPI api, String microcosmId, String identityId, Instant generatedAt) {
    Source m = Source.of(api);
    Map<String, Object> entities = new LinkedHashMap<>();
    for (String id : m.collection(identityId)) {
      Optional<Entity> e = m.entity(identityId, id);
      e.ifPresent(x -> entities.put(id, SchemaProfile.E5.encodeEntity(x)));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("microcosm_id", microcosmId);
    out.put("generated_at", Js.isoString(generatedAt.toEpochMilli()));
    out.put("app_version", APP_VERSION);
    out.put("identity_id", identityId);
    out.put("entities", entities);
    return PrettyJson.stringify(out);
  }

  /** {@code microcosm-<id>-<YYYY-MM-DD>.json}. */
  public static String jsonFileName(String microcosmId, Instant now) {
    return "microcosm-" + microcosmId + "-" + Js.isoDate(now.toEpochMilli()) + ".json";
  }

  /**
   * Every entity of every collection, in the app's order (collections, then each collection's
   * keys).
   */
  private static final class Gathered {
    final List<Entity> all = new ArrayList<>();
    int identities;
    final Map<String, List<Entity>> emojiOf = new LinkedHashMap<>();

    Gathered(MicrocosmAPI api) {
      Source m = Source.of(api);
      for (String identity : m.collections()) {
        identities++;
        for (String id : m.collection(identity)) {
          m.entity(identity, id).ifPresent(all::add);
        }
      }
      for (Entity e : all) {
        if (e.data() instanceof EmojiData em && Js.truthy(em.parentNodeId())) {
          emojiOf.computeIfAbsent(em.parentNodeId(), k -> new ArrayList<>()).add(e);
        }
      }
    }

    /**
     * The files, one per exported entity (emoji on a parent are folded into their parent's file).
     */
    List<File> files(String extension, boolean rtf) {
      List<File> files = new ArrayList<>();
      int index = 0;
      for (Entity e : all) {
        if (e.data() instanceof EmojiData em && Js.truthy(em.parentNodeId())) {
          continue;
        }
        List<Entity> emoji =
            e.data() instanceof HtmlData ? emojiOf.getOrDefault(e.id(), List.of()) : List.of();
        try {
          String name = Markdown.fileName(e, index, extension, rtf);
          String content = rtf ? Rtf.entity(e, emoji) : Markdown.entity(e, emoji);
          files.add(new File(name, content));
          index++;
        } catch (IllegalArgumentException invalidDate) {
          // the app's export logs and skips an entity whose dates a JS Date cannot hold
        }
      }
      return files;
    }
  }

  /** The app's "Export all to Markdown files" zip. */
  public static Archive markdown(MicrocosmAPI m, String microcosmId, Instant generatedAt) {
    Gathered g = new Gathered(m);
    List<File> files = g.files("md", false);
    String at = Js.isoString(generatedAt.toEpochMilli());
    List<File> entries = new ArrayList<>();
    entries.add(
        new File("README.md", Markdown.manifest(microcosmId, at, g.identities, names(files))));
    entries.addAll(files);
    return new Archive(
        "microcosm-" + microcosmId + "-markdown-" + Js.isoDate(generatedAt.toEpochMilli()) + ".zip",
        jsZipOrder(entries));
  }

  /** The app's "Export all to Text files" (RTF) zip. */
  public static Archive rtf(MicrocosmAPI m, String microcosmId, Instant generatedAt) {
    Gathered g = new Gathered(m);
    List<File> files = g.files("rtf", true);
    String at = Js.isoString(generatedAt.toEpochMilli());
    List<File> entries = new ArrayList<>();
    entries.add(new File("README.txt", Rtf.manifest(microcosmId, at, g.identities, names(files))));
    entries.add(new File("all-nodes.rtf", Rtf.combined(microcosmId, at, g.identities, files)));
    entries.addAll(files);
    return new Archive(
        "microcosm-" + microcosmId + "-rtf-" + Js.isoDate(generatedAt.toEpochMilli()) + ".zip",
        jsZipOrder(entries));
  }

  private static List<String> names(List<File> files) {
    List<String> out = new ArrayList<>();
    files.forEach(f -> out.add(f.name()));
    return out;
  }

  /**
   * Later files replace earlier ones of the same name in place (JSZip's {@code file(name, data)}).
   */
  private static List<File> jsZipOrder(List<File> files) {
    Map<String, File> byName = new LinkedHashMap<>();
    for (File f : files) {
      byName.put(f.name(), f);
    }
    return new ArrayList<>(byName.values());
  }

  /**
   * A JSON export read back ({@link #readJson}).
   *
   * @param microcosmId {@code microcosm_id}
   * @param identityId {@code identity_id}
   * @param generatedAt {@code generated_at} as written
   * @param entities the valid entities, in file order
   * @param skipped {@code entityId: reason} for entries that are not valid E5 entities
   */
  public record JsonExport(
      String microcosmId,
      String identityId,
      String generatedAt,
      List<Entity> entities,
      Map<String, String> skipped) {
    public JsonExport {
      entities = List.copyOf(entities);
      skipped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }
  }

  /**
   * Reads an "Export as JSON" file (ours or the app's). Entries that are not valid E5 entities, or
   * whose key is not their id, are skipped with a reason.
   *
   * @throws IllegalArgumentException when the text is not such an export (not JSON, or a required
   *     field missing), saying what is wrong
   */
  public static JsonExport readJson(String text) {
    Object root;
    try {
      root = nodenogg.crdt.Json.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException(
          "a JSON export is an object {microcosm_id, generated_at, app_version,"
              + " identity_id, entities}");
    }
    for (String k : List.of("microcosm_id", "identity_id", "entities")) {
      if (!m.containsKey(k)) {
        throw new IllegalArgumentException("not a web app JSON export: '" + k + "' is missing");
      }
    }
    if (!(m.get("identity_id") instanceof String identity)
        || !nodenogg.microcosm.IdentityId.isValid(identity)) {
      throw new IllegalArgumentException(
          "identity_id must be an identity id ('@' + 16 letters or digits), got "
              + m.get("identity_id"));
    }
    if (!(m.get("entities") instanceof Map<?, ?> entries)) {
      throw new IllegalArgumentException("entities must be an object {entityId: entity}");
    }
    List<Entity> entities = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : entries.entrySet()) {
      String key = String.valueOf(e.getKey());
      try {
        Entity x = SchemaProfile.E5.decodeEntity(e.getValue(), identity);
        if (!x.id().equals(key)) {
          throw new nodenogg.microcosm.InvalidEntityException(
              "the key is not the entity's id " + x.id());
        }
        entities.add(x);
      } catch (nodenogg.microcosm.InvalidEntityException ex) {
        skipped.put(key, ex.getMessage());
      }
    }
    return new JsonExport(
        String.valueOf(m.get("microcosm_id")),
        identity,
        String.valueOf(m.get("generated_at")),
        entities,
        skipped);
  }

  /** The app's emoji list: contents joined with ", ", empty ones left out. */
  static String emojiList(List<Entity> emoji) {
    List<String> parts = new ArrayList<>();
    for (Entity e : emoji) {
      String c = ((EmojiData) e.data()).content();
      if (!c.isEmpty()) {
        parts.add(c);
      }
    }
    return String.join(", ", parts);
  }
}
