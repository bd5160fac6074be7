package nodenogg.automerge.repo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nodenogg.automerge.internal.Cbor;

/**
 * Reads and writes {@link RepoMessage}s as automerge-repo puts them in WebSocket frames: one CBOR
 * map each, with the field names of {@code @automerge/automerge-repo} 2.5.6 ({@code type, senderId,
 * targetId, documentId, data, ...}). Reading is strict: a frame that is not CBOR, not a map, of an
 * unknown type or missing a required field is a {@link ProtocolException} naming what is wrong.
 * Stateless, thread-safe.
 */
public final class RepoMessages {
  private RepoMessages() {}

  /** A frame that is not an automerge-repo message. */
  public static final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
      super(message);
    }
  }

  /**
   * @throws ProtocolException for malformed CBOR, an unknown message type or a missing or mistyped
   *     field
   */
  public static RepoMessage decode(byte[] frame) {
    Object v;
    try {
      v = Cbor.decode(frame);
    } catch (Cbor.CborException e) {
      throw new ProtocolException("malformed CBOR: " + e.getMessage());
    }
    if (!(v instanceof Map<?, ?> raw)) {
      throw new ProtocolException("a message must be a CBOR map");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) raw;
    String type = string(m, "type");
    String sender = string(m, "senderId");
    switch (type) {
      case "join":
        return new RepoMessage.Join(
            sender,
            metadata(m.get("peerMetadata")),
            strings(m.get("supportedProtocolVersions"), "supportedProtocolVersions", true));
      case "peer":
        return new RepoMessage.Peer(
            sender,
            metadata(m.get("peerMetadata")),
            string(m, "selectedProtocolVersion"),
            string(m, "targetId"));
      case "error":
        return new RepoMessage.Error(
            sender, optionalString(m, "message"), optionalString(m, "targetId"));
      case "request":
        return new RepoMessage.Request(
            sender, string(m, "targetId"), documentId(m), bytes(m, "data"));
      case "sync":
        return new RepoMessage.Sync(sender, string(m, "targetId"), documentId(m), bytes(m, "data"));
      case "doc-unavailable":
        return new RepoMessage.DocUnavailable(sender, string(m, "targetId"), documentId(m));
      case "ephemeral":
        {
          Object count = m.get("count");
          if (!(count instanceof Long c)) {
            throw new ProtocolException("ephemeral message without an integer count");
          }
          return new RepoMessage.Ephemeral(
              sender,
              string(m, "targetId"),
              documentId(m),
              string(m, "sessionId"),
              c,
              bytes(m, "data"));
        }
      case "remote-subscription-change":
        return new RepoMessage.RemoteSubscriptionChange(
            sender,
            string(m, "targetId"),
            strings(m.get("add"), "add", true),
            strings(m.get("remove"), "remove", true));
      case "remote-heads-changed":
        return new RepoMessage.RemoteHeadsChanged(
            sender, string(m, "targetId"), documentId(m), newHeads(m));
      default:
        throw new ProtocolException("unknown message type '" + type + "'");
    }
  }

  public static byte[] encode(RepoMessage msg) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", msg.type());
    m.put("senderId", msg.senderId());
    if (msg instanceof RepoMessage.Join j) {
      m.put("peerMetadata", j.peerMetadata() == null ? Map.of() : j.peerMetadata().toMap());
      m.put("supportedProtocolVersions", j.supportedProtocolVersions());
    } else if (msg instanceof RepoMessage.Peer p) {
      m.put("peerMetadata", p.peerMetadata() == null ? Map.of() : p.peerMetadata().toMap());
      m.put("selectedProtocolVersion", p.selectedProtocolVersion());
      m.put("targetId", p.targetId());
    } else if (msg instanceof RepoMessage.Error e) {
      m.put("message", e.message());
      m.put("targetId", e.targetId());
    } else if (msg instanceof RepoMessage.Request r) {
      m.put("targetId", r.targetId());
      m.put("documentId", r.documentId());
      m.put("data", r.data());
    } else if (msg instanceof RepoMessage.Sync s) {
      m.put("targetId", s.targetId());
      m.put("documentId", s.documentId());
      m.put("data", s.data());
    } else if (msg instanceof RepoMessage.DocUnavailable d) {
      m.put("targetId", d.targetId());
      m.put("documentId", d.documentId());
    } else if (msg instanceof RepoMessage.Ephemeral e) {
      m.put("targetId", e.targetId());
      m.put("documentId", e.documentId());
      m.put("sessionId", e.sessionId());
      m.put("count", e.count());
      m.put("data", e.data());
    } else if (msg instanceof RepoMessage.RemoteSubscriptionChange c) {
      m.put("targetId", c.targetId());
      if (!c.add().isEmpty()) {
        m.put("add", c.add());
      }
      if (!c.remove().isEmpty()) {
        m.put("remove", c.remove());
      }
    } else if (msg instanceof RepoMessage.RemoteHeadsChanged h) {
      m.put("targetId", h.targetId());
      m.put("documentId", h.documentId());
      Map<String, Object> heads = new LinkedHashMap<>();
      h.newHeads()
          .forEach((k, v) -> heads.put(k, Map.of("heads", v.heads(), "timestamp", v.timestamp())));
      m.put("newHeads", heads);
    }
    return Cbor.encode(m);
  }

  private static String string(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof String s)) {
      throw new ProtocolException(
          "message field '" + key + "' must be a string" + (v == null ? " (missing)" : ""));
    }
    return s;
  }

  private static String optionalString(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof String s ? s : null;
  }

  private static String documentId(Map<String, Object> m) {
    String id = string(m, "documentId");
    if (!DocumentIds.isValid(id)) {
      throw new ProtocolException(
          "'"
              + (id.length() > 60 ? id.substring(0, 60) + "…" : id)
              + "' is not an automerge-repo document id");
    }
    return id;
  }

  private static byte[] bytes(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof byte[] b)) {
      throw new ProtocolException("message field '" + key + "' must be bytes");
    }
    return b;
  }

  private static List<String> strings(Object v, String what, boolean optional) {
    if (v == null && optional) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      throw new ProtocolException("message field '" + what + "' must be a list of strings");
    }
    List<String> out = new ArrayList<>(l.size());
    for (Object x : l) {
      if (!(x instanceof String s)) {
        throw new ProtocolException("message field '" + what + "' must be a list of strings");
      }
      out.add(s);
    }
    return out;
  }

  private static RepoMessage.PeerMetadata metadata(Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      return new RepoMessage.PeerMetadata(null, null);
    }
    Object storage = m.get("storageId");
    Object eph = m.get("isEphemeral");
    return new RepoMessage.PeerMetadata(
        storage instanceof String s ? s : null, eph instanceof Boolean b ? b : null);
  }

  private static Map<String, RepoMessage.Heads> newHeads(Map<String, Object> m) {
    Object v = m.get("newHeads");
    if (!(v instanceof Map<?, ?> all)) {
      throw new ProtocolException("remote-heads-changed without newHeads");
    }
    Map<String, RepoMessage.Heads> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : all.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> h) || !(h.get("heads") instanceof List<?>)) {
        throw new ProtocolException("remote-heads-changed entry without heads");
      }
      Object ts = h.get("timestamp");
      out.put(
          String.valueOf(e.getKey()),
          new RepoMessage.Heads(
              strings(h.get("heads"), "heads", false),
              ts instanceof Long l ? l : ts instanceof Double d ? d.longValue() : 0));
    }
    return out;
  }
}
