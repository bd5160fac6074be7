package nodenogg.sync.server;

import java.util.Map;

/**
 * What a client presented when it asked for a document: the document name, the token (Hocuspocus
 * Auth message, or the {@code token} query parameter on y-websocket paths and {@code /automerge},
 * where the name is the automerge-repo document id; "" when none), the connection's request headers
 * (lower-case names), query string and remote address.
 */
public record AuthRequest(
    String documentName,
    String token,
    Map<String, String> headers,
    String query,
    String remoteAddress,
    Protocol protocol) {

  /** Which protocol the connection speaks. */
  public enum Protocol {
    HOCUSPOCUS,
    Y_WEBSOCKET,
    AUTOMERGE_REPO
  }
}
