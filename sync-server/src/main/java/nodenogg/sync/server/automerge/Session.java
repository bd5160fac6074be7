package nodenogg.sync.server.automerge;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nodenogg.automerge.repo.RepoMessage;
import nodenogg.sync.server.websocket.Connection;

/**
 * One WebSocket connection on {@code /automerge}: the peer that joined on it and what it may do.
 * Thread-safe.
 */
final class Session {
  final Connection connection;
  final String token;
  volatile String peerId;
  volatile RepoMessage.PeerMetadata metadata = new RepoMessage.PeerMetadata(null, null);
  final long openedAt = System.currentTimeMillis();

  /** Documents this peer has open (it sent a request or sync for them, and was allowed). */
  final Set<String> documents = ConcurrentHashMap.newKeySet();

  /** Per document: read-only (true), read-write (false); absent = not decided yet. */
  final Map<String, Boolean> access = new ConcurrentHashMap<>();

  /** Storage ids whose heads this peer subscribed to. */
  final Set<String> subscriptions = ConcurrentHashMap.newKeySet();

  volatile boolean closed;

  Session(Connection connection, String token) {
    this.connection = connection;
    this.token = token;
  }

  boolean joined() {
    return peerId != null;
  }

  @Override
  public String toString() {
    return "automerge-repo peer " + peerId + " (" + connection.remoteAddress() + ")";
  }
}
