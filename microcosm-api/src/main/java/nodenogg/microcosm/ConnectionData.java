package nodenogg.microcosm;

/**
 * A connection ({@code type: 'connection'}) from one entity to another. Both ends are optional (the
 * schema allows a dangling connection) but, when present, must be valid entity ids.
 */
public record ConnectionData(String from, String to) implements EntityData {

  public ConnectionData {
    EntityData.optionalEntityId(from, "from");
    EntityData.optionalEntityId(to, "to");
  }

  @Override
  public EntityType type() {
    return EntityType.CONNECTION;
  }
}
