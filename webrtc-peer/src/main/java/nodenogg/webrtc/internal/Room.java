package nodenogg.webrtc.internal;

import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.SyncDocument;
import nodenogg.sync.protocol.SyncProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A y-webrtc 10.3.0 room ({@code Room}, {@code SignalingConn} and {@code WebrtcConn} of {@code
 * src/y-webrtc.js}) in Java: signalling on every URL (subscribe, announce, signal with glare
 * tokens, optionally encrypted), one {@link PeerLink} per remote peer, and the data channel
 * messages (0 sync, 1 awareness, 3 query awareness, 4 BroadcastChannel peer id) with y-protocols
 * sync and awareness. Every update of the document and of the awareness (local or received) is sent
 * to every connected peer, as y-webrtc does.
 *
 * <p>Threading: all state lives on one {@link Loop} thread; public methods post to it.
 */
public final class Room {
  private static final Logger LOG = LoggerFactory.getLogger(Room.class);
  static final int MESSAGE_SYNC = 0;
  static final int MESSAGE_AWARENESS = 1;
  static final int MESSAGE_QUERY_AWARENESS = 3;
  static final int MESSAGE_BC_PEER_ID = 4;
  private static final AtomicInteger SEQ = new AtomicInteger();

  /** Room events, delivered on the room's loop thread (listeners must not block). */
  public interface Listener {
    /** y-webrtc's {@code peers} event. */
    default void peers(
        List<String> added, List<String> removed, List<String> webrtcPeers, List<String> bcPeers) {}

    /** y-webrtc's {@code synced} event: synced with every connected peer (or not any more). */
    default void synced(boolean synced) {}

    /** A data channel to {@code peerId} opened. */
    default void connected(String peerId) {}

    /** The connection to {@code peerId} ended; {@code reason} null for a normal close. */
    default void disconnected(String peerId, String reason) {}

    /** The first sync step 2 from {@code peerId} was applied. */
    default void syncedWith(String peerId) {}

    /** The number of open data channels changed. */
    default void openConnections(int count) {}
  }

  /** One remote peer (y-webrtc {@code WebrtcConn}). */
  private final class Conn implements PeerLink.Events {
    final String remotePeerId;
    final SignalingSocket socket;
    final PeerLink link;
    Double glareToken;
    boolean connected;
    boolean synced;
    boolean replaced;
    boolean badMessageLogged;

    Conn(SignalingSocket socket, boolean initiator, String remotePeerId) {
      this.remotePeerId = remotePeerId;
      this.socket = socket;
      this.link =
          new PeerLink(lease.factory(), rtcConfig, initiator, loop, connectTimeoutMillis, this);
    }

    @Override
    public void signal(Map<String, Object> signal) {
      if (replaced) {
        return;
      }
      if (glareToken == null) {
        // y-webrtc: Date.now() + Math.random()
        glareToken = System.currentTimeMillis() + Math.random();
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("to", remotePeerId);
      m.put("from", peerId);
      m.put("type", "signal");
      m.put("token", glareToken);
      m.put("signal", signal);
      publish(socket, m);
    }

    @Override
    public void connected() {
      if (replaced) {
        return;
      }
      connected = true;
      LOG.info("room {}: connected to peer {}", name, remotePeerId);
      listener.connected(remotePeerId);
      listener.openConnections(openCount());
      Lib0Encoder step1 = new Lib0Encoder();
      step1.writeVarUint(MESSAGE_SYNC);
      SyncProtocol.writeStep1(step1, doc);
      link.send(step1.toByteArray());
      Map<Long, Object> states = awareness.getStates();
      if (!states.isEmpty()) {
        Lib0Encoder w = new Lib0Encoder();
        w.writeVarUint(MESSAGE_AWARENESS);
        w.writeVarUint8Array(awareness.encodeUpdate(new ArrayList<>(states.keySet())));
        link.send(w.toByteArray());
      }
    }

    @Override
    public void data(byte[] message) {
      if (replaced) {
        return;
      }
      byte[] reply;
      try {
        reply = readMessage(message, this);
      } catch (RuntimeException e) {
        if (!badMessageLogged) {
          badMessageLogged = true;
          LOG.warn(
              "room {}: peer {} sent a malformed message ({}); closing that connection",
              name,
              remotePeerId,
              e.getMessage());
        }
        link.destroy("malformed message");
        return;
      }
      if (reply != null) {
        link.send(reply);
      }
    }

    @Override
    public void closed(String reason) {
      boolean wasConnected = connected;
      connected = false;
      if (replaced) {
        return;
      }
      if (conns.get(remotePeerId) == this) {
        conns.remove(remotePeerId);
        listener.peers(
            List.of(), List.of(remotePeerId), List.copyOf(conns.keySet()), List.copyOf(bcConns));
      }
      if (closing) {
        return;
      }
      if (reason != null) {
        LOG.info("room {}: connection to peer {} ended: {}", name, remotePeerId, reason);
      } else if (wasConnected) {
        LOG.info("room {}: peer {} closed the connection", name, remotePeerId);
      }
      listener.disconnected(remotePeerId, reason);
      listener.openConnections(openCount());
      checkIsSynced();
      announceSignalingInfo();
    }
  }

