package nodenogg.sync.server.earthstar;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import nodenogg.earthstar.EarthstarPeer;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.SocketHandler;

/**
 * Serves Earthstar v10 sync on this server's WebSocket routes below a prefix (default {@code
 * /earthstar}): {@code <prefix>/once}, {@code <prefix>/continuous} and the attachment sockets, with
 * one or two slashes after the prefix (earthstar clients given {@code http://host/earthstar/}
 * double it). A thin adapter: the protocol is {@link EarthstarPeer#accept}. Thread-safe.
 */
public final class EarthstarSocketHandler implements SocketHandler {
  private final EarthstarPeer peer;
  private final String prefix;

  public EarthstarSocketHandler(EarthstarPeer peer, String prefix) {
    this.peer = peer;
    this.prefix = prefix;
  }

  /** Whether {@code path} belongs to this mount ({@code /earthstar} or below it). */
  public boolean matches(String path) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }

  public EarthstarPeer peer() {
    return peer;
  }

  @Override
  public void onOpen(Connection c) {
    EarthstarPeer.Connection conn =
        peer.accept(
            c.path().substring(prefix.length()),
            new EarthstarPeer.Socket() {
              @Override
              public void sendText(String text) {
                c.send(text);
              }

              @Override
              public void sendBinary(byte[] bytes) {
                c.send(bytes);
              }

              @Override
              public void close(int code, String reason) {
                c.close(code, reason);
              }
            },
            c.remoteAddress());
    if (conn == null) {
      c.close(
          1008, "unknown Earthstar path; sync at " + prefix + "/once or " + prefix + "/continuous");
      return;
    }
    c.attach(conn);
  }

  @Override
  public void onText(Connection c, String message) {
    if (c.attachment() instanceof EarthstarPeer.Connection conn) {
      conn.onText(message);
    }
  }

  @Override
  public void onBinary(Connection c, ByteBuffer message) {
    if (c.attachment() instanceof EarthstarPeer.Connection conn) {
      conn.onBinary(message);
    }
  }

  @Override
  public void onClose(Connection c, int code, String reason, boolean remote) {
    if (c.attachment() instanceof EarthstarPeer.Connection conn) {
      conn.onClose();
    }
  }

  /**
   * The {@code earthstar} section of {@code GET /status}: counters, open syncs, documents per
   * share.
   */
  public Map<String, Object> status() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", prefix + "/");
    m.put("activeSyncs", peer.activeSyncs());
    m.put("shares", peer.documentCounts());
    m.putAll(peer.stats().toMap());
    return m;
  }
}
