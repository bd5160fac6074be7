package nodenogg.earthstar.internal.sync;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import nodenogg.earthstar.EsDocument;

/**
 * Client WebSockets on the JDK's {@code java.net.http}: the sync socket and the attachment sockets.
 */
public final class JdkSockets {
  private static final int CHUNK = 64 * 1024;
  private final HttpClient http;
  private final ScheduledExecutorService timers;
  private final long silenceMillis;

  public JdkSockets(ScheduledExecutorService timers, long silenceMillis) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    this.timers = timers;
    this.silenceMillis = silenceMillis;
  }

  /**
   * The WebSocket base of an Earthstar server URL, as earthstar derives it: {@code http(s)} becomes
   * {@code ws(s)}, a bare {@code /} path is dropped, and a {@code /} is appended ({@code
   * http://h/earthstar/} gives {@code ws://h/earthstar//}).
   */
  public static String base(String url) {
    URI u = URI.create(url);
    String scheme = u.getScheme() == null ? "http" : u.getScheme().toLowerCase();
    boolean secure = scheme.equals("https") || scheme.equals("wss");
    String path =
        u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/")
            ? ""
            : u.getRawPath();
    return (secure ? "wss://" : "ws://") + u.getRawAuthority() + path + "/";
  }

  /** A text socket whose sends are queued (the JDK allows one outstanding send). */
  public static final class TextSocket implements Link {
    private WebSocket ws;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private boolean closed;

    @Override
    public synchronized void sendText(String text) {
      if (closed || ws == null) {
        return;
      }
      WebSocket w = ws;
      tail = tail.thenCompose(x -> w.sendText(text, true)).exceptionally(t -> null);
    }

    @Override
    public synchronized void close(int code, String reason) {
      if (closed || ws == null) {
        closed = true;
        return;
      }
      closed = true;
      WebSocket w = ws;
      String r = reason.length() > 100 ? reason.substring(0, 100) : reason;
      tail.whenComplete((x, t) -> w.sendClose(code, r).whenComplete((y, t2) -> w.abort()));
    }
  }

  /** Opens the sync socket; text messages go to {@code onText}, the end to {@code onClose}. */
  public CompletableFuture<TextSocket> openSync(
      URI uri, Consumer<String> onText, Runnable onClose) {
    TextSocket socket = new TextSocket();
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
              String s = partial.toString();
              partial.setLength(0);
              onText.accept(s);
            }
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            onClose.run();
            return null;
          }

          @Override
          public void onError(WebSocket w, Throwable error) {
            onClose.run();
          }
        };
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(uri, listener)
        .thenApply(
            ws -> {
              synchronized (socket) {
                socket.ws = ws;
              }
              return socket;
            });
  }

  /** The URL of an attachment socket. */
  public static URI transferUri(
      String base, String syncerId, String kind, String share, EsDocument doc) {
    return URI.create(
        base
            + syncerId
            + "/"
            + kind
            + "/"
            + share
            + "/"
            + doc.format()
            + "/"
            + doc.author()
            + doc.path());
  }

  /**
   * Reads an attachment: binary messages until {@code expected} bytes or the socket closes; empty
   * when the server has none. Fails after {@code silenceMillis} without data, or past {@code
   * maxBytes}.
   */
  public CompletableFuture<byte[]> download(URI uri, long expected, long maxBytes) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Object lock = new Object();
    ScheduledFuture<?>[] timeout = new ScheduledFuture<?>[1];
    Runnable bump =
        () -> {
          synchronized (lock) {
            if (timeout[0] != null) {
              timeout[0].cancel(false);
            }
            timeout[0] =
                timers.schedule(
                    () ->
                        result.completeExceptionally(
                            new IllegalStateException("attachment download timed out")),
                    silenceMillis,
                    TimeUnit.MILLISECONDS);
          }
        };
    bump.run();
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            bump.run();
            byte[] b = new byte[data.remaining()];
            data.get(b);
            synchronized (lock) {
              buf.write(b, 0, b.length);
              if (buf.size() > maxBytes) {
                result.completeExceptionally(
                    new IllegalStateException("attachment larger than " + maxBytes));
                w.abort();
                return null;
              }
              if (buf.size() >= expected) {
                result.complete(buf.toByteArray());
                w.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((x, t) -> w.abort());
                return null;
              }
            }
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            w.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            synchronized (lock) {
              result.complete(buf.toByteArray());
            }
            return null;
          }

          @Override
          public void onError(WebSocket w, Throwable error) {
            result.completeExceptionally(error);
          }
        };
    http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(uri, listener)
        .whenComplete(
            (ws, t) -> {
              if (t != null) {
                result.completeExceptionally(t);
              }
            });
    return result.whenComplete(
        (b, t) -> {
          synchronized (lock) {
            if (timeout[0] != null) {
              timeout[0].cancel(false);
            }
          }
        });
  }

  /** Sends an attachment in binary messages, then closes. */
  public CompletableFuture<Void> upload(URI uri, byte[] bytes) {
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(uri, new WebSocket.Listener() {})
        .thenCompose(
            ws -> {
              CompletableFuture<WebSocket> chain = CompletableFuture.completedFuture(ws);
              for (int off = 0; off < bytes.length; off += CHUNK) {
                ByteBuffer part = ByteBuffer.wrap(bytes, off, Math.min(CHUNK, bytes.length - off));
                chain = chain.thenCompose(w -> w.sendBinary(part, true));
              }
              return chain
                  .thenCompose(w -> w.sendClose(WebSocket.NORMAL_CLOSURE, ""))
                  .thenAccept(
                      w -> {
                        // the server closes after it has read everything; give it time, then drop
                        // the socket
                        timers.schedule(w::abort, 5, TimeUnit.SECONDS);
                      });
            });
  }
}
