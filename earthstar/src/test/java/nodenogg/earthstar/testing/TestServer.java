package nodenogg.earthstar.testing;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import nodenogg.earthstar.EarthstarPeer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A WebSocket server for this module's tests that mounts {@link EarthstarPeer#accept} at {@code
 * /earthstar} (the production mount is the sync-server adapter). Paths are passed raw.
 */
public final class TestServer implements AutoCloseable {
  private final Impl impl;

  public TestServer(EarthstarPeer peer) throws InterruptedException {
    impl = new Impl(peer);
    impl.setReuseAddr(true);
    impl.start();
    if (!impl.started.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("test server did not start");
    }
  }

  public int port() {
    return impl.getPort();
  }

  /** {@code http://127.0.0.1:PORT/earthstar/}, what a JS client is given. */
  public String url() {
    return "http://127.0.0.1:" + port() + "/earthstar/";
  }

  @Override
  public void close() throws InterruptedException {
    impl.stop(1000);
  }

  private static final class Impl extends WebSocketServer {
    final EarthstarPeer peer;
    final CountDownLatch started = new CountDownLatch(1);

    Impl(EarthstarPeer peer) {
      super(new InetSocketAddress("127.0.0.1", 0));
      this.peer = peer;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
      String path = handshake.getResourceDescriptor();
      int q = path.indexOf('?');
      if (q >= 0) {
        path = path.substring(0, q);
      }
      if (!path.startsWith("/earthstar")) {
        conn.close(1008, "not found");
        return;
      }
      EarthstarPeer.Connection c =
          peer.accept(
              path.substring("/earthstar".length()),
              new EarthstarPeer.Socket() {
                @Override
                public void sendText(String text) {
                  if (conn.isOpen()) {
                    conn.send(text);
                  }
                }

                @Override
                public void sendBinary(byte[] bytes) {
                  if (conn.isOpen()) {
                    conn.send(bytes);
                  }
                }

                @Override
                public void close(int code, String reason) {
                  conn.close(code, reason);
                }
              },
              String.valueOf(conn.getRemoteSocketAddress()));
      if (c == null) {
        conn.close(1008, "not found");
        return;
      }
      conn.setAttachment(c);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
      EarthstarPeer.Connection c = conn.getAttachment();
      if (c != null) {
        c.onClose();
      }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
      EarthstarPeer.Connection c = conn.getAttachment();
      if (c != null) {
        c.onText(message);
      }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
      EarthstarPeer.Connection c = conn.getAttachment();
      if (c != null) {
        c.onBinary(message);
      }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {}

    @Override
    public void onStart() {
      started.countDown();
    }
  }
}