  private final String name;
  private final String peerId = UUID.randomUUID().toString();
  private final SyncDocument doc;
  private final Awareness awareness;
  private final String password;
  private final int maxConns;
  private final long connectTimeoutMillis;
  private final Listener listener;
  private final Loop loop;
  private final RTCConfiguration rtcConfig = new RTCConfiguration();
  private final List<SignalingSocket> sockets = new ArrayList<>();
  private final Map<String, Conn> conns = new LinkedHashMap<>();
  private final Set<String> bcConns = new LinkedHashSet<>();
  private final Object origin =
      new Object() {
        @Override
        public String toString() {
          return "y-webrtc room " + Room.this.name;
        }
      };
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private NativeRuntime.Lease lease;
  private RoomCrypto key;
  private SyncDocument.Registration docRegistration;
  private Awareness.Registration awarenessRegistration;
  private ScheduledFuture<?> awarenessCheck;
  private boolean synced;
  private boolean closing;
  private boolean closed;
  private boolean wrongPasswordLogged;
  private final java.util.concurrent.atomic.AtomicLong undecryptable =
      new java.util.concurrent.atomic.AtomicLong();

  public Room(
      String name,
      SyncDocument doc,
      Awareness awareness,
      List<URI> signaling,
      String password,
      int maxConns,
      List<String> iceServers,
      long connectTimeoutMillis,
      Listener listener) {
    this.name = name;
    this.doc = doc;
    this.awareness = awareness;
    this.password = password;
    this.maxConns = maxConns;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.listener = listener;
    this.loop = new Loop("webrtc-room-" + SEQ.incrementAndGet());
    if (!iceServers.isEmpty()) {
      RTCIceServer ice = new RTCIceServer();
      ice.urls.addAll(iceServers);
      rtcConfig.iceServers.add(ice);
    }
    for (URI u : signaling) {
      sockets.add(new SignalingSocket(u, loop, new SocketEvents()));
    }
  }

  public String name() {
    return name;
  }

  public String peerId() {
    return peerId;
  }

  public Object origin() {
    return origin;
  }

  /**
   * Derives the key (when a password is set), takes a lease on the native factory and connects;
   * returns when the room is running.
   */
  public void start() {
    try {
      lease =
          NativeRuntime.acquire(); // throws WebrtcUnavailableException here, on the caller's thread
    } catch (RuntimeException e) {
      loop.shutdown(0);
      throw e;
    }
    loop.post(
        () -> {
          try {
            if (password != null) {
              key = RoomCrypto.derive(password, name);
            }
            docRegistration =
                doc.onUpdate(
                    (update, o) -> {
                      Lib0Encoder w = new Lib0Encoder(update.length + 8);
                      w.writeVarUint(MESSAGE_SYNC);
                      SyncProtocol.writeUpdate(w, update);
                      byte[] m = w.toByteArray();
                      loop.run(() -> broadcast(m), true);
                    });
            awarenessRegistration =
                awareness.onUpdate(
                    (change, o) -> {
                      byte[] update = awareness.encodeUpdate(change.all());
                      Lib0Encoder w = new Lib0Encoder(update.length + 8);
                      w.writeVarUint(MESSAGE_AWARENESS);
                      w.writeVarUint8Array(update);
                      byte[] m = w.toByteArray();
                      loop.run(() -> broadcast(m), true);
                    });
            awarenessCheck = loop.every(awareness::check, Awareness.CHECK_INTERVAL_MILLIS);
            for (SignalingSocket s : sockets) {
              s.start();
            }
            started.complete(null);
          } catch (RuntimeException e) {
            started.completeExceptionally(e);
          }
        });
    try {
      started.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      close();
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      close();
      throw new IllegalStateException("room " + name + " did not start within 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while starting room " + name);
    }
  }

  private int openCount() {
    int n = 0;
    for (Conn c : conns.values()) {
      if (c.connected) {
        n++;
      }
    }
    return n;
  }

  /**
   * Test hook: sends raw bytes to every connected peer (to prove peers survive malformed messages).
   */
  void broadcastRaw(byte[] message) {
    loop.post(() -> broadcast(message));
  }

