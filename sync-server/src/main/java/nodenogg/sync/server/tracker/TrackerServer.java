package nodenogg.sync.server.tracker;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.websocket.HttpHandler;
import nodenogg.sync.server.websocket.WebServer;

/**
 * A standalone WebTorrent tracker ({@code ./microcosm serve --tracker-port N}): every path accepts
 * tracker WebSockets (trackers are announced as {@code wss://host/announce} or just {@code
 * wss://host}), and a plain HTTP GET on any path answers the tracker's counters as JSON ({@code
 * {"status":"ok","tracker":{...}}}). Both apply the origin allow-list (empty allows all).
 *
 * <pre>{@code
 * try (TrackerServer tracker = TrackerServer.start("0.0.0.0", 8000, List.of())) {
 *   // trystero: joinRoom({appId, relayConfig: {urls: ["ws://host:8000/announce"]}}, room)
 *   Thread.currentThread().join(); // the server's threads are daemons
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} closes every socket (1001) and frees the port.
 */
public final class TrackerServer implements AutoCloseable {

  private final TrackerHandler handler;
  private final WebServer server;
  private final ScheduledExecutorService timer;

  private TrackerServer(TrackerHandler handler, WebServer server, ScheduledExecutorService timer) {
    this.handler = handler;
    this.server = server;
    this.timer = timer;
  }

  /** Starts with default limits ({@link TrackerLimits#DEFAULT}). Port 0 picks a free port. */
  public static TrackerServer start(String host, int port, Collection<String> allowedOrigins)
      throws IOException {
    return start(host, port, allowedOrigins, TrackerLimits.DEFAULT);
  }

  public static TrackerServer start(
      String host, int port, Collection<String> allowedOrigins, TrackerLimits limits)
      throws IOException {
    TrackerHandler handler = new TrackerHandler(limits);
    WebServer server =
        WebServer.builder()
            .bind(host, port)
            .socket(path -> true, handler)
            .http(
                path -> true,
                (method, path, headers) ->
                    HttpHandler.Response.json(
                        200, "{\"status\":\"ok\",\"tracker\":" + handler.stats().toJson() + "}"))
            .allowedOrigins(List.copyOf(allowedOrigins))
            .maxMessageBytes(limits.maxMessageBytes())
            .build()
            .start();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tracker-sweep");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(handler::sweep, 1, 1, TimeUnit.SECONDS);
    return new TrackerServer(handler, server, timer);
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The protocol handler, for its counters. */
  public TrackerHandler handler() {
    return handler;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    server.close();
  }
}
