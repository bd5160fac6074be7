package nodenogg.sync.client.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket (JDK {@code java.net.http}) that reconnects with exponential backoff and full jitter,
 * reassembles fragmented binary messages, serializes sends, and declares the connection dead when
 * the server is silent past the message timeout. Protocol code plugs in through {@link Listener}.
 *
 * <p>Several URLs (instances of one cluster): the socket stays on the URL that works; when it fails
 * (connection refused, dropped, silent) it moves to the next one at once (a short random delay
 * spreads the clients of a dead instance), and backs off exponentially only after a whole round of
 * URLs failed.
 *
 * <p>Thread-safety: public methods may be called from any thread. Listener callbacks run on the
 * WebSocket's or the timer's thread, one at a time.
 */
public final class ReconnectingSocket implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconnectingSocket.class);

  /** Callbacks from the socket. */
  public interface Listener {
    /** The socket opened; send the handshake. */
    void onOpen();

    /** One whole binary message. */
    void onMessage(byte[] message);

    /** The socket is gone (a reconnect follows unless closed). */
    void onDisconnect(int code, String reason);

    /** Close codes after which reconnecting is pointless (y-websocket: 4400-4499). */
    default boolean shouldReconnect(int code) {
      return true;
    }
  }

  private final List<URI> uris;
  private int current; // index into uris, guarded by this
  private final ClientOptions options;
  private final Listener listener;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final Random random;
  private final Consumer<ConnectionState> stateSink;
  private WebSocket ws; // guarded by this
  private CompletableFuture<?> sendChain =
      CompletableFuture.completedFuture(null); // guarded by this
  private int attempts; // guarded by this
  private volatile long lastMessageAt;
  private volatile ConnectionState state = ConnectionState.CONNECTING;
  private boolean closed; // guarded by this
  private ScheduledFuture<?> watchdog;
  private final Object serial = new Object(); // callbacks run one at a time

  public ReconnectingSocket(
      URI uri, ClientOptions options, Listener listener, Consumer<ConnectionState> stateSink) {
    this(List.of(uri), options, listener, stateSink);
  }

  /** A socket that fails over between {@code uris} (tried in order, starting with the first). */
  public ReconnectingSocket(
      List<URI> uris,
      ClientOptions options,
      Listener listener,
      Consumer<ConnectionState> stateSink) {
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("at least one server URL is needed");
    }
    this.uris = List.copyOf(uris);
    this.options = options;
    this.listener = listener;
    this.stateSink = stateSink;
    this.http = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sync-client-timer");
              t.setDaemon(true);
              return t;
            });
    this.random = new Random(options.seed() != 0 ? options.seed() : System.nanoTime());
  }

  public void start() {
    watchdog = timer.scheduleWithFixedDelay(this::checkSilence, 1, 1, TimeUnit.SECONDS);
    connect();
  }

  public ConnectionState state() {
    return state;
  }

  /** The URL in use (or being connected to) now. */
  public synchronized URI currentUri() {
    return uris.get(current);
  }

  private void setState(ConnectionState s) {
    if (state != s) {
      state = s;
      stateSink.accept(s);
    }
  }

  /** Runs a task on the timer thread, serialized with socket callbacks. */
  public void schedule(Runnable task, long delayMillis) {
    timer.schedule(
        () -> {
          synchronized (serial) {
            task.run();
          }
        },
        delayMillis,
        TimeUnit.MILLISECONDS);
  }

  public ScheduledFuture<?> every(Runnable task, long periodMillis) {
    return timer.scheduleWithFixedDelay(
        () -> {
          synchronized (serial) {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.warn("periodic client task failed", e);
            }
          }
        },
        periodMillis,
        periodMillis,
        TimeUnit.MILLISECONDS);
  }

  private void connect() {
    URI uri;
    synchronized (this) {
      if (closed) {
        return;
      }
      uri = uris.get(current);
    }
    setState(ConnectionState.CONNECTING);
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(options.connectTimeout());
    for (Map.Entry<String, String> h : options.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    b.buildAsync(uri, new Receiver())
        .whenComplete(
            (socket, err) -> {
              if (err != null) {
                LOG.debug("connecting to {} failed: {}", uri, err.toString());
                dropped(-1, String.valueOf(err.getMessage()));
              }
            });
  }

  /** The socket is open: runs before any message of this socket is delivered. */
  private void opened(WebSocket socket) {
    boolean abort;
    synchronized (this) {
      abort = closed;
      if (!abort) {
        ws = socket;
        sendChain = CompletableFuture.completedFuture(null);
      }
    }
    if (abort) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "closed");
      return;
    }
    lastMessageAt = System.currentTimeMillis();
    synchronized (serial) {
      listener.onOpen();
    }
  }

  /** Marks the connection as really working (the server answered). */
  public void markConnected() {
    synchronized (this) {
      attempts = 0;
    }
    setState(ConnectionState.CONNECTED);
  }

  private void dropped(int code, String reason) {
    long delay;
    synchronized (this) {
      ws = null;
      if (closed) {
        return;
      }
      int a = attempts++;
      int urls = uris.size();
      if (urls > 1) {
        URI failed = uris.get(current);
        current = (current + 1) % urls;
        LOG.debug("{} failed ({} {}); moving to {}", failed, code, reason, uris.get(current));
      }
      if ((a + 1) % urls != 0) {
        // the next URL of this round: at once, with a little jitter so a dead instance's clients
        // spread out
        delay = (long) (random.nextDouble() * Math.min(100, options.initialBackoff().toMillis()));
      } else {
        int n = Math.min(a / urls, 20);
        long cap =
            Math.min(
                options.maxBackoff().toMillis(),
                options.initialBackoff().toMillis() << Math.min(n, 16));
        delay = cap / 2 + (long) (random.nextDouble() * (cap / 2 + 1));
      }
    }
    setState(ConnectionState.DISCONNECTED);
    synchronized (serial) {
      listener.onDisconnect(code, reason);
    }
    if (code >= 0 && !listener.shouldReconnect(code)) {
      close();
      return;
    }
    timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void checkSilence() {
    WebSocket s;
    synchronized (this) {
      s = ws;
    }
    if (s != null
        && System.currentTimeMillis() - lastMessageAt > options.messageTimeout().toMillis()) {
      LOG.debug("no message from {} for {}; reconnecting", currentUri(), options.messageTimeout());
      forceReconnect();
    }
  }

  /** Drops the current socket (if any) and reconnects after the backoff. */
  public void forceReconnect() {
    WebSocket s;
    synchronized (this) {
      s = ws;
      ws = null;
    }
    if (s != null) {
      s.abort();
      dropped(4000, "reconnect");
    }
  }

  /** Sends a binary message if connected; returns false when there is no socket. */
  public boolean send(byte[] message) {
    synchronized (this) {
      WebSocket s = ws;
      if (s == null) {
        return false;
      }
      sendChain =
          sendChain
              .thenCompose(x -> s.sendBinary(ByteBuffer.wrap(message), true))
              .exceptionally(
                  e -> {
                    LOG.debug("send failed: {}", e.toString());
                    return null;
                  });
      return true;
    }
  }

  public boolean isOpen() {
    synchronized (this) {
      return ws != null;
    }
  }

  @Override
  public void close() {
    WebSocket s;
    CompletableFuture<?> chain;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = ws;
      ws = null;
      chain = sendChain;
    }
    if (s != null) {
      try {
        chain.get(2, TimeUnit.SECONDS); // let queued sends (e.g. awareness removal) go out
      } catch (Exception e) {
        // closing anyway
      }
      s.sendClose(WebSocket.NORMAL_CLOSURE, "closed")
          .orTimeout(2, TimeUnit.SECONDS)
          .whenComplete((r, e) -> s.abort());
    }
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    timer.shutdown();
    setState(ConnectionState.CLOSED);
  }

  private final class Receiver implements WebSocket.Listener {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    @Override
    public void onOpen(WebSocket webSocket) {
      // set the socket before the first message can arrive, so replies to it are not dropped
      opened(webSocket);
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      lastMessageAt = System.currentTimeMillis();
      byte[] whole = null;
      if (last && partial.size() == 0) {
        whole = chunk;
      } else {
        partial.write(chunk, 0, chunk.length);
        if (last) {
          whole = partial.toByteArray();
          partial.reset();
        }
      }
      if (whole != null) {
        synchronized (serial) {
          try {
            listener.onMessage(whole);
          } catch (RuntimeException e) {
            LOG.warn("bad message from {}: {}; reconnecting", currentUri(), e.toString());
            webSocket.request(1);
            forceReconnect();
            return null;
          }
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      lastMessageAt = System.currentTimeMillis();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      boolean mine;
      synchronized (ReconnectingSocket.this) {
        mine = ws == webSocket;
      }
      if (mine) {
        dropped(statusCode, reason);
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      boolean mine;
      synchronized (ReconnectingSocket.this) {
        mine = ws == webSocket;
      }
      if (mine) {
        dropped(-1, String.valueOf(error));
      }
    }
  }
}
