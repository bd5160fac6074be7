package nodenogg.sync.server.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.SocketHandler;

/** An in-memory {@link Connection} recording what the handler sends and how it closes. */
final class FakeConnection implements Connection {
  final List<byte[]> sent = new CopyOnWriteArrayList<>();
  volatile int closeCode = -1;
  volatile String closeReason;
  private final String path;
  private final String query;
  private final SocketHandler handler;
  private Object attachment;

  FakeConnection(SocketHandler handler, String path, String query) {
    this.handler = handler;
    this.path = path;
    this.query = query;
    handler.onOpen(this);
  }

  /** Delivers a client message the way the WebServer would. */
  void receive(byte[] message) {
    if (closeCode < 0) {
      try {
        handler.onBinary(this, ByteBuffer.wrap(message));
      } catch (RuntimeException e) {
        close(1011, "handler threw: " + e);
      }
    }
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String query() {
    return query;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of();
  }

  @Override
  public String remoteAddress() {
    return "127.0.0.1:1";
  }

  @Override
  public void send(byte[] message) {
    if (closeCode < 0) {
      sent.add(message);
    }
  }

  @Override
  public void send(String message) {}

  @Override
  public synchronized void close(int code, String reason) {
    if (closeCode >= 0) {
      return;
    }
    closeCode = code;
    closeReason = reason;
    handler.onClose(this, code, reason, false);
  }

  @Override
  public boolean isOpen() {
    return closeCode < 0;
  }

  @Override
  public long bufferedBytes() {
    return 0;
  }

  @Override
  public Object attachment() {
    return attachment;
  }

  @Override
  public void attach(Object attachment) {
    this.attachment = attachment;
  }
}