  private void broadcast(byte[] message) {
    for (Conn c : conns.values()) {
      if (c.connected) {
        c.link.send(message);
      }
    }
  }

  // ---- data channel messages (y-webrtc readMessage)
  // ------------------------------------------------

  private byte[] readMessage(byte[] message, Conn from) {
    Lib0Decoder r = new Lib0Decoder(message);
    long type = r.readVarUint();
    switch ((int) Math.min(type, Integer.MAX_VALUE)) {
      case MESSAGE_SYNC -> {
        Lib0Encoder reply = new Lib0Encoder();
        reply.writeVarUint(MESSAGE_SYNC);
        SyncProtocol.Message m = SyncProtocol.handle(r, reply, doc, origin);
        // y-webrtc marks a peer synced on its step 2 only while the room is not synced; we mark it
        // on its
        // first step 2 always, so a peer joining later also counts (the room's synced event is
        // local only)
        if (m.type() == SyncProtocol.STEP2 && !from.synced) {
          from.synced = true;
          LOG.info("room {}: synced with peer {}", name, from.remotePeerId);
          listener.syncedWith(from.remotePeerId);
          checkIsSynced();
        }
        return m.isStep1() ? reply.toByteArray() : null;
      }
      case MESSAGE_QUERY_AWARENESS -> {
        Lib0Encoder reply = new Lib0Encoder();
        reply.writeVarUint(MESSAGE_AWARENESS);
        reply.writeVarUint8Array(
            awareness.encodeUpdate(new ArrayList<>(awareness.getStates().keySet())));
        return reply.toByteArray();
      }
      case MESSAGE_AWARENESS -> {
        awareness.applyUpdate(r.readVarUint8Array(), origin);
        return null;
      }
      case MESSAGE_BC_PEER_ID -> {
        boolean add = r.readUint8() == 1;
        String peerName = r.readVarString();
        if (!peerName.equals(peerId) && bcConns.contains(peerName) != add) {
          if (add) {
            bcConns.add(peerName);
          } else {
            bcConns.remove(peerName);
          }
          listener.peers(
              add ? List.of(peerName) : List.of(),
              add ? List.of() : List.of(peerName),
              List.copyOf(conns.keySet()),
              List.copyOf(bcConns));
        }
        return null;
      }
      default -> {
        LOG.debug(
            "room {}: ignored a message of unknown type {} from {}", name, type, from.remotePeerId);
        return null;
      }
    }
  }

  private void checkIsSynced() {
    boolean all = true;
    for (Conn c : conns.values()) {
      if (!c.synced) {
        all = false;
        break;
      }
    }
    if (all != synced) {
      synced = all;
      listener.synced(all);
    }
  }

  // ---- signalling (y-webrtc SignalingConn)
  // --------------------------------------------------------

  private void publish(SignalingSocket socket, Map<String, Object> data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "publish");
    m.put("topic", name);
    m.put("data", key == null ? data : Base64.getEncoder().encodeToString(key.sealJson(data)));
    socket.send(m);
  }

