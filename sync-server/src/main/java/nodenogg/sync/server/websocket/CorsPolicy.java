package nodenogg.sync.server.websocket;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CORS response headers for plain HTTP requests, with the meaning the nodenogg.in sync server gives
 * its {@code ALLOWED_DOMAINS} (Hono's {@code cors} middleware there): a request whose Origin is one
 * of the listed origins (compared exactly) gets it back in {@code Access-Control-Allow-Origin};
 * every response says {@code Access-Control-Allow-Credentials: true} and exposes {@code
 * Content-Length, Upgrade, Connection}; a preflight ({@code OPTIONS}) is answered 204 with methods
 * {@code POST,GET,OPTIONS}, the WebSocket request headers and a 600 s max age. It only adds
 * headers: it refuses nothing, and WebSocket upgrades ignore it (browsers do not apply CORS to
 * WebSockets; {@link OriginPolicy} is the refusing list). Immutable.
 */
final class CorsPolicy {

  static final String ALLOW_METHODS = "POST,GET,OPTIONS";
  static final String ALLOW_HEADERS =
      "Content-Type,Authorization,X-Requested-With,Upgrade-Insecure-Requests,"
          + "Connection,Upgrade,Sec-WebSocket-Key,Sec-WebSocket-Version,Sec-WebSocket-Extensions,Sec-WebSocket-Protocol";
  static final String EXPOSE_HEADERS = "Content-Length,Upgrade,Connection";
  static final int MAX_AGE_SECONDS = 600;

  private final Set<String> origins;

  CorsPolicy(Collection<String> origins) {
    Set<String> set = new LinkedHashSet<>();
    for (String o : origins) {
      if (o != null && !o.isBlank()) {
        set.add(o.trim());
      }
    }
    this.origins = Set.copyOf(set);
  }

  List<String> origins() {
    return List.copyOf(origins);
  }

  /** The value for {@code Access-Control-Allow-Origin}, or null when the origin is not listed. */
  String allowOrigin(String origin) {
    return origin != null && origins.contains(origin) ? origin : null;
  }

  /** Headers every plain response carries (before the blank line; each ends in CRLF). */
  String responseHeaders() {
    return "Access-Control-Allow-Credentials: true\r\nAccess-Control-Expose-Headers: "
        + EXPOSE_HEADERS
        + "\r\n";
  }

  /** Headers of a preflight answer, on top of {@link #responseHeaders()}. */
  String preflightHeaders() {
    return "Access-Control-Max-Age: "
        + MAX_AGE_SECONDS
        + "\r\n"
        + "Access-Control-Allow-Methods: "
        + ALLOW_METHODS
        + "\r\n"
        + "Access-Control-Allow-Headers: "
        + ALLOW_HEADERS
        + "\r\n"
        + "Vary: Access-Control-Request-Headers\r\n";
  }
}
