package nodenogg.earthstar;

/**
 * Which documents {@link Replica#query} returns: optionally only paths starting with {@code
 * pathPrefix} and only by {@code author}; every author's version ({@code latestOnly} false) or only
 * the newest version of each path. Results are ordered by path, newest first within a path.
 */
public record Query(String pathPrefix, String author, boolean latestOnly) {

  /** Every version of every document. */
  public static Query all() {
    return new Query(null, null, false);
  }

  public static Query pathPrefix(String prefix) {
    return new Query(prefix, null, false);
  }

  public Query latest() {
    return new Query(pathPrefix, author, true);
  }

  public Query byAuthor(String author) {
    return new Query(pathPrefix, author, latestOnly);
  }
}
