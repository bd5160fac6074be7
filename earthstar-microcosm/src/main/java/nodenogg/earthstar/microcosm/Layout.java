package nodenogg.earthstar.microcosm;

import nodenogg.earthstar.Addresses;

/**
 * The paths of a microcosm in an Earthstar share (docs/earthstar-layout.md). Every identity writes
 * only below its own {@code ~@author} segment, which Earthstar enforces:
 *
 * <pre>
 * /microcosm/v1/~AUTHOR/identity              {"id":IDENTITY_ID,"nickname"?}
 * /microcosm/v1/~AUTHOR/ENTITY/entity         {"id","identity_id","created","version":"1","data":{...}} ("" = deleted)
 * /microcosm/v1/~AUTHOR/ENTITY/position       {"x","y"[,"width","height"]}
 * /microcosm/v1/~AUTHOR/ENTITY/html           {"content":HTML} or {"attachment":HASH} when over 8,000 bytes
 * /microcosm/v1/~AUTHOR/ENTITY/html.html      attachment: the HTML bytes (UTF-8)
 * /microcosm/v1/~AUTHOR/presence!             ephemeral: {"identity":{...},"timestamp","joined"}
 * </pre>
 */
public final class Layout {
  public static final String ROOT = "/microcosm/v1/";

  private Layout() {}

  /** The identity id of an author's collection: {@code @} + the first 16 characters of its key. */
  public static String identityId(String author) {
    String key = author.substring(author.indexOf('.') + 2);
    return "@" + key.substring(0, 16);
  }

  static String base(String author) {
    return ROOT + "~" + author + "/";
  }

  static String identity(String author) {
    return base(author) + "identity";
  }

  static String entity(String author, String entityId) {
    return base(author) + entityId + "/entity";
  }

  static String position(String author, String entityId) {
    return base(author) + entityId + "/position";
  }

  static String html(String author, String entityId) {
    return base(author) + entityId + "/html";
  }

  static String htmlAttachment(String author, String entityId) {
    return base(author) + entityId + "/html.html";
  }

  static String presence(String author) {
    return base(author) + "presence!";
  }

  /** A parsed path of this layout, or null. */
  record Parsed(String author, String entityId, String part) {}

  static Parsed parse(String path) {
    if (!path.startsWith(ROOT + "~@")) {
      return null;
    }
    String rest = path.substring(ROOT.length() + 1);
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String author = rest.substring(0, slash);
    if (!Addresses.isAuthor(author)) {
      return null;
    }
    String tail = rest.substring(slash + 1);
    int s2 = tail.indexOf('/');
    if (s2 < 0) {
      return new Parsed(author, null, tail);
    }
    return new Parsed(author, tail.substring(0, s2), tail.substring(s2 + 1));
  }
}
