package nodenogg.automerge.repo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The messages of the automerge-repo network protocol as
 * {@code @automerge/automerge-repo-network-websocket} 2.5.6 carries them over a WebSocket: one CBOR
 * map per binary frame ({@link RepoMessages} reads and writes them). The handshake is {@link Join}
 * (client) answered by {@link Peer} (server, protocol version {@value #PROTOCOL_V1}) or {@link
 * Error}; then {@link Request}, {@link Sync}, {@link DocUnavailable}, {@link Ephemeral}, {@link
 * RemoteSubscriptionChange} and {@link RemoteHeadsChanged} flow both ways. Records are immutable;
 * byte arrays are not copied (do not change them).
 */
public sealed interface RepoMessage {

  /** The only protocol version automerge-repo 2.5.6 speaks. */
  String PROTOCOL_V1 = "1";

  /** The message's {@code type} on the wire. */
  String type();

  /** Who sent it (a peer id). */
  String senderId();

  /**
   * What a peer says about itself in {@code join} and {@code peer}: its storage id and whether it
   * is ephemeral.
   */
  record PeerMetadata(String storageId, Boolean isEphemeral) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      if (storageId != null) {
        m.put("storageId", storageId);
      }
      if (isEphemeral != null) {
        m.put("isEphemeral", isEphemeral);
      }
      return m;
    }
  }

  /** Client to server: who I am and which protocol versions I speak. */
  record Join(String senderId, PeerMetadata peerMetadata, List<String> supportedProtocolVersions)
      implements RepoMessage {
    public String type() {
      return "join";
    }
  }

  /** Server to client: who the server is and the protocol version chosen. */
  record Peer(
      String senderId, PeerMetadata peerMetadata, String selectedProtocolVersion, String targetId)
      implements RepoMessage {
    public String type() {
      return "peer";
    }
  }

  /** An error; the sender closes the connection after it. */
  record Error(String senderId, String message, String targetId) implements RepoMessage {
    public String type() {
      return "error";
    }
  }

  /** The first sync message for a document the sender does not have (it asks for it). */
  record Request(String senderId, String targetId, String documentId, byte[] data)
      implements RepoMessage {
    public String type() {
      return "request";
    }
  }

  /** An Automerge sync message for a document. */
  record Sync(String senderId, String targetId, String documentId, byte[] data)
      implements RepoMessage {
    public String type() {
      return "sync";
    }
  }

  /** The sender does not have the document (nor do its peers). */
  record DocUnavailable(String senderId, String targetId, String documentId)
      implements RepoMessage {
    public String type() {
      return "doc-unavailable";
    }
  }

  /** Application data for the peers of a document, never stored; {@code data} is CBOR. */
  record Ephemeral(
      String senderId,
      String targetId,
      String documentId,
      String sessionId,
      long count,
      byte[] data)
      implements RepoMessage {
    public String type() {
      return "ephemeral";
    }
  }

  /** Adds or removes storage ids whose heads the sender wants to hear about. */
  record RemoteSubscriptionChange(
      String senderId, String targetId, List<String> add, List<String> remove)
      implements RepoMessage {
    public RemoteSubscriptionChange {
      add = add == null ? List.of() : List.copyOf(add);
      remove = remove == null ? List.of() : List.copyOf(remove);
    }

    public String type() {
      return "remote-subscription-change";
    }
  }

  /**
   * The heads a storage id holds of a document changed ({@code heads}: base58check change hashes).
   */
  record RemoteHeadsChanged(
      String senderId, String targetId, String documentId, Map<String, Heads> newHeads)
      implements RepoMessage {
    public RemoteHeadsChanged {
      newHeads = Map.copyOf(Objects.requireNonNull(newHeads, "newHeads"));
    }

    public String type() {
      return "remote-heads-changed";
    }
  }

  /** Heads of one storage id at a time (milliseconds since the epoch). */
  record Heads(List<String> heads, long timestamp) {
    public Heads {
      heads = List.copyOf(heads);
    }
  }
}
