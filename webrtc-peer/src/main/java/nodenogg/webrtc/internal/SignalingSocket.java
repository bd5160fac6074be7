package nodenogg.webrtc.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import nodenogg.crdt.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket to one y-webrtc signalling server, as lib0's {@code WebsocketClient} runs it: JSON
 * messages, a {@code {"type":"ping"}} when nothing was received for 15 s, the socket dropped when
 * nothing was received for 30 s, and reconnects after {@code min(log10(failures + 1) × 1200, 2500)}
 * ms (at once after a socket that had been open). Every event is delivered on the room's {@link
 * Loop}. Methods are called on the loop.
 */
public final class SignalingSocket {
  private static final Logger LOG = LoggerFactory.getLogger(SignalingSocket.class);
  static final long PING_AFTER_MILLIS = 15_000;
  static final long DEAD_AFTER_MILLIS = 30_000;
  private static final int RECONNECT_BASE_MILLIS = 1200;
  private static final int RECONNECT_MAX_MILLIS = 2500;

  /** Largest signalling message accepted (our server's limit is 256 KiB). */
  private static final int MAX_MESSAGE_CHARS = 1 << 20;

  /** One HTTP client (one selector thread) for every signalling socket of the process. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .executor(
              Executors.newCachedThreadPool(
                  r -> {
                    Thread t = new Thread(r, "webrtc-signaling-io");
                    t.setDaemon(true);
                    return t;
                  }))
          .build();

  /** Events of a socket, on the loop. */
  public interface Events {
    void connected(SignalingSocket socket);

    void message(SignalingSocket socket, Map<String, Object> message);

    void disconnected(SignalingSocket socket);
  }

  private final URI url;
  private final Loop loop;
  private final Events events;
  private WebSocket ws;
  private boolean connected;
  private boolean closed;
  private int failures;
  private long lastReceived;
  private ScheduledFuture<?> watchdog;
  private ScheduledFuture<?> retry;
  private int generation;

  public SignalingSocket(URI url, Loop loop, Events events) {
    this.url = url;
    this.loop = loop;
    this.events = events;
  }

  public URI url() {
    return url;
  }

  public boolean isConnected() {
    return connected && !closed;
  }

  /** Starts connecting (and keeps reconnecting until {@link #close}). */
  public void start() {
    watchdog = loop.every(this::watch, 1000);
    open();
  }

  private void open() {
    if (closed) {
      return;
    }
    int gen = ++generation;
    StringBuilder text = new StringBuilder();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
            loop.post(() -> opened(gen, webSocket));
          }

          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (text.length() > MAX_MESSAGE_CHARS) {
              webSocket.abort();
              loop.post(() -> lost(gen, "message over " + MAX_MESSAGE_CHARS + " characters"));
              return null;
            }
            if (last) {
              String message = text.toString();
              text.setLength(0);
              loop.post(() -> received(gen, message));
            }
            webSocket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            // y-webrtc servers relay text; a Node `ws` server may send JSON in binary frames
            text.append(StandardCharsets.UTF_8.decode(data));
            return onText(webSocket, "", last);
          }

          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            loop.post(
                () ->
                    lost(
                        gen,
                        "closed by the server ("
                            + statusCode
                            + (reason.isEmpty() ? "" : " " + reason)
                            + ")"));
            return null;
          }

          @Override
          public void onError(WebSocket webSocket, Throwable error) {
            loop.post(() -> lost(gen, String.valueOf(error)));
          }
        };
    HTTP.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(url, listener)
        .whenComplete(
            (socket, error) -> {
              if (error != null) {
                loop.post(() -> lost(gen, "cannot connect: " + rootMessage(error)));
              }
            });
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private void opened(int gen, WebSocket socket) {
    if (gen != generation || closed) {
      socket.abort();
      return;
    }
    ws = socket;
    connected = true;
    failures = 0;
    lastReceived = System.currentTimeMillis();
    LOG.info("signalling connected: {}", url);
    events.connected(this);
  }

  private void received(int gen, String text) {
    if (gen != generation || closed) {
      return;
    }
    lastReceived = System.currentTimeMillis();
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (RuntimeException e) {
      LOG.debug("signalling {}: ignored a message that is not JSON", url);
      return;
    }
    if (parsed instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> message = (Map<String, Object>) m;
      events.message(this, message);
    }
  }

  private void lost(int gen, String why) {
    if (gen != generation || closed) {
      return;
    }
    generation++; // later events of the old socket are ignored
    WebSocket old = ws;
    ws = null;
    if (old != null) {
      old.abort();
    }
    boolean wasConnected = connected;
    connected = false;
    long delay;
    if (wasConnected) {
      LOG.warn("signalling lost: {} ({}); reconnecting", url, why);
      events.disconnected(this);
      delay = 0;
    } else {
      failures++;
      if (failures == 1 || failures % 20 == 0) {
        LOG.warn("signalling unreachable: {} ({}); retrying", url, why);
      }
      delay =
          (long) Math.min(Math.log10(failures + 1) * RECONNECT_BASE_MILLIS, RECONNECT_MAX_MILLIS);
    }
    retry = loop.schedule(this::open, delay);
  }

  private void watch() {
    if (!connected || closed) {
      return;
    }
    long silent = System.currentTimeMillis() - lastReceived;
    if (silent >= DEAD_AFTER_MILLIS) {
      lost(generation, "no message for " + silent + " ms");
    } else if (silent >= PING_AFTER_MILLIS) {
      send(Map.of("type", "ping"));
    }
  }

  /** Sends one JSON message; dropped when not connected (as lib0 does). */
  public void send(Map<String, Object> message) {
    WebSocket s = ws;
    if (!connected || s == null) {
      return;
    }
    String text = Json.stringify(message);
    // java.net.http allows one outstanding send: chain on the previous one
    pending = pending.thenCompose(x -> s.sendText(text, true)).exceptionally(e -> null);
  }

  private CompletionStage<?> pending = java.util.concurrent.CompletableFuture.completedFuture(null);

  /** Closes for good (a normal close frame when open). */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    connected = false;
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    if (retry != null) {
      retry.cancel(false);
    }
    WebSocket s = ws;
    ws = null;
    if (s != null) {
      pending
          .thenCompose(x -> s.sendClose(WebSocket.NORMAL_CLOSURE, ""))
          .whenComplete((x, e) -> s.abort());
    }
  }
}
