package nodenogg.sync.server.signal;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import nodenogg.sync.server.websocket.WebServer;

/**
 * A standalone y-webrtc signalling server, a drop-in for the stock {@code y-webrtc-signaling} and
 * nodenogg.in's {@code y-webrtc-server}: every path accepts signalling WebSockets, and a plain HTTP
 * GET on any path answers JSON {@code {"status":"ok"}}. Both apply the origin allow-list (empty
 * allows all; a disallowed browser Origin gets 403, its upgrade is refused).
 *
 * <pre>{@code
 * try (SignalingServer signaling = SignalingServer.start("0.0.0.0", 4444, List.of("https://nodenogg.in"))) {
 *   // clients use ws://host:4444 (any path); GET http://host:4444 returns {"status":"ok"}
 *   Thread.currentThread().join(); // the server's threads are daemons
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} closes every socket (1001) and frees the port.
 */
public final class SignalingServer implements AutoCloseable {

  private final SignalingHandler handler;
  private final WebServer server;

  private SignalingServer(SignalingHandler handler, WebServer server) {
    this.handler = handler;
    this.server = server;
  }

  /** Starts with default limits (see {@link SignalingLimits#DEFAULT}). Port 0 picks a free port. */
  public static SignalingServer start(String host, int port, Collection<String> allowedOrigins)
      throws IOException {
    return start(host, port, allowedOrigins, SignalingLimits.DEFAULT);
  }

  public static SignalingServer start(
      String host, int port, Collection<String> allowedOrigins, SignalingLimits limits)
      throws IOException {
    SignalingHandler handler = new SignalingHandler(limits);
    WebServer server =
        WebServer.builder()
            .bind(host, port)
            .socket(path -> true, handler)
            .http(path -> true, SignalingHandler.statusPage())
            .allowedOrigins(List.copyOf(allowedOrigins))
            .maxMessageBytes(limits.maxMessageBytes())
            .build()
            .start();
    return new SignalingServer(handler, server);
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The protocol handler, for its counters. */
  public SignalingHandler handler() {
    return handler;
  }

  /** Open signalling sockets. */
  public int connectionCount() {
    return server.connectionCount();
  }

  @Override
  public void close() {
    server.close();
  }
}
