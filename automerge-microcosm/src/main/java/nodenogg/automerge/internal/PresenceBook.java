package nodenogg.automerge.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.microcosm.IdentityWithStatus;
import nodenogg.microcosm.InvalidEntityException;
import nodenogg.microcosm.SchemaProfile;

/**
 * Presence in automerge-repo terms: the messages of automerge-repo's {@code Presence} class
 * (ephemeral messages {@code {__presence: {type: snapshot|update|heartbeat|goodbye, ...}}},
 * heartbeat every 15 s, peers forgotten after 45 s of silence), with the microcosm's status in the
 * state channel {@code identity} in the web app's E5 shape {@code {identity: {id, nickname?,
 * version}, timestamp, joined}}. A JS app using {@code Presence} on the same document handle sees
 * us, and we see it. Not thread-safe (the microcosm guards it).
 */
public final class PresenceBook {
  /** automerge-repo's marker key of presence messages. */
  public static final String MARKER = "__presence";

  /** The state channel carrying the microcosm identity status. */
  public static final String CHANNEL = "identity";

  public static final long HEARTBEAT_MILLIS = 15_000;
  public static final long PEER_TTL_MILLIS = 3 * HEARTBEAT_MILLIS;

  private record Peer(IdentityWithStatus status, long seen) {}

  private final Map<String, Peer> peers = new LinkedHashMap<>();

  /** A snapshot message carrying {@code status} (or an empty state when null). */
  public static Map<String, Object> snapshot(IdentityWithStatus status) {
    Map<String, Object> state = new LinkedHashMap<>();
    if (status != null) {
      state.put(CHANNEL, SchemaProfile.E5.encodePresence(status));
    }
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("type", "snapshot");
    msg.put("state", state);
    return Map.of(MARKER, msg);
  }

  public static Map<String, Object> heartbeat() {
    return Map.of(MARKER, Map.of("type", "heartbeat"));
  }

  public static Map<String, Object> goodbye() {
    return Map.of(MARKER, Map.of("type", "goodbye"));
  }

  /**
   * Takes an ephemeral message from {@code peer} at {@code now}.
   *
   * @return true if the presence view changed; false also for messages that are not presence
   *     (ignored)
   */
  public boolean receive(String peer, Object message, long now) {
    if (!(message instanceof Map<?, ?> envelope)
        || !(envelope.get(MARKER) instanceof Map<?, ?> m)) {
      return false;
    }
    Object type = m.get("type");
    Peer old = peers.get(peer);
    if ("goodbye".equals(type)) {
      return peers.remove(peer) != null;
    } else if ("heartbeat".equals(type)) {
      peers.put(peer, new Peer(old == null ? null : old.status(), now));
      return old == null;
    } else if ("snapshot".equals(type) && m.get("state") instanceof Map<?, ?> state) {
      return put(peer, state.get(CHANNEL), old, now);
    } else if ("update".equals(type) && CHANNEL.equals(m.get("channel"))) {
      return put(peer, m.get("value"), old, now);
    }
    return false;
  }

  private boolean put(String peer, Object value, Peer old, long now) {
    IdentityWithStatus s = null;
    if (value != null) {
      try {
        s = SchemaProfile.E5.decodePresenceLenient(value);
      } catch (InvalidEntityException e) {
        s = null;
      }
    }
    peers.put(peer, new Peer(s, now));
    return old == null || !java.util.Objects.equals(old.status(), s);
  }

  /** Forgets peers silent for longer than the TTL. @return true if any was dropped */
  public boolean expire(long now) {
    return peers.entrySet().removeIf(e -> now - e.getValue().seen() > PEER_TTL_MILLIS);
  }

  /** Forgets everyone (all transports gone). */
  public boolean clear() {
    boolean any = !peers.isEmpty();
    peers.clear();
    return any;
  }

  /**
   * The peers' statuses plus {@code own} (may be null), one per identity id, the newest timestamp
   * winning.
   */
  public List<IdentityWithStatus> view(IdentityWithStatus own) {
    Map<String, IdentityWithStatus> byId = new LinkedHashMap<>();
    List<IdentityWithStatus> all = new ArrayList<>();
    if (own != null) {
      all.add(own);
    }
    for (Peer p : peers.values()) {
      if (p.status() != null) {
        all.add(p.status());
      }
    }
    for (IdentityWithStatus s : all) {
      IdentityWithStatus had = byId.get(s.identity().id());
      if (had == null || s.timestamp() >= had.timestamp()) {
        byId.put(s.identity().id(), s);
      }
    }
    return List.copyOf(byId.values());
  }
}
