package nodenogg.sync.server.cluster.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's link to Redis: a command connection (PUBLISH, PUBSUB NUMSUB, SET, EVAL) and a
 * subscriber connection, both re-established with back-off when either drops (Redis restarted,
 * network cut). The channels wanted are remembered; after a reconnect every one is subscribed again
 * and then {@link Listener#onResubscribed()} runs, so the fan-out can repair what it missed
 * meanwhile (pub/sub delivers at most once and keeps nothing for absent subscribers). Thread-safe.
 */
public final class RedisLink implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  /**
   * What the link reports. Called on the subscriber's reader thread or the timer; must not block.
   */
  public interface Listener {
    void onMessage(String channel, byte[] payload);

    /** Connected again after a drop, every wanted channel subscribed again. */
    void onResubscribed();
  }

  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final int db;
  private final String display;
  private final Listener listener;
  private final ScheduledExecutorService timer;
  private final Set<String> channels = ConcurrentHashMap.newKeySet();
  private volatile RespConnection cmd;
  private volatile RespConnection sub;
  private volatile boolean closed;
  private volatile String problem;
  private volatile long downSince;
  private volatile long reconnects;
  private long backoff = 100; // timer thread

  public RedisLink(URI uri, Listener listener, ScheduledExecutorService timer) {
    if (uri == null || !"redis".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "expected a Redis URL redis://HOST:PORT[/DB], got '" + uri + "'");
    }
    this.host = uri.getHost();
    this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
    String info = uri.getRawUserInfo();
    String u = null;
    String p = null;
    if (info != null) {
      int colon = info.indexOf(':');
      u = decode(colon < 0 ? info : info.substring(0, colon));
      p = colon < 0 ? null : decode(info.substring(colon + 1));
      if (p == null) {
        p = u; // redis://password@host
        u = null;
      }
    }
    this.user = u == null || u.isEmpty() ? null : u;
    this.password = p;
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
    try {
      this.db = path.isEmpty() ? 0 : Integer.parseInt(path);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the Redis URL's path must be a database number, got '" + path + "'");
    }
    this.display = "redis://" + host + ":" + port + (db == 0 ? "" : "/" + db);
    this.listener = listener;
    this.timer = timer;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  /** The URL without credentials. */
  public String display() {
    return display;
  }

  /**
   * Connects both connections now; throws if Redis cannot be reached (a wrong URL fails at start).
   */
  public void start() throws IOException {
    connect();
  }

  private synchronized void connect() throws IOException {
    if (closed) {
      return;
    }
    RespConnection c = null;
    RespConnection s = null;
    try {
      c =
          RespConnection.open(
              host, port, 3000, push -> {}, this::dropped, "redis-commands " + display);
      s =
          RespConnection.open(
              host, port, 3000, this::push, this::dropped, "redis-subscriber " + display);
      for (RespConnection x : List.of(c, s)) {
        if (password != null) {
          await(user == null ? x.command("AUTH", password) : x.command("AUTH", user, password));
        }
        if (db != 0) {
          await(x.command("SELECT", db));
        }
        await(x.command("CLIENT", "SETNAME", "nodenogg-sync").exceptionally(e -> null));
      }
      for (String ch : channels) {
        s.command("SUBSCRIBE", ch);
      }
      await(s.command("PING"));
      cmd = c;
      sub = s;
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        c.close();
      }
      if (s != null) {
        s.close();
      }
      throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
    }
  }

  private static Object await(CompletableFuture<Object> f) throws IOException {
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("Redis did not answer within 5 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  private void push(List<Object> push) {
    String kind = new String((byte[]) push.get(0), StandardCharsets.US_ASCII);
    if (kind.equals("message")
        && push.size() == 3
        && push.get(1) instanceof byte[]
        && push.get(2) instanceof byte[]) {
      try {
        listener.onMessage(
            new String((byte[]) push.get(1), StandardCharsets.UTF_8), (byte[]) push.get(2));
      } catch (RuntimeException e) {
        LOG.warn("handling a Redis message failed (dropped): {}", e.toString());
      }
    }
  }

  private void dropped(Throwable why) {
    boolean first;
    synchronized (this) {
      RespConnection c = cmd;
      RespConnection s = sub;
      if (c == null && s == null) {
        return; // already down; the reconnect loop is running
      }
      cmd = null;
      sub = null;
      if (c != null) {
        c.close();
      }
      if (s != null) {
        s.close();
      }
      if (closed) {
        return;
      }
      first = problem == null;
      problem = why.getMessage() == null ? why.toString() : why.getMessage();
      downSince = System.currentTimeMillis();
    }
    if (first) {
      LOG.warn(
          "lost the connection to Redis at {} ({}); fan-out to other instances paused, reconnecting",
          display,
          problem);
    }
    backoff = 100;
    timer.schedule(this::reconnect, backoff, TimeUnit.MILLISECONDS);
  }

  private void reconnect() {
    if (closed) {
      return;
    }
    try {
      connect();
    } catch (IOException e) {
      problem = e.getMessage();
      backoff = Math.min(2000, backoff * 2);
      timer.schedule(this::reconnect, backoff, TimeUnit.MILLISECONDS);
      return;
    }
    long down = System.currentTimeMillis() - downSince;
    problem = null;
    reconnects++;
    LOG.info(
        "reconnected to Redis at {} after {} ms; {} channels subscribed again, resyncing open documents",
        display,
        down,
        channels.size());
    try {
      listener.onResubscribed();
    } catch (RuntimeException e) {
      LOG.warn("resync after reconnecting to Redis failed", e);
    }
  }

  /**
   * Subscribes to {@code channel} (now if connected, else on reconnect); completes when confirmed.
   */
  public CompletableFuture<Object> subscribe(String channel) {
    channels.add(channel);
    RespConnection s = sub;
    return s == null ? CompletableFuture.failedFuture(down()) : s.command("SUBSCRIBE", channel);
  }

  public void unsubscribe(String channel) {
    if (channels.remove(channel)) {
      RespConnection s = sub;
      if (s != null) {
        s.command("UNSUBSCRIBE", channel);
      }
    }
  }

  private IOException down() {
    return new IOException(
        "Redis at " + display + " is unreachable" + (problem == null ? "" : " (" + problem + ")"));
  }

  /** Any command on the command connection (PUBLISH, SET, EVAL, PUBSUB ...). */
  public CompletableFuture<Object> command(Object... args) {
    RespConnection c = cmd;
    return c == null ? CompletableFuture.failedFuture(down()) : c.command(args);
  }

  public CompletableFuture<Object> publish(String channel, byte[] message) {
    return command("PUBLISH", channel, message);
  }

  /** True while both connections are up. */
  public boolean connected() {
    return cmd != null && sub != null;
  }

  /** Null when connected, else what failed. */
  public String problem() {
    return connected() ? null : problem == null ? "not connected" : problem;
  }

  public long downSince() {
    return downSince;
  }

  public long reconnects() {
    return reconnects;
  }

  @Override
  public void close() {
    RespConnection c;
    RespConnection s;
    synchronized (this) {
      closed = true;
      c = cmd;
      s = sub;
      cmd = null;
      sub = null;
    }
    if (c != null) {
      c.close();
    }
    if (s != null) {
      s.close();
    }
  }
}
