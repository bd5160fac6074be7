package nodenogg.sync.server.cluster.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One connection to Redis speaking RESP2: commands are written as arrays of bulk strings and
 * pipelined (any thread may send; replies complete the futures in order on the connection's reader
 * thread). A connection in subscribe mode also receives pushed messages, handed to {@code onPush}.
 * Any I/O error closes the connection, fails every pending command and calls {@code onClosed} once;
 * reconnecting is the owner's business ({@link RedisLink}).
 *
 * <p>Why our own client: the cluster needs six commands (PUBLISH, SUBSCRIBE, UNSUBSCRIBE, PUBSUB
 * NUMSUB, SET NX PX, EVAL) on two connections, binary-safe, pipelined from many document threads,
 * and an exact "the subscription was lost, resync now" signal. RESP2 is a small, stable wire
 * format; a Jedis or Lettuce dependency (pools, Netty, their own reconnect policies) would be
 * larger than this file and hide the one event the fan-out must act on.
 *
 * <p>Thread-safe.
 */
public final class RespConnection implements AutoCloseable {

  /** An error reply ({@code -ERR ...}). */
  public static final class RedisError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RedisError(String message) {
      super(message);
    }
  }

  /**
   * A reply of the form RESP2 gives: String (simple), Long, byte[] or null (bulk), List (array),
   * RedisError.
   */
  private final Socket socket;

  private final OutputStream out;
  private final InputStream in;
  private final ArrayDeque<CompletableFuture<Object>> pending = new ArrayDeque<>();
  private final Consumer<List<Object>> onPush;
  private final Consumer<Throwable> onClosed;
  private final Thread reader;
  private boolean closed; // guarded by this

  private RespConnection(
      Socket socket, Consumer<List<Object>> onPush, Consumer<Throwable> onClosed, String name)
      throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.onPush = onPush;
    this.onClosed = onClosed;
    this.reader = new Thread(this::readLoop, name);
    reader.setDaemon(true);
  }

  /**
   * Connects (and starts the reader). {@code onPush} gets pub/sub pushes (arrays whose first
   * element is {@code message}, {@code subscribe}, ...) when the connection is in subscribe mode,
   * on the reader thread.
   */
  public static RespConnection open(
      String host,
      int port,
      int timeoutMillis,
      Consumer<List<Object>> onPush,
      Consumer<Throwable> onClosed,
      String name)
      throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.setKeepAlive(true);
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      RespConnection c = new RespConnection(s, onPush, onClosed, name);
      c.reader.start();
      return c;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * Sends one command; the future completes with its reply (exceptionally with {@link RedisError}
   * or I/O).
   */
  public CompletableFuture<Object> command(Object... args) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    send(f, args);
    return f;
  }

  /**
   * Sends a command whose reply arrives as pushes (SUBSCRIBE / UNSUBSCRIBE of one channel): its
   * confirmation completes the future like a reply.
   */
  void send(CompletableFuture<Object> f, Object... args) {
    byte[] encoded = encode(args);
    IOException failure = null;
    synchronized (this) {
      if (closed) {
        f.completeExceptionally(new IOException("the Redis connection is closed"));
        return;
      }
      pending.addLast(f);
      try {
        out.write(encoded);
        out.flush();
      } catch (IOException e) {
        failure = e;
      }
    }
    if (failure != null) {
      fail(failure);
    }
  }

  static byte[] encode(Object... args) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(64);
    writeAscii(b, "*" + args.length + "\r\n");
    for (Object a : args) {
      byte[] bytes =
          a instanceof byte[] ? (byte[]) a : String.valueOf(a).getBytes(StandardCharsets.UTF_8);
      writeAscii(b, "$" + bytes.length + "\r\n");
      b.write(bytes, 0, bytes.length);
      writeAscii(b, "\r\n");
    }
    return b.toByteArray();
  }

  private static void writeAscii(java.io.ByteArrayOutputStream b, String s) {
    byte[] x = s.getBytes(StandardCharsets.US_ASCII);
    b.write(x, 0, x.length);
  }

  private void readLoop() {
    try {
      while (true) {
        Object reply = read();
        if (reply instanceof List && isPush((List<?>) reply)) {
          @SuppressWarnings("unchecked")
          List<Object> push = (List<Object>) reply;
          String kind = new String((byte[]) push.get(0), StandardCharsets.US_ASCII);
          if (kind.equals("message") || kind.equals("pmessage")) {
            onPush.accept(push);
            continue;
          }
          // subscribe / unsubscribe / pong confirmations answer the command that asked, in order
          onPush.accept(push);
        }
        CompletableFuture<Object> f;
        synchronized (this) {
          f = pending.pollFirst();
        }
        if (f != null) {
          if (reply instanceof RedisError) {
            f.completeExceptionally((RedisError) reply);
          } else {
            f.complete(reply);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  private static boolean isPush(List<?> reply) {
    if (reply.isEmpty() || !(reply.get(0) instanceof byte[])) {
      return false;
    }
    String kind = new String((byte[]) reply.get(0), StandardCharsets.US_ASCII);
    return kind.equals("message")
        || kind.equals("pmessage")
        || kind.equals("subscribe")
        || kind.equals("unsubscribe")
        || kind.equals("psubscribe")
        || kind.equals("punsubscribe");
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("Redis closed the connection");
    }
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        return new RedisError(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          byte[] data = in.readNBytes(n);
          if (data.length < n || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("truncated bulk reply from Redis");
          }
          return data;
        }
      case '*':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(read());
          }
          return items;
        }
      default:
        throw new IOException("unexpected RESP type byte " + type + " from Redis");
    }
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("Redis closed the connection");
      }
      if (c == '\r') {
        if (in.read() != '\n') {
          throw new IOException("malformed RESP line from Redis");
        }
        return sb.toString();
      }
      sb.append((char) c);
    }
  }

  private void fail(Throwable e) {
    List<CompletableFuture<Object>> failed;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      failed = new ArrayList<>(pending);
      pending.clear();
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
    IOException err = e instanceof IOException ? (IOException) e : new IOException(e.toString(), e);
    for (CompletableFuture<Object> f : failed) {
      f.completeExceptionally(err);
    }
    onClosed.accept(e);
  }

  public synchronized boolean isOpen() {
    return !closed;
  }

  @Override
  public void close() {
    fail(new IOException("closed"));
  }
}
