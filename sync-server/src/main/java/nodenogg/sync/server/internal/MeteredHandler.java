package nodenogg.sync.server.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.SharedMessage;
import nodenogg.sync.server.websocket.SocketHandler;

/**
 * Wraps a protocol handler to count its connections, messages and bytes and to log each
 * connection's opening and closing ({@link Telemetry}). The wrapped handler sees a {@link Metered}
 * connection that counts what is sent through it and keeps the handler's own attachment; the raw
 * connection's attachment holds the wrapper. Thread-safety as the wrapped handler's.
 */
public final class MeteredHandler implements SocketHandler {
  private final SocketHandler inner;
  private final Telemetry telemetry;
  private final Telemetry.Protocol protocol;

  public MeteredHandler(SocketHandler inner, Telemetry telemetry, Telemetry.Protocol protocol) {
    this.inner = inner;
    this.telemetry = telemetry;
    this.protocol = protocol;
  }

  public SocketHandler inner() {
    return inner;
  }

  /** The connection as the wrapped handler sees it. */
  static final class Metered implements Connection {
    final Connection raw;
    final Telemetry.Traffic traffic;
    final long openedAt = System.currentTimeMillis();
    private volatile Object attachment;

    Metered(Connection raw, Telemetry.Traffic traffic) {
      this.raw = raw;
      this.traffic = traffic;
    }

    @Override
    public String path() {
      return raw.path();
    }

    @Override
    public String query() {
      return raw.query();
    }

    @Override
    public Map<String, String> headers() {
      return raw.headers();
    }

    @Override
    public String remoteAddress() {
      return raw.remoteAddress();
    }

    private void counted(int bytes) {
      traffic.messagesOut.increment();
      traffic.bytesOut.add(bytes);
    }

    @Override
    public void send(byte[] message) {
      if (raw.isOpen()) {
        counted(message.length);
      }
      raw.send(message);
    }

    @Override
    public void send(SharedMessage message) {
      if (raw.isOpen()) {
        counted(message.payload().length);
      }
      raw.send(message);
    }

    @Override
    public void send(String message) {
      if (raw.isOpen()) {
        counted(utf8Length(message));
      }
      raw.send(message);
    }

    @Override
    public void close(int code, String reason) {
      raw.close(code, reason);
    }

    @Override
    public boolean isOpen() {
      return raw.isOpen();
    }

    @Override
    public long bufferedBytes() {
      return raw.bufferedBytes();
    }

    @Override
    public Object attachment() {
      return attachment;
    }

    @Override
    public void attach(Object attachment) {
      this.attachment = attachment;
    }

    @Override
    public String toString() {
      return raw.toString();
    }
  }

  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static Metered of(Connection raw) {
    return (Metered) raw.attachment();
  }

  @Override
  public void onOpen(Connection connection) {
    Metered m = new Metered(connection, telemetry.traffic(protocol));
    connection.attach(m);
    telemetry.connectionOpened(protocol, connection.remoteAddress(), connection.path());
    inner.onOpen(m);
  }

  @Override
  public void onText(Connection connection, String message) {
    telemetry.messageIn(protocol, utf8Length(message));
    inner.onText(of(connection), message);
  }

  @Override
  public void onBinary(Connection connection, ByteBuffer message) {
    telemetry.messageIn(protocol, message.remaining());
    inner.onBinary(of(connection), message);
  }

  @Override
  public void onClose(Connection connection, int code, String reason, boolean remote) {
    Metered m = of(connection);
    try {
      inner.onClose(m, code, reason, remote);
    } finally {
      telemetry.connectionClosed(
          protocol,
          connection.remoteAddress(),
          code,
          reason,
          remote,
          System.currentTimeMillis() - m.openedAt);
    }
  }
}
