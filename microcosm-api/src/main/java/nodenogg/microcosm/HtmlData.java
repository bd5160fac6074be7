package nodenogg.microcosm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A note card ({@code type: 'html'}): position, size, HTML content, optional card colour and (E5)
 * optional tags.
 *
 * <p>Tags follow the web app's schema: each is trimmed and lowercased; a tag longer than {@link
 * Tags#MAX_LENGTH} after that is invalid. {@code tags == null} means the field is absent. {@code
 * backgroundColor} by convention holds a colour name ({@code red, orange, yellow, green, blue,
 * purple, pink, turquoise, putty}); it is not validated.
 */
public record HtmlData(
    double x,
    double y,
    double width,
    double height,
    String content,
    String backgroundColor,
    List<String> tags)
    implements EntityData {

  /** Default width and height of a new note in the web app. */
  public static final double DEFAULT_SIZE = 200;

  public HtmlData {
    x = EntityData.number(x, "x");
    y = EntityData.number(y, "y");
    width = EntityData.number(width, "width");
    height = EntityData.number(height, "height");
    if (content == null) {
      throw new InvalidEntityException(
          "content must be a string (use \"\" for an empty note), got null");
    }
    tags = tags == null ? null : Tags.normaliseStrict(tags);
  }

  /** An empty-coloured, untagged note of the default size at (x, y). */
  public static HtmlData note(double x, double y, String content) {
    return new HtmlData(x, y, DEFAULT_SIZE, DEFAULT_SIZE, content, null, null);
  }

  @Override
  public EntityType type() {
    return EntityType.HTML;
  }

  public HtmlData withPosition(double newX, double newY) {
    return new HtmlData(newX, newY, width, height, content, backgroundColor, tags);
  }

  public HtmlData withSize(double newWidth, double newHeight) {
    return new HtmlData(x, y, newWidth, newHeight, content, backgroundColor, tags);
  }

  public HtmlData withContent(String newContent) {
    return new HtmlData(x, y, width, height, newContent, backgroundColor, tags);
  }

  public HtmlData withBackgroundColor(String colour) {
    return new HtmlData(x, y, width, height, content, colour, tags);
  }

  public HtmlData withTags(List<String> newTags) {
    return new HtmlData(x, y, width, height, content, backgroundColor, newTags);
  }

  /** Adds a tag (normalised and cut to 30 characters) unless present or already 20 tags. */
  public HtmlData withTag(String tag) {
    String t = Tags.normalise(tag);
    List<String> current = tags == null ? List.of() : tags;
    if (t.isEmpty() || current.contains(t) || current.size() >= Tags.MAX_PER_ENTITY) {
      return this;
    }
    List<String> next = new ArrayList<>(current);
    next.add(t);
    return withTags(Collections.unmodifiableList(next));
  }
}
