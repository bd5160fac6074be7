package nodenogg.ymicrocosm.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.microcosm.IdentityWithStatus;
import nodenogg.microcosm.InvalidEntityException;
import nodenogg.microcosm.SchemaProfile;

/** Who is present, read from awareness states as the web app reads them. Stateless. */
public final class PresenceView {
  private PresenceView() {}

  /**
   * The {@code identity} field of every awareness state that carries a valid one (either era), one
   * entry per identity id (the newest timestamp wins; the web app keeps the last), sorted by id.
   * Malformed states are ignored.
   */
  public static List<IdentityWithStatus> of(Map<Long, Object> states, SchemaProfile profile) {
    Map<String, IdentityWithStatus> byId = new LinkedHashMap<>();
    for (Object st : states.values()) {
      if (!(st instanceof Map<?, ?> m) || !m.containsKey("identity")) {
        continue;
      }
      try {
        IdentityWithStatus s = profile.decodePresenceLenient(m.get("identity"));
        IdentityWithStatus prev = byId.get(s.identity().id());
        if (prev == null || prev.timestamp() <= s.timestamp()) {
          byId.put(s.identity().id(), s);
        }
      } catch (InvalidEntityException e) {
        // not a presence this era understands: invisible, as in the web app
      }
    }
    List<IdentityWithStatus> list = new ArrayList<>(byId.values());
    list.sort(Comparator.comparing(s -> s.identity().id()));
    return List.copyOf(list);
  }
}
