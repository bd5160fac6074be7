package nodenogg.microcosm;

import java.util.List;

/**
 * Observable state of a microcosm (E5 {@code MicrocosmAPIState}), with honest meanings:
 *
 * @param ready the document is open and its stored state loaded
 * @param connected at least one transport currently has a live connection (a real socket is open)
 * @param persisted a store is attached, its stored updates have been loaded, and every change so
 *     far is stored or on its way (false after a failed append until a retry succeeds)
 * @param identities identities present through awareness (deduplicated by id, newest wins)
 */
public record MicrocosmState(
    boolean ready, boolean connected, boolean persisted, List<IdentityWithStatus> identities) {

  public MicrocosmState {
    identities = List.copyOf(identities);
  }

  /** Number of identities currently joined (what the web app shows). */
  public long joinedCount() {
    return identities.stream().filter(IdentityWithStatus::joined).count();
  }
}
