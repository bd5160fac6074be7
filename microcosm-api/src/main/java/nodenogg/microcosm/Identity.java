package nodenogg.microcosm;

/**
 * A person or program taking part in microcosms (E5 {@code {id, nickname?, version: '1'}}).
 *
 * @param nickname optional display name, {@code null} when absent
 */
public record Identity(String id, String nickname) {

  public Identity {
    IdentityId.require(id, "identity id");
  }

  /** A new identity with a random id. */
  public static Identity create(String nickname) {
    return new Identity(IdentityId.create(), nickname);
  }

  /** Schema version, always {@code "1"}. */
  public String version() {
    return Entity.VERSION;
  }
}
