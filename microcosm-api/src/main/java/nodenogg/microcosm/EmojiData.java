package nodenogg.microcosm;

/**
 * An emoji reaction ({@code type: 'emoji'}). E5 stores a position {@code x, y} (required) and
 * optionally the entity it reacts to ({@code parentNodeId}); the web app reacts with {@code content
 * = "❤️"}. In the E4 profile only {@code content} and the target ({@code entity}) are stored; x and
 * y read back as 0.
 *
 * <p>What x and y mean: when {@code parentNodeId} names an html note, they are an <em>offset</em>
 * from that note's top-left corner; the web app (v0.3.40 spatial view) draws the 50 × 50 px emoji
 * at {@code (note.x + x, note.y + y)}, so it moves with its note, and places new reactions just
 * outside the note's box. Otherwise (no parent, or a parent that is not a note) they are an
 * absolute canvas position.
 */
public record EmojiData(String content, double x, double y, String parentNodeId)
    implements EntityData {

  public EmojiData {
    if (content == null) {
      throw new InvalidEntityException("content must be a string (the emoji), got null");
    }
    x = EntityData.number(x, "x");
    y = EntityData.number(y, "y");
    EntityData.optionalEntityId(parentNodeId, "parentNodeId");
  }

  /** A reaction to {@code target} shown at (x, y) from the target note's top-left corner. */
  public static EmojiData reaction(String emoji, String target, double x, double y) {
    return new EmojiData(emoji, x, y, target);
  }

  @Override
  public EntityType type() {
    return EntityType.EMOJI;
  }
}
