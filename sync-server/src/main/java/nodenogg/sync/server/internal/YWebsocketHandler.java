package nodenogg.sync.server.internal;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.sync.protocol.SyncProtocol;
import nodenogg.sync.protocol.YWebsocketProtocol;
import nodenogg.sync.server.AuthRequest;
import nodenogg.sync.server.AuthResult;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebSocketCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The y-websocket protocol ({@code @y/websocket-server} behaviour): one document per socket, named
 * by the path without its leading '/' (not URL-decoded). On join the server sends SyncStep1 and the
 * known awareness states; updates are broadcast to every socket of the document (the sender
 * included) and stored; a SyncStep1 is answered once the socket's earlier updates are durable. The
 * token, if the server requires one, comes in the {@code token} query parameter; a denied socket
 * gets an Auth PermissionDenied message and close code 4401 (the y-websocket client does not
 * reconnect on 44xx). Read-only sockets' updates are dropped.
 */
public final class YWebsocketHandler implements SocketHandler {
  private static final Logger LOG = LoggerFactory.getLogger(YWebsocketHandler.class);
  private final ServerContext ctx;
  private final Set<Peer> peers = ConcurrentHashMap.newKeySet();

  public YWebsocketHandler(ServerContext ctx) {
    this.ctx = ctx;
  }

  final class Peer implements DocPeer {
    final Connection conn;
    final String documentName;
    final long openedAt = System.currentTimeMillis();
    volatile long lastMessageAt = openedAt;
    boolean ready; // guarded by this
    boolean closed; // guarded by this
    DocumentRegistry.Lease lease; // guarded by this
    volatile boolean readOnly;
    volatile boolean authenticated;
    volatile ServerDocument doc;
    List<byte[]> queue = new ArrayList<>();
    long queuedBytes;
    final Intake intake;

    Peer(Connection conn, String documentName) {
      this.conn = conn;
      this.documentName = documentName;
      this.intake = new Intake(conn, ctx.budget());
    }

    @Override
    public void sendUpdate(Broadcast update) {
      conn.send(update.message(YWebsocketHandler.class, YWebsocketProtocol::update));
    }

    @Override
    public void sendAwareness(byte[] awarenessUpdate) {
      conn.send(YWebsocketProtocol.awareness(awarenessUpdate));
    }

    @Override
    public String remoteAddress() {
      return conn.remoteAddress();
    }

    @Override
    public long connectedAtMillis() {
      return openedAt;
    }

    @Override
    public void abort(String reason) {
      conn.close(WebSocketCodes.TRY_AGAIN_LATER, reason);
    }

    @Override
    public String toString() {
      return "y-websocket:" + remoteAddress() + "/" + documentName;
    }
  }

