package nodenogg.microcosm;

import java.util.Objects;

/**
 * Presence of one identity in a microcosm, as published through awareness (E5 {@code {identity,
 * timestamp, joined}}).
 *
 * @param timestamp when the identity joined or left (ms since the epoch)
 * @param joined whether it is currently joined (the web app counts only {@code joined == true})
 */
public record IdentityWithStatus(Identity identity, long timestamp, boolean joined) {

  public IdentityWithStatus {
    Objects.requireNonNull(identity, "identity");
  }
}
