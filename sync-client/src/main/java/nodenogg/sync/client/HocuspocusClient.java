package nodenogg.sync.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import nodenogg.sync.client.internal.ReconnectingSocket;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.protocol.SyncDocument;

/**
 * One WebSocket to a Hocuspocus server (ours, {@code @hocuspocus/server}, or the nodenogg.in
 * server) carrying any number of documents. Each {@link #open} attaches a document: the client
 * sends Auth (token), SyncStep1 and its awareness; answers the server's SyncStep1 with the missing
 * updates; sends local updates as they happen and counts them until the server acknowledges them
 * (SyncStatus). After a drop it reconnects with backoff and jitter, re-authenticates every document
 * and resyncs, so edits made while offline are delivered.
 *
 * <pre>{@code
 * try (HocuspocusClient client = HocuspocusClient.connect(URI.create("ws://localhost:8787/sync"))) {
 *   HocuspocusDocument d = client.open("my-microcosm", syncDoc, awareness, "default");
 *   d.whenSynced().get(10, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class HocuspocusClient implements AutoCloseable {
  /** Provider version sent after the token (as Hocuspocus 4.x providers do). */
  public static final String PROVIDER_VERSION = "nodenogg-sync-java/0.1.0";

  private final ReconnectingSocket socket;
  private final Map<String, HocuspocusDocument> docs = new ConcurrentHashMap<>();
  private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();

  private HocuspocusClient(List<URI> uris, ClientOptions options) {
    this.socket =
        new ReconnectingSocket(
            uris,
            options,
            new ReconnectingSocket.Listener() {
              @Override
              public void onOpen() {
                for (HocuspocusDocument d : new ArrayList<>(docs.values())) {
                  d.handshake();
                }
              }

              @Override
              public void onMessage(byte[] message) {
                receive(message);
              }

              @Override
              public void onDisconnect(int code, String reason) {
                for (HocuspocusDocument d : docs.values()) {
                  d.disconnected();
                }
              }
            },
            s -> stateListeners.forEach(l -> l.accept(s)));
    socket.every(
        () -> docs.values().forEach(HocuspocusDocument::tick), Awareness.CHECK_INTERVAL_MILLIS);
  }

  /** Connects (in the background) to a Hocuspocus endpoint such as {@code ws://host:8787/sync}. */
  public static HocuspocusClient connect(URI uri) {
    return connect(uri, ClientOptions.defaults());
  }

  public static HocuspocusClient connect(URI uri, ClientOptions options) {
    return connect(List.of(uri), options);
  }

  /**
   * Connects to the first of several endpoints of one cluster (e.g. {@code ws://a:8787/sync},
   * {@code ws://b:8787/sync}, instances sharing one Redis and one store) and moves to the next when
   * the one in use fails, as the JS providers do behind a load balancer. Every document then
   * re-authenticates and resyncs on the new instance: changes it does not have yet are sent again
   * and counted in {@link HocuspocusDocument#unsyncedChanges()} until that instance acknowledges
   * them.
   */
  public static HocuspocusClient connect(List<URI> uris, ClientOptions options) {
    HocuspocusClient c = new HocuspocusClient(uris, options);
    c.socket.start();
    return c;
  }

  /** The endpoint in use (or being connected to) now. */
  public URI currentUri() {
    return socket.currentUri();
  }

  /**
   * Attaches a document under {@code name}. {@code awareness} may be null (no presence). The token
   * is always sent (Hocuspocus 4 requires an Auth message; use "" when there is none).
   *
   * @throws IllegalStateException if a document with that name is already open on this client
   */
  public HocuspocusDocument open(String name, SyncDocument doc, Awareness awareness, String token) {
    HocuspocusDocument d =
        new HocuspocusDocument(this, name, doc, awareness, token == null ? "" : token);
    if (docs.putIfAbsent(name, d) != null) {
      throw new IllegalStateException("document '" + name + "' is already open on this connection");
    }
    d.start();
    if (socket.isOpen()) {
      d.handshake();
    }
    return d;
  }

  void detach(HocuspocusDocument d) {
    docs.remove(d.name(), d);
  }

  boolean send(byte[] message) {
    return socket.send(message);
  }

  void markConnected() {
    socket.markConnected();
  }

  private void receive(byte[] message) {
    Hocuspocus.Frame f = Hocuspocus.decode(message);
    if (f.isConnectionLevel()) {
      if (f.type() == Hocuspocus.PING) {
        socket.send(Hocuspocus.pong());
      }
      socket.markConnected();
      return;
    }
    socket.markConnected();
    HocuspocusDocument d = docs.get(f.documentName());
    if (d != null) {
      d.receive(f);
    }
  }

  public ConnectionState state() {
    return socket.state();
  }

  /** Listener for connection state changes (called on a client thread; must not block). */
  public void onStateChange(Consumer<ConnectionState> listener) {
    stateListeners.add(listener);
  }

  /** Drops the socket now and reconnects after the backoff (for tests and network changes). */
  public void reconnect() {
    socket.forceReconnect();
  }

  /** Detaches every document (announcing awareness removal) and closes the socket. */
  @Override
  public void close() {
    for (HocuspocusDocument d : new ArrayList<>(docs.values())) {
      d.close();
    }
    socket.close();
  }
}
