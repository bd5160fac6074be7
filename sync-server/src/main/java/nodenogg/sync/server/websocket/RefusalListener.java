package nodenogg.sync.server.websocket;

/**
 * Told about every request {@link WebServer} refuses before a handler sees it: an origin not on the
 * allow-list ({@code origin}), a server at its connection cap ({@code server_full}), or a {@link
 * RequestGate} refusal (its reason). Called on an event-loop thread; must be thread-safe, must not
 * block, and must not throw.
 */
@FunctionalInterface
public interface RefusalListener {

  /**
   * @param reason short machine-readable reason
   * @param method request method
   * @param path request path without the query string (the query may hold a token, so it is never
   *     passed)
   * @param remoteAddress the socket's {@code host:port}
   * @param origin the request's Origin header, or null
   */
  void refused(String reason, String method, String path, String remoteAddress, String origin);
}
