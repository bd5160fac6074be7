package nodenogg.microcosm;

/**
 * A remembered microcosm (E5 {@code {id, lastAccessed, password?}}), as kept in a client's list of
 * recently opened microcosms.
 *
 * @param password optional room password, {@code null} when absent
 */
public record MicrocosmReference(String id, long lastAccessed, String password) {

  public MicrocosmReference {
    MicrocosmId.require(id);
  }
}