  private Map<String, Object> announce() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "announce");
    m.put("from", peerId);
    return m;
  }

  private void announceSignalingInfo() {
    for (SignalingSocket s : sockets) {
      if (s.isConnected()) {
        s.send(Map.of("type", "subscribe", "topics", List.of(name)));
        if (conns.size() < maxConns) {
          publish(s, announce());
        }
      }
    }
  }

  private final class SocketEvents implements SignalingSocket.Events {
    @Override
    public void connected(SignalingSocket socket) {
      if (closing) {
        return;
      }
      socket.send(Map.of("type", "subscribe", "topics", List.of(name)));
      publish(socket, announce());
    }

    @Override
    public void message(SignalingSocket socket, Map<String, Object> m) {
      if (closing || !"publish".equals(m.get("type")) || !name.equals(m.get("topic"))) {
        return;
      }
      Object data = m.get("data");
      if (key != null) {
        if (!(data instanceof String s)) {
          return;
        }
        byte[] sealed;
        try {
          sealed = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
          return;
        }
        try {
          data = key.openJson(sealed);
        } catch (RoomCrypto.SealException e) {
          undecryptable.incrementAndGet();
          if (!wrongPasswordLogged) {
            wrongPasswordLogged = true;
            LOG.warn(
                "room {}: dropped a signalling message that does not open with this room's password "
                    + "(another peer uses a different password: {}); such messages are dropped from now on without a log line",
                name,
                e.getMessage());
          }
          return;
        }
      }
      if (data instanceof Map<?, ?> d) {
        @SuppressWarnings("unchecked")
        Map<String, Object> dm = (Map<String, Object>) d;
        execMessage(socket, dm);
      }
    }

    @Override
    public void disconnected(SignalingSocket socket) {}
  }

  private void execMessage(SignalingSocket socket, Map<String, Object> data) {
    Object fromValue = data.get("from");
    if (!(fromValue instanceof String from)
        || from.equals(peerId)
        || (data.containsKey("to") && !peerId.equals(data.get("to")))
        || bcConns.contains(from)) {
      return;
    }
    boolean known = conns.containsKey(from);
    Object type = data.get("type");
    if ("announce".equals(type)) {
      if (conns.size() < maxConns && !known) {
        conns.put(from, new Conn(socket, true, from));
        peerAdded(from);
      }
      return;
    }
    if (!"signal".equals(type) || !(data.get("signal") instanceof Map<?, ?> sig)) {
      return;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> signal = (Map<String, Object>) sig;
    Object signalType = signal.get("type");
    Conn existing = conns.get(from);
    if ("offer".equals(signalType) && existing != null) {
      double remoteToken = data.get("token") instanceof Number n ? n.doubleValue() : Double.NaN;
      Double localToken = existing.glareToken;
      if (localToken != null && localToken > remoteToken) {
        LOG.debug("room {}: offer from {} rejected (glare)", name, from);
        return;
      }
      existing.glareToken = null;
      if (existing.link.isInitiator() && !existing.connected) {
        // We offered too and lost the glare: answer theirs on a fresh connection (simple-peer in a
        // browser rolls its own offer back; dropping ours is the same for the remote side).
        existing.replaced = true;
        existing.link.destroy(null);
        conns.remove(from);
        existing = null;
      }
    }
    if ("answer".equals(signalType) && existing != null) {
      existing.glareToken = null;
    }
    if (peerId.equals(data.get("to"))) {
      Conn c = existing;
      if (c == null) {
        c = new Conn(socket, false, from);
        conns.put(from, c);
      }
      c.link.signal(signal);
      if (!known) {
        peerAdded(from);
      }
    }
  }

  private void peerAdded(String from) {
    listener.peers(List.of(from), List.of(), List.copyOf(conns.keySet()), List.copyOf(bcConns));
  }

  // ---- leaving
  // ---------------------------------------------------------------------------------------

  /**
   * Leaves cleanly (y-webrtc {@code disconnect} + {@code destroy}): unsubscribes, removes our
   * awareness state (peers see us leave at once), lets the data channels drain (at most 1 s),
   * closes every connection and socket and releases the native factory. Idempotent; blocks until
   * done (at most ~5 s).
   */
  public void close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.post(
        () -> {
          try {
            closeOnLoop();
          } finally {
            done.complete(null);
          }
        });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("room {}: close did not finish in time", name);
    }
    loop.shutdown(5000);
    synchronized (this) {
      if (lease != null) {
        lease.close();
        lease = null;
      }
    }
  }

  private void closeOnLoop() {
    if (closed) {
      return;
    }
    closing = true;
    for (SignalingSocket s : sockets) {
      if (s.isConnected()) {
        s.send(Map.of("type", "unsubscribe", "topics", List.of(name)));
      }
    }
    if (awarenessRegistration != null) {
      // our presence removal goes out over every open channel before they close
      awareness.removeStates(List.of(awareness.clientId()), "disconnect");
      awarenessRegistration.close();
    }
    if (docRegistration != null) {
      docRegistration.close();
    }
    if (awarenessCheck != null) {
      awarenessCheck.cancel(false);
    }
    long deadline = System.currentTimeMillis() + 1000;
    while (System.currentTimeMillis() < deadline
        && conns.values().stream().anyMatch(c -> c.link.bufferedAmount() > 0)) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Conn c : new ArrayList<>(conns.values())) {
      c.link.destroy(null);
    }
    conns.clear();
    for (SignalingSocket s : sockets) {
      s.close();
    }
    closed = true;
  }

  /** Signalling messages dropped because they did not open with the room password. */
  public long undecryptableSignals() {
    return undecryptable.get();
  }

  /** Remote peer ids with an open data channel (a snapshot; call from any thread). */
  public List<String> connectedPeers() {
    CompletableFuture<List<String>> f = new CompletableFuture<>();
    loop.post(
        () -> {
          List<String> l = new ArrayList<>();
          conns.forEach(
              (id, c) -> {
                if (c.connected) {
                  l.add(id);
                }
              });
          f.complete(l);
        });
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (ExecutionException | TimeoutException e) {
      return List.of();
    }
  }

  /** How many signalling sockets are open now (call from any thread). */
  public int signalingConnected() {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    loop.post(
        () -> f.complete((int) sockets.stream().filter(SignalingSocket::isConnected).count()));
    try {
      return f.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (ExecutionException | TimeoutException e) {
      return 0;
    }
  }
}
