package nodenogg.webrtc;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import nodenogg.crdt.Doc;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.protocol.SyncDocument;
import nodenogg.webrtc.internal.Room;

/**
 * A y-webrtc 10.3.0-compatible provider: joins a y-webrtc room through one or more signalling
 * servers and syncs a document and its awareness (presence) with every peer over WebRTC data
 * channels — with browsers running y-webrtc and with other JVMs running this class.
 *
 * <pre>{@code
 * Doc doc = new Doc();
 * Awareness awareness = new Awareness(doc.clientId());
 * try (WebrtcProvider p = WebrtcProvider.open("my-room", doc, awareness,
 *     WebrtcOptions.signaling("ws://localhost:8787/signal").withPassword("secret"))) {
 *   p.firstSync().join(); // the document now holds what the first peer had
 * }
 * }</pre>
 *
 * For a microcosm use {@link WebrtcTransport}.
 *
 * <p>What happens (as y-webrtc): the provider subscribes to the room's topic on every signalling
 * server and announces itself; peers that see the announce offer a connection (simple-peer's
 * offer/answer/ICE candidate messages, y-webrtc's {@code token} deciding which of two simultaneous
 * offers wins). On each open data channel both sides send sync step 1 and their awareness; every
 * later document or awareness update goes to every connected peer. Signalling servers that go away
 * are reconnected; connections that fail are dropped and the room announced again. With a password,
 * signalling messages are AES-GCM encrypted with y-webrtc's key; a peer with another password is
 * never connected (one log line says so).
 *
 * <p>Needs the native WebRTC library ({@link WebrtcNative}); {@link #open} throws {@link
 * WebrtcUnavailableException} where there is none. Native resources are released by {@link
 * #close()}.
 *
 * <p>Thread-safety: all methods may be called from any thread. The room runs on its own thread; the
 * listeners run there and must not block.
 */
public final class WebrtcProvider implements AutoCloseable {
  private final Room room;
  private final WebrtcOptions options;
  private final CopyOnWriteArrayList<Consumer<PeersChange>> peerListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<Boolean>> syncedListeners =
      new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<Integer>> connectionListeners =
      new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> firstSync = new CompletableFuture<>();
  private final CompletableFuture<String> firstConnection = new CompletableFuture<>();
  private volatile boolean synced;
  private volatile int openConnections;
  private volatile boolean closed;

  private WebrtcProvider(
      String roomName, SyncDocument doc, Awareness awareness, WebrtcOptions options) {
    this.options = options;
    this.room =
        new Room(
            roomName,
            doc,
            awareness,
            options.signaling,
            options.password,
            options.maxConns,
            options.iceServers,
            options.connectTimeoutMillis,
            new Room.Listener() {
              @Override
              public void peers(
                  List<String> added,
                  List<String> removed,
                  List<String> webrtcPeers,
                  List<String> bcPeers) {
                PeersChange c = new PeersChange(added, removed, webrtcPeers, bcPeers);
                peerListeners.forEach(l -> l.accept(c));
              }

              @Override
              public void synced(boolean now) {
                synced = now;
                syncedListeners.forEach(l -> l.accept(now));
              }

              @Override
              public void connected(String peerId) {
                firstConnection.complete(peerId);
              }

              @Override
              public void syncedWith(String peerId) {
                firstSync.complete(peerId);
              }

              @Override
              public void openConnections(int count) {
                openConnections = count;
                connectionListeners.forEach(l -> l.accept(count));
              }
            });
  }

  /**
   * Joins {@code roomName} with {@code doc} and {@code awareness} and returns once the signalling
   * sockets are being opened (connections to peers follow in the background).
   *
   * @throws WebrtcUnavailableException when the native WebRTC library cannot run in this JVM
   */
  public static WebrtcProvider open(
      String roomName, SyncDocument doc, Awareness awareness, WebrtcOptions options) {
    Objects.requireNonNull(roomName, "roomName");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(awareness, "awareness");
    Objects.requireNonNull(options, "options");
    WebrtcProvider p = new WebrtcProvider(roomName, doc, awareness, options);
    p.room.start();
    return p;
  }

  /** {@link #open(String, SyncDocument, Awareness, WebrtcOptions)} for an engine {@link Doc}. */
  public static WebrtcProvider open(
      String roomName, Doc doc, Awareness awareness, WebrtcOptions options) {
    return open(roomName, new DocSync(doc), awareness, options); // DocSync holds nothing to release
  }

  public String roomName() {
    return room.name();
  }

  /** Our id in the room's signalling (a random UUID, new for every provider, as y-webrtc). */
  public String peerId() {
    return room.peerId();
  }

  public WebrtcOptions options() {
    return options;
  }

  /**
   * The transaction origin of updates this provider applies to the document (and of awareness
   * changes it receives), so an update listener can tell remote changes from local ones.
   */
  public Object origin() {
    return room.origin();
  }

  /** y-webrtc's {@code synced}: every current connection has delivered its sync step 2. */
  public boolean isSynced() {
    return synced;
  }

  /** Completes with the peer id of the first peer whose state (sync step 2) was applied. */
  public CompletableFuture<String> firstSync() {
    return firstSync.copy();
  }

  /** Completes with the peer id of the first peer whose data channel opened. */
  public CompletableFuture<String> firstConnection() {
    return firstConnection.copy();
  }

  /** Remote peers with an open data channel now. */
  public List<String> connectedPeers() {
    return room.connectedPeers();
  }

  /** Open data channels now (as last reported by the room thread). */
  public int openConnections() {
    return openConnections;
  }

  /**
   * Signalling messages of this room dropped because they do not open with our password (a peer
   * with another password is in the room; the first one is logged).
   */
  public long undecryptableSignals() {
    return room.undecryptableSignals();
  }

  /** Signalling servers connected now. */
  public int signalingConnected() {
    return room.signalingConnected();
  }

  /** Listens to y-webrtc's {@code peers} events; runs on the room thread. */
  public void onPeers(Consumer<PeersChange> listener) {
    peerListeners.add(Objects.requireNonNull(listener));
  }

  /** Listens to y-webrtc's {@code synced} events; runs on the room thread. */
  public void onSynced(Consumer<Boolean> listener) {
    syncedListeners.add(Objects.requireNonNull(listener));
  }

  /** Listens to the number of open data channels; runs on the room thread. */
  public void onOpenConnections(Consumer<Integer> listener) {
    connectionListeners.add(Objects.requireNonNull(listener));
  }

  /**
   * Leaves the room cleanly: unsubscribes, removes our awareness state so peers see us leave at
   * once, closes every connection and socket and releases the native resources. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    room.close();
  }
}
