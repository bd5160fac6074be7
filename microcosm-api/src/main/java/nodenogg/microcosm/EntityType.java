package nodenogg.microcosm;

import java.util.Optional;

/** The entity types of E4/E5, with their wire names ({@code data.type}). */
public enum EntityType {
  /** A note: an HTML card with position and size ({@link HtmlData}). */
  HTML("html"),
  /** A link between two entities ({@link ConnectionData}). */
  CONNECTION("connection"),
  /** An emoji reaction ({@link EmojiData}). */
  EMOJI("emoji");

  private final String wireName;

  EntityType(String wireName) {
    this.wireName = wireName;
  }

  /** The {@code data.type} string stored in the document. */
  public String wireName() {
    return wireName;
  }

  /** The type with this wire name, if any. */
  public static Optional<EntityType> fromWireName(Object name) {
    for (EntityType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
