package nodenogg.microcosm;

/**
 * The type-specific part of an entity ({@code entity.data} in the document): one of {@link
 * HtmlData}, {@link ConnectionData}, {@link EmojiData}. Instances are immutable records that
 * validate themselves on construction (throwing {@link InvalidEntityException}).
 */
public sealed interface EntityData permits HtmlData, ConnectionData, EmojiData {

  /** Which kind of entity this is. */
  EntityType type();

  /**
   * Numbers must be JS numbers that JSON and valibot accept: not NaN. {@code -0.0} becomes {@code
   * 0.0}, as it does on the wire (lib0 writes it as the integer 0), so peers compare equal.
   */
  static double number(double v, String field) {
    if (Double.isNaN(v)) {
      throw new InvalidEntityException(field + " must be a number, got NaN");
    }
    return v == 0 ? 0.0 : v;
  }

  /** Optional entity-id reference: null or a valid entity id. */
  static String optionalEntityId(String v, String field) {
    return v == null ? null : EntityId.require(v, field);
  }
}
