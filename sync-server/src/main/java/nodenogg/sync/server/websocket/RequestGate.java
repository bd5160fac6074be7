package nodenogg.sync.server.websocket;

import java.util.Map;

/**
 * Decides, before the handshake is answered, whether a WebSocket upgrade may go on (for example a
 * per-address connection throttle). Called on an event-loop thread for every upgrade whose origin
 * passed; must be thread-safe and must not block.
 */
@FunctionalInterface
public interface RequestGate {

  /**
   * @param path request path without the query string
   * @param headers request headers, names lower-cased
   * @param remoteAddress the socket's {@code host:port}
   * @return null to go on, or the refusal to answer with (the socket then closes)
   */
  Refusal check(String path, Map<String, String> headers, String remoteAddress);

  /**
   * A refused request.
   *
   * @param reason short machine-readable reason (for logs and metrics), e.g. {@code throttled}
   * @param status HTTP status to answer with (4xx/5xx)
   * @param message the plain-text body for the client
   * @param retryAfterSeconds sent as {@code Retry-After} when positive
   */
  record Refusal(String reason, int status, String message, long retryAfterSeconds) {}
}
