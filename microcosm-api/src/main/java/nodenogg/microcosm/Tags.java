package nodenogg.microcosm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Tag rules of the E5 web app. Schema rule (what readers enforce): each tag is trimmed and
 * lowercased, then must be at most 30 characters. Helper rules (what editors apply): {@link
 * #normalise} also cuts to 30 characters, and an entity carries at most 20 tags.
 */
public final class Tags {
  /** Longest valid tag, after trimming. */
  public static final int MAX_LENGTH = 30;

  /** Most tags the web app's helpers put on one entity (not a schema rule). */
  public static final int MAX_PER_ENTITY = 20;

  private Tags() {}

  /** Trim, lowercase and cut to {@link #MAX_LENGTH} (the web app's TagManager normalisation). */
  public static String normalise(String tag) {
    String t = tag.trim().toLowerCase(Locale.ROOT);
    return t.length() > MAX_LENGTH ? t.substring(0, MAX_LENGTH) : t;
  }

  /** Schema transform: trims and lowercases each tag; throws if one is null or too long. */
  static List<String> normaliseStrict(List<?> tags) {
    List<String> out = new ArrayList<>(tags.size());
    for (int i = 0; i < tags.size(); i++) {
      Object raw = tags.get(i);
      if (!(raw instanceof String s)) {
        throw new InvalidEntityException(
            "tags[" + i + "] must be a string, got " + Describe.value(raw));
      }
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.length() > MAX_LENGTH) {
        throw new InvalidEntityException(
            "tags["
                + i
                + "] is "
                + t.length()
                + " characters; at most "
                + MAX_LENGTH
                + " allowed (Tags.normalise cuts it)");
      }
      out.add(t);
    }
    return Collections.unmodifiableList(out);
  }
}