  /**
   * The URL-decoded {@code token} query parameter, "" when absent.
   *
   * @throws IllegalArgumentException when its percent-encoding is malformed (e.g. {@code %zz})
   */
  static String tokenFromQuery(String query) {
    for (String part : query.split("&")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).equals("token")) {
        return URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  @Override
  public void onOpen(Connection connection) {
    String path = connection.path();
    Peer p = new Peer(connection, path.startsWith("/") ? path.substring(1) : path);
    connection.attach(p);
    peers.add(p);
    String token;
    try {
      token = tokenFromQuery(connection.query());
    } catch (IllegalArgumentException e) {
      // a malformed token is a failed authentication, not a server error
      LOG.debug(
          "refusing {}: malformed token in the query string ({})",
          connection.remoteAddress(),
          e.getMessage());
      connection.send(YWebsocketProtocol.permissionDenied("malformed token: percent-encode it"));
      connection.close(WebSocketCodes.UNAUTHORIZED, "permission-denied");
      return;
    }
    AuthRequest req =
        new AuthRequest(
            p.documentName,
            token,
            connection.headers(),
            connection.query(),
            connection.remoteAddress(),
            AuthRequest.Protocol.Y_WEBSOCKET);
    ctx.pool()
        .execute(
            () -> {
              AuthResult r;
              try {
                r = ctx.hooks().authenticate(req);
              } catch (RuntimeException e) {
                LOG.warn("authenticate hook threw; denying", e);
                r = null;
              }
              if (r == null || !r.allowed()) {
                connection.send(
                    YWebsocketProtocol.permissionDenied(
                        r == null ? "permission-denied" : r.reason()));
                connection.close(WebSocketCodes.UNAUTHORIZED, "permission-denied");
                return;
              }
              p.readOnly = r.readOnly();
              p.authenticated = true;
              DocumentRegistry.Lease lease;
              synchronized (p) {
                if (p.closed) {
                  return;
                }
                lease = ctx.registry().acquire(p.documentName);
                p.lease = lease;
              }
              lease
                  .document()
                  .whenComplete(
                      (doc, err) -> {
                        if (err != null) {
                          connection.close(
                              WebSocketCodes.TRY_AGAIN_LATER, "document could not be loaded");
                          return;
                        }
                        synchronized (p) {
                          if (p.closed) {
                            return;
                          }
                          p.doc = doc;
                          doc.join(
                              p,
                              p.readOnly,
                              () -> {
                                connection.send(YWebsocketProtocol.step1(doc.doc().stateVector()));
                                byte[] aw = doc.awarenessSnapshot();
                                if (aw != null) {
                                  p.sendAwareness(aw);
                                }
                                drain(p);
                              });
                        }
                      });
            });
  }

  private void drain(Peer p) {
    while (true) {
      List<byte[]> batch;
      synchronized (p) {
        if (p.closed) {
          return;
        }
        batch = p.queue;
        if (batch.isEmpty()) {
          p.ready = true;
          return;
        }
        p.queue = new ArrayList<>();
        ctx.preAuthBudget().release(p.queuedBytes);
        p.queuedBytes = 0;
      }
      for (byte[] m : batch) {
        handle(p, m);
      }
    }
  }

  @Override
  public void onBinary(Connection connection, ByteBuffer message) {
    Peer p = (Peer) connection.attachment();
    byte[] bytes = new byte[message.remaining()];
    message.get(bytes);
    p.lastMessageAt = System.currentTimeMillis();
    synchronized (p) {
      if (!p.ready) {
        if (p.queuedBytes + bytes.length > ctx.preAuthMaxBytes()
            || p.queue.size() + 1 > ctx.preAuthMaxMessages()) {
          connection.close(
              WebSocketCodes.RESET_CONNECTION, "too much sent before the document was ready");
          return;
        }
        if (!ctx.preAuthBudget().tryCharge(bytes.length)) {
          connection.close(
              WebSocketCodes.TRY_AGAIN_LATER,
              "server busy: too much unauthenticated data; retry later");
          return;
        }
        p.queue.add(bytes);
        p.queuedBytes += bytes.length;
        return;
      }
    }
    int size = bytes.length;
    if (!p.intake.admit(size)) {
      connection.close(
          WebSocketCodes.TRY_AGAIN_LATER, "server busy: memory budget exhausted; retry later");
      return;
    }
    Runnable task =
        () -> {
          try {
            handle(p, bytes);
          } finally {
            p.intake.done(size);
          }
        };
    if (size >= ServerDocument.HEAVY_MESSAGE_BYTES) {
      p.doc.executor().executeHeavy(task);
    } else {
      p.doc.executor().execute(task);
    }
  }

  /** On the document executor. */
  private void handle(Peer p, byte[] bytes) {
    ServerDocument d = p.doc;
    try {
      Lib0Decoder r = new Lib0Decoder(bytes);
      long type = r.readVarUint();
      if (type == YWebsocketProtocol.SYNC) {
        SyncProtocol.Message m = SyncProtocol.read(r);
        if (m.isStep1()) {
          if (ServerDocument.isEmptyStateVector(
              m.payload())) { // a join: one shared encoding for all
            d.afterWrites(
                () ->
                    p.conn.send(
                        d.fullStateMessage(YWebsocketProtocol.class, YWebsocketProtocol::step2)));
          } else {
            d.afterWrites(() -> p.conn.send(YWebsocketProtocol.step2(d.doc().diff(m.payload()))));
          }
        } else if (!p.readOnly && m.type() == SyncProtocol.STEP2) {
          d.applyResync(
              p,
              m.payload(),
              ok -> {}); // in a cluster: stores what failed-over clients assume stored
        } else if (!p.readOnly) {
          d.applyUpdate(p, m.payload(), ok -> {});
        }
      } else if (type == YWebsocketProtocol.AWARENESS) {
        d.applyAwareness(p, r.readVarUint8Array());
      } else if (type == YWebsocketProtocol.AUTH || type == YWebsocketProtocol.QUERY_AWARENESS) {
        LOG.trace("ignoring y-websocket message type {} from a client", type);
      } else {
        p.conn.close(WebSocketCodes.PROTOCOL_ERROR, "unknown y-websocket message type " + type);
      }
    } catch (RuntimeException e) {
      p.conn.close(WebSocketCodes.PROTOCOL_ERROR, "malformed message: " + e.getMessage());
    }
  }

  @Override
  public void onClose(Connection connection, int code, String reason, boolean remote) {
    Peer p = (Peer) connection.attachment();
    if (p == null) {
      return;
    }
    peers.remove(p);
    DocumentRegistry.Lease release;
    ServerDocument d;
    synchronized (p) {
      p.closed = true;
      p.queue = new ArrayList<>();
      ctx.preAuthBudget().release(p.queuedBytes);
      p.queuedBytes = 0;
      release = p.lease;
      p.lease = null;
      d = p.doc;
    }
    if (d != null) {
      d.leave(p);
    }
    if (release != null) {
      release.release();
    }
  }

  /** Closes sockets idle past the idle timeout or unauthenticated past the deadline. */
  public void sweep(long now) {
    for (Peer p : peers) {
      if (!p.authenticated && now - p.openedAt > ctx.authDeadlineMillis()) {
        p.conn.close(WebSocketCodes.CONNECTION_TIMEOUT, "no authentication in time");
      } else if (now - p.lastMessageAt > ctx.idleTimeoutMillis()) {
        p.conn.close(WebSocketCodes.CONNECTION_TIMEOUT, "connection idle");
      }
    }
  }

  public void shutdown() {
    for (Peer p : peers) {
      p.conn.close(WebSocketCodes.GOING_AWAY, "server shutting down");
    }
  }
}
