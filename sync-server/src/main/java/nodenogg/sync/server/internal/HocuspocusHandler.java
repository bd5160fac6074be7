package nodenogg.sync.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.protocol.ProtocolException;
import nodenogg.sync.protocol.SyncProtocol;
import nodenogg.sync.server.AuthRequest;
import nodenogg.sync.server.AuthResult;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebSocketCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hocuspocus protocol (server 4.7 behaviour) on one path: many documents per socket, each
 * opened by an Auth message; messages before authentication are queued within limits; read-only
 * sessions get their updates refused with SyncStatus(0); every applied update is acknowledged with
 * SyncStatus(1) once durable. A malformed message or a server-only message type closes the socket.
 *
 * <p>Design: socket callbacks only decode the address and type and route; a document session's
 * messages run on that document's serial executor, in arrival order (the pre-auth queue is drained
 * there before the session turns READY under the client lock).
 */
public final class HocuspocusHandler implements SocketHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HocuspocusHandler.class);
  private final ServerContext ctx;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();

  public HocuspocusHandler(ServerContext ctx) {
    this.ctx = ctx;
  }

  private enum State {
    PENDING,
    AUTHENTICATING,
    JOINING,
    READY,
    CLOSED
  }

  /** Per-socket state. Fields guarded by {@code this}. */
  final class Client {
    final Connection conn;
    final long openedAt = System.currentTimeMillis();
    volatile long lastMessageAt = openedAt;
    volatile boolean everAuthenticated;
    final Map<String, Session> sessions = new LinkedHashMap<>(2); // usually one document per socket
    long queuedBytes;
    int queuedMessages;
    final Intake intake;

    Client(Connection conn) {
      this.conn = conn;
      this.intake = new Intake(conn, ctx.budget());
    }

    void fatal(int code, String reason) {
      LOG.debug("closing Hocuspocus connection {}: {}", conn.remoteAddress(), reason);
      conn.close(code, reason);
    }
  }

  /** One document opened on a socket. */
  final class Session implements DocPeer {
    final Client client;
    final String address;
    final String documentName;
    State state = State.PENDING; // guarded by client
    List<byte[]> queue; // messages waiting for READY; null when none. Guarded by client
    boolean readOnly;
    DocumentRegistry.Lease lease; // guarded by client
    volatile ServerDocument doc;

    Session(Client client, String address, String documentName) {
      this.client = client;
      this.address = address;
      this.documentName = documentName;
    }

    @Override
    public void sendUpdate(Broadcast update) {
      client.conn.send(update.message(address, u -> Hocuspocus.syncUpdate(address, u)));
    }

    @Override
    public void sendAwareness(byte[] awarenessUpdate) {
      client.conn.send(Hocuspocus.awareness(address, awarenessUpdate));
    }

    @Override
    public String remoteAddress() {
      return client.conn.remoteAddress();
    }

    @Override
    public long connectedAtMillis() {
      return client.openedAt;
    }

    /**
     * The document failed (its store): the whole socket is closed with 1013, since a Hocuspocus
     * CLOSE message would leave provider 4.x waiting for ever (it does not re-authenticate) and
     * provider 2.x does not know that message; both reconnect after a 1013 close and resync every
     * document.
     */
    @Override
    public void abort(String reason) {
      client.fatal(WebSocketCodes.TRY_AGAIN_LATER, reason);
    }

    /**
     * Ends this document session (the socket stays open), telling the client with CLOSE(reason).
     */
    void end(String reason) {
      synchronized (client) {
        if (state == State.CLOSED) {
          return;
        }
        state = State.CLOSED;
        client.sessions.remove(address, this);
        dropQueue();
      }
      client.conn.send(Hocuspocus.close(address, reason));
      detach();
    }

    void dropQueue() {
      if (queue == null) {
        return;
      }
      long bytes = 0;
      for (byte[] m : queue) {
        bytes += m.length;
        client.queuedMessages--;
      }
      client.queuedBytes -= bytes;
      ctx.preAuthBudget().release(bytes);
      queue = null;
    }

    /** Leaves the document and drops the registry reference, if taken. */
    void detach() {
      ServerDocument d = doc;
      if (d != null) {
        d.leave(this);
      }
      DocumentRegistry.Lease release;
      synchronized (client) {
        release = lease;
        lease = null;
      }
      if (release != null) {
        release.release();
      }
    }

    @Override
    public String toString() {
      return "hocuspocus:" + remoteAddress() + "/" + documentName;
    }
  }

  @Override
  public void onOpen(Connection connection) {
    Client c = new Client(connection);
    connection.attach(c);
    clients.add(c);
  }

  @Override
  public void onClose(Connection connection, int code, String reason, boolean remote) {
    Client c = (Client) connection.attachment();
    if (c == null) {
      return;
    }
    clients.remove(c);
    List<Session> all;
    synchronized (c) {
      all = new ArrayList<>(c.sessions.values());
      c.sessions.clear();
      for (Session s : all) {
        s.state = State.CLOSED;
        s.dropQueue();
      }
    }
    for (Session s : all) {
      s.detach();
    }
  }

  @Override
  public void onBinary(Connection connection, ByteBuffer message) {
    Client c = (Client) connection.attachment();
    byte[] bytes = new byte[message.remaining()];
    message.get(bytes);
    c.lastMessageAt = System.currentTimeMillis();
    Hocuspocus.Frame frame;
    try {
      frame = Hocuspocus.decode(bytes);
    } catch (ProtocolException e) {
      c.fatal(WebSocketCodes.PROTOCOL_ERROR, "malformed message: " + e.getMessage());
      return;
    }
    if (frame.isConnectionLevel()) {
      if (frame.type() == Hocuspocus.PING) {
        connection.send(Hocuspocus.pong());
      }
      return;
    }
    if (frame.type() == Hocuspocus.BROADCAST_STATELESS || frame.type() == Hocuspocus.SYNC_STATUS) {
      c.fatal(WebSocketCodes.POLICY_VIOLATION, "message type " + frame.type() + " is server-only");
      return;
    }
    Session s;
    boolean startAuth = false;
    boolean implicit = false;
    synchronized (c) {
      s = c.sessions.get(frame.address());
      if (s == null) {
        s = c.sessions.get(frame.documentName());
      }
      if (s == null) {
        long pending = c.sessions.values().stream().filter(x -> x.state != State.READY).count();
        if (pending >= ctx.maxPendingDocuments()) {
          c.fatal(WebSocketCodes.RESET_CONNECTION, "too many documents waiting for authentication");
          return;
        }
        s = new Session(c, frame.address(), frame.documentName());
        c.sessions.put(frame.address(), s);
      }
      if (s.state != State.READY) {
        if (s.state == State.PENDING && frame.type() == Hocuspocus.AUTH) {
          s.state = State.AUTHENTICATING;
          startAuth = true;
        } else {
          if (c.queuedBytes + bytes.length > ctx.preAuthMaxBytes()
              || c.queuedMessages + 1 > ctx.preAuthMaxMessages()) {
            c.fatal(WebSocketCodes.RESET_CONNECTION, "too much sent before authentication");
            return;
          }
          if (!ctx.preAuthBudget().tryCharge(bytes.length)) {
            // server-wide: unauthenticated clients together hold their share of the memory budget
            c.fatal(
                WebSocketCodes.TRY_AGAIN_LATER,
                "server busy: too much unauthenticated data; retry later");
            return;
          }
          if (s.queue == null) {
            s.queue = new ArrayList<>(4);
          }
          s.queue.add(bytes);
          c.queuedBytes += bytes.length;
          c.queuedMessages++;
          if (s.state != State.PENDING || !ctx.implicitAuth()) {
            return;
          }
          s.state = State.AUTHENTICATING;
          implicit = true;
        }
      }
    }
    if (implicit) {
      authorize(s, "");
      return;
    }
    if (startAuth) {
      authenticate(s, frame);
      return;
    }
    Session ready = s;
    ServerDocument d = s.doc;
    int size = bytes.length;
    if (!c.intake.admit(size)) {
      c.fatal(WebSocketCodes.TRY_AGAIN_LATER, "server busy: memory budget exhausted; retry later");
      return;
    }
    Runnable task =
        () -> {
          try {
            handle(ready, frame);
          } finally {
            c.intake.done(size);
          }
        };
    if (size >= ServerDocument.HEAVY_MESSAGE_BYTES) {
      d.executor().executeHeavy(task);
    } else {
      d.executor().execute(task);
    }
  }

  private void authenticate(Session s, Hocuspocus.Frame frame) {
    String token;
    try {
      Lib0Decoder r = frame.body();
      long sub = r.readVarUint();
      if (sub != Hocuspocus.AUTH_TOKEN) {
        s.client.fatal(
            WebSocketCodes.POLICY_VIOLATION, "expected an Auth token, got auth subtype " + sub);
        return;
      }
      token = r.readVarString();
      if (r.hasContent()) {
        r.readVarString(); // provider version (4.x)
      }
    } catch (DecodingException e) {
      s.client.fatal(WebSocketCodes.PROTOCOL_ERROR, "malformed auth message: " + e.getMessage());
      return;
    }
    authorize(s, token);
  }

  /**
   * Runs the authenticate hook for a session's token on the pool, then opens or refuses the
   * document.
   */
  private void authorize(Session s, String token) {
    Connection conn = s.client.conn;
    AuthRequest req =
        new AuthRequest(
            s.documentName,
            token,
            conn.headers(),
            conn.query(),
            conn.remoteAddress(),
            AuthRequest.Protocol.HOCUSPOCUS);
    ctx.pool()
        .execute(
            () -> {
              AuthResult result;
              try {
                result = ctx.hooks().authenticate(req);
                if (result == null) {
                  result = AuthResult.denied(null);
                }
              } catch (RuntimeException e) {
                LOG.warn("authenticate hook threw; denying", e);
                result = AuthResult.denied(null);
              }
              if (!result.allowed()) {
                synchronized (s.client) {
                  if (s.state == State.CLOSED) {
                    return;
                  }
                  s.state = State.CLOSED;
                  s.client.sessions.remove(s.address, s);
                  s.dropQueue();
                }
                conn.send(Hocuspocus.permissionDenied(s.address, result.reason()));
                return;
              }
              s.readOnly = result.readOnly();
              DocumentRegistry.Lease lease;
              synchronized (s.client) {
                if (s.state == State.CLOSED) {
                  return;
                }
                s.state = State.JOINING;
                lease = ctx.registry().acquire(s.documentName);
                s.lease = lease;
                s.client.everAuthenticated = true;
              }
              conn.send(Hocuspocus.authenticated(s.address, s.readOnly));
              lease
                  .document()
                  .whenComplete(
                      (doc, err) -> {
                        if (err != null) {
                          // as for a failed store: close the socket with 1013 so the provider
                          // reconnects and retries
                          s.abort("document could not be loaded; retry");
                          return;
                        }
                        synchronized (s.client) {
                          if (s.state == State.CLOSED) {
                            return; // detach() already released the reference
                          }
                          s.doc = doc;
                          doc.join(
                              s,
                              s.readOnly,
                              () -> {
                                byte[] aw = doc.awarenessSnapshot();
                                if (aw != null) {
                                  s.sendAwareness(aw);
                                }
                                drain(s);
                              });
                        }
                      });
            });
  }

  /** Runs on the document executor: processes queued messages, then turns the session READY. */
  private void drain(Session s) {
    while (true) {
      List<byte[]> batch;
      synchronized (s.client) {
        if (s.state == State.CLOSED) {
          return;
        }
        batch = s.queue;
        if (batch == null) {
          s.state = State.READY;
          return;
        }
        s.dropQueue();
      }
      for (byte[] m : batch) {
        handle(s, Hocuspocus.decode(m));
      }
    }
  }

  /** Handles one message of a READY session, on its document's executor. */
  private void handle(Session s, Hocuspocus.Frame frame) {
    ServerDocument d = s.doc;
    if (s.state == State.CLOSED || d == null) {
      return;
    }
    try {
      Lib0Decoder body = frame.body();
      switch (frame.type()) {
        case Hocuspocus.SYNC:
        case Hocuspocus.SYNC_REPLY:
          handleSync(s, d, SyncProtocol.read(body));
          break;
        case Hocuspocus.AWARENESS:
          d.applyAwareness(s, body.readVarUint8Array());
          break;
        case Hocuspocus.QUERY_AWARENESS:
          {
            byte[] aw = d.awarenessSnapshot();
            s.sendAwareness(aw != null ? aw : new byte[] {0});
            break;
          }
        case Hocuspocus.STATELESS:
          {
            String payload = body.readVarString();
            try {
              ctx.hooks().onStateless(s.documentName, payload);
            } catch (RuntimeException e) {
              LOG.warn("onStateless hook threw", e);
            }
            break;
          }
        case Hocuspocus.CLOSE:
          s.end("provider_initiated");
          break;
        case Hocuspocus.AUTH:
          reauthenticate(s, body);
          break;
        default:
          LOG.debug("ignoring Hocuspocus message type {} from {}", frame.type(), s.remoteAddress());
      }
    } catch (RuntimeException e) {
      s.client.fatal(WebSocketCodes.PROTOCOL_ERROR, "malformed message: " + e.getMessage());
    }
  }

  private void handleSync(Session s, ServerDocument d, SyncProtocol.Message m) {
    switch (m.type()) {
      case SyncProtocol.STEP1:
        d.afterWrites(
            () -> {
              s.client.conn.send(Hocuspocus.syncStep1(s.address, d.doc().stateVector()));
              if (ServerDocument.isEmptyStateVector(
                  m.payload())) { // a join: one shared encoding for all
                s.client.conn.send(
                    d.fullStateMessage(s.address, u -> Hocuspocus.syncStep2(s.address, u)));
              } else {
                s.client.conn.send(Hocuspocus.syncStep2(s.address, d.doc().diff(m.payload())));
              }
            });
        break;
      case SyncProtocol.STEP2:
        if (s.readOnly) {
          s.client.conn.send(Hocuspocus.syncStatus(s.address, d.doc().containsUpdate(m.payload())));
        } else {
          d.applyResync(
              s, m.payload(), ok -> s.client.conn.send(Hocuspocus.syncStatus(s.address, ok)));
        }
        break;
      default:
        if (s.readOnly) {
          s.client.conn.send(Hocuspocus.syncStatus(s.address, false));
        } else {
          d.applyUpdate(
              s, m.payload(), ok -> s.client.conn.send(Hocuspocus.syncStatus(s.address, ok)));
        }
    }
  }

  private void reauthenticate(Session s, Lib0Decoder body) {
    long sub = body.readVarUint();
    if (sub != Hocuspocus.AUTH_TOKEN || !body.hasContent()) {
      return;
    }
    String token = body.readVarString();
    Connection conn = s.client.conn;
    AuthResult r;
    try {
      r =
          ctx.hooks()
              .authenticate(
                  new AuthRequest(
                      s.documentName,
                      token,
                      conn.headers(),
                      conn.query(),
                      conn.remoteAddress(),
                      AuthRequest.Protocol.HOCUSPOCUS));
    } catch (RuntimeException e) {
      r = AuthResult.denied(null);
    }
    if (r == null || !r.allowed()) {
      s.end(r == null ? "permission-denied" : r.reason());
    } else {
      s.readOnly = r.readOnly();
    }
  }

  /** Closes connections past their authentication deadline or idle timeout; called every second. */
  public void sweep(long now) {
    for (Client c : clients) {
      if (!c.everAuthenticated && now - c.openedAt > ctx.authDeadlineMillis()) {
        c.fatal(WebSocketCodes.CONNECTION_TIMEOUT, "no authentication in time");
      } else if (now - c.lastMessageAt > ctx.idleTimeoutMillis()) {
        c.fatal(WebSocketCodes.CONNECTION_TIMEOUT, "connection idle");
      }
    }
  }

  /** Tells every session the server is going away (CLOSE message) and closes the sockets. */
  public void shutdown() {
    for (Client c : clients) {
      List<Session> all;
      synchronized (c) {
        all = new ArrayList<>(c.sessions.values());
      }
      for (Session s : all) {
        c.conn.send(Hocuspocus.close(s.address, "server shutting down"));
      }
      c.conn.close(WebSocketCodes.GOING_AWAY, "server shutting down");
    }
  }

  public int connectionCount() {
    return clients.size();
  }
}
