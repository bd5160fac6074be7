package nodenogg.automerge.repo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import nodenogg.automerge.AutomergeDocument;
import nodenogg.automerge.AutomergeNative;
import nodenogg.automerge.MicrocosmTransport;
import nodenogg.automerge.internal.Cbor;
import nodenogg.automerge.internal.Chunks;
import nodenogg.automerge.internal.SyncMessages;
import nodenogg.microcosm.Subscription;
import org.automerge.ChangeHash;
import org.automerge.SyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java automerge-repo peer that syncs documents with one automerge-repo sync server over
 * WebSocket — our {@code ./microcosm serve} ({@code ws://host:8787/automerge}) or the JS reference
 * {@code @automerge/automerge-repo-sync-server} — speaking the protocol of
 * {@code @automerge/automerge-repo-network-websocket} 2.5.6 ({@link RepoMessage}).
 *
 * <pre>{@code
 * try (RepoClient client = RepoClient.connect(URI.create("ws://localhost:8787/automerge"))) {
 *   RepoClient.Handle doc = client.create();                // a new document, sent to the server
 *   doc.document().change("me", tx -> tx.set(ObjectId.ROOT, "title", "hello"));
 *   doc.acknowledged().get(10, TimeUnit.SECONDS);           // the server holds our heads
 *   RepoClient.Handle other = client.find(url).get(10, TimeUnit.SECONDS); // or DocumentUnavailableException
 * }
 * }</pre>
 *
 * An {@code AutomergeMicrocosm} uses it as its {@link MicrocosmTransport}: {@code
 * AutomergeOptions.defaults().transport(client)}.
 *
 * <p>Behaviour: it joins with a random peer id (protocol "1"), shares every document it holds with
 * the server (request when it has nothing, sync otherwise), answers every sync message, sends a
 * sync message after each local change, and reconnects with backoff (1 s doubling to 10 s),
 * starting every document's sync afresh. Ephemeral messages are CBOR values as automerge-repo's
 * {@code handle.broadcast} sends them. Thread-safe: all protocol state lives on one thread ({@code
 * automerge-repo-client}); listeners run on it and must not block.
 */
public final class RepoClient implements MicrocosmTransport, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RepoClient.class);

  /** The server answered {@code doc-unavailable}: neither it nor its peers have the document. */
  public static final class DocumentUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DocumentUnavailableException(String id) {
      super("document " + id + " is unavailable: the server does not have it");
    }
  }

  private final URI url;
  private final String peerId;
  private final String sessionId;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService loop;
  private final Map<String, Handle> handles = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> firstJoin = new CompletableFuture<>();
  private long ephemeralCount;
  private WebSocket socket;
  private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
  private String serverPeerId;
  private String serverStorageId;
  private long backoffMillis = 1000;
  private volatile boolean closed;

  private RepoClient(URI url) {
    AutomergeNative.require();
    this.url = Objects.requireNonNull(url, "url");
    byte[] b = new byte[6];
    new SecureRandom().nextBytes(b);
    this.peerId = "java-" + HexFormat.of().formatHex(b);
    this.sessionId = HexFormat.of().formatHex(b) + Long.toHexString(System.nanoTime());
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "automerge-repo-client");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts connecting to {@code url} (e.g. {@code ws://localhost:8787/automerge?token=T}); see
   * {@link #ready()}.
   */
  public static RepoClient connect(URI url) {
    RepoClient c = new RepoClient(url);
    c.loop.execute(c::open);
    return c;
  }

  /** Completes when the server first answered {@code join} with {@code peer}. */
  public CompletableFuture<Void> ready() {
    return firstJoin;
  }

  /** Our peer id. */
  public String peerId() {
    return peerId;
  }

  /** The server's storage id (null before the first join). */
  public String serverStorageId() {
    return serverStorageId;
  }

  // ---- documents
  // ---------------------------------------------------------------------------------------------------

  /** A new document with a random id, shared with the server. */
  public Handle create() {
    Handle h = attach(DocumentIds.random(), AutomergeDocument.create(), true, false);
    h.found.complete(h);
    return h;
  }

  /**
   * The document at {@code urlOrId} ({@code automerge:…} or a bare id): completes once the server
   * has sent its content, or exceptionally with {@link DocumentUnavailableException}.
   */
  public CompletableFuture<Handle> find(String urlOrId) {
    String id = DocumentIds.parse(urlOrId);
    Handle existing = handles.get(id);
    if (existing != null) {
      return existing.found;
    }
    return attach(id, AutomergeDocument.create(), true, true).found;
  }

  /**
   * Shares an existing document under {@code documentId} (what an {@code AutomergeMicrocosm} does).
   */
  @Override
  public Share share(String documentId, AutomergeDocument document, Listener listener) {
    Handle h = attach(DocumentIds.parse(documentId), document, false, true);
    h.listener = listener;
    loop.execute(
        () -> {
          if (serverPeerId != null) {
            listener.connectionChanged(true);
          }
        });
    return new Share() {
      @Override
      public void broadcast(Object message) {
        h.broadcast(message);
      }

      @Override
      public void close() {
        h.close();
      }
    };
  }

  /**
   * @param requesting whether to ask the server for the document while we hold nothing of it
   */
  private Handle attach(String id, AutomergeDocument doc, boolean owned, boolean requesting) {
    Handle h = new Handle(id, doc, owned);
    h.requesting = requesting;
    if (handles.putIfAbsent(id, h) != null) {
      if (owned) {
        doc.close();
      }
      throw new IllegalStateException("document " + id + " is already shared by this client");
    }
    h.subscription =
        doc.onChange(
            c -> {
              if (c.origin() != h) {
                loop.execute(() -> sendSync(h));
              }
            });
    loop.execute(() -> sendSync(h));
    return h;
  }

  /** One document shared through this client. */
  public final class Handle {
    private final String id;
    private final AutomergeDocument doc;
    private final boolean owned;
    private SyncState state = new SyncState();
    private List<String> serverHeads = List.of();
    private final CompletableFuture<Handle> found = new CompletableFuture<>();
    private final List<BiConsumer<String, Object>> ephemeralListeners =
        new CopyOnWriteArrayList<>();
    private Subscription subscription;
    private Listener listener;
    private boolean unavailable;
    private boolean requesting;

    Handle(String id, AutomergeDocument doc, boolean owned) {
      this.id = id;
      this.doc = doc;
      this.owned = owned;
    }

    public String documentId() {
      return id;
    }

    public String url() {
      return DocumentIds.URL_PREFIX + id;
    }

    /** The document (change it with {@code document().change(...)}; changes are sent at once). */
    public AutomergeDocument document() {
      return doc;
    }

    /** The heads the server last said it holds (lower-case hex, sorted). */
    public List<String> serverHeads() {
      return CompletableFuture.supplyAsync(() -> serverHeads, loop).join();
    }

    /** Completes once the server holds at least every change this document has now. */
    public CompletableFuture<Void> acknowledged() {
      List<String> want = hex(doc.heads());
      CompletableFuture<Void> f = new CompletableFuture<>();
      loop.execute(
          () -> {
            if (covers(want)) {
              f.complete(null);
            } else {
              pendingAcks.put(f, want);
            }
          });
      return f;
    }

    /** Acknowledgements waited for, with the heads each needs. */
    private final Map<CompletableFuture<Void>, List<String>> pendingAcks =
        new java.util.HashMap<>();

    /**
     * The server holds {@code want}: it names them, or it holds exactly what we hold now (which
     * includes them).
     */
    private boolean covers(List<String> want) {
      return want.isEmpty()
          || serverHeads.containsAll(want)
          || serverHeads.equals(hex(doc.heads()));
    }

    /**
     * Sends an ephemeral message (a CBOR value: maps, lists, strings, numbers, booleans, bytes).
     */
    public void broadcast(Object message) {
      byte[] data = Cbor.encode(message);
      loop.execute(
          () -> {
            if (serverPeerId != null) {
              send(
                  new RepoMessage.Ephemeral(
                      peerId, serverPeerId, id, sessionId, ++ephemeralCount, data));
            }
          });
    }

    /** Hears ephemeral messages for this document: (sender peer id, decoded CBOR value). */
    public Subscription onEphemeral(BiConsumer<String, Object> l) {
      ephemeralListeners.add(l);
      return () -> ephemeralListeners.remove(l);
    }

    /** Stops sharing the document (and frees it if this client made it). */
    public void close() {
      handles.remove(id, this);
      if (subscription != null) {
        subscription.close();
      }
      loop.execute(
          () -> {
            state.free();
            if (owned) {
              doc.close();
            }
          });
    }
  }

  // ---- protocol (on the loop thread)
  // ------------------------------------------------------------------------------

  private void open() {
    if (closed) {
      return;
    }
    http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(url, new Receiver())
        .whenComplete(
            (ws, err) ->
                loop.execute(
                    () -> {
                      if (err != null) {
                        LOG.debug(
                            "automerge-repo: could not connect to {}: {}", url, err.toString());
                        retry();
                        return;
                      }
                      socket = ws;
                      sendChain = CompletableFuture.completedFuture(null);
                      send(
                          new RepoMessage.Join(
                              peerId,
                              new RepoMessage.PeerMetadata(null, true),
                              List.of(RepoMessage.PROTOCOL_V1)));
                    }));
  }

  private void retry() {
    if (closed) {
      return;
    }
    long delay = backoffMillis;
    backoffMillis = Math.min(10_000, backoffMillis * 2);
    loop.schedule(this::open, delay, TimeUnit.MILLISECONDS);
  }

  private void disconnected() {
    if (socket == null) {
      return;
    }
    socket = null;
    serverPeerId = null;
    for (Handle h : handles.values()) {
      h.state.free();
      h.state = new SyncState(); // a new connection starts every sync afresh
      if (h.listener != null) {
        h.listener.connectionChanged(false);
      }
    }
    retry();
  }

  private void send(RepoMessage m) {
    WebSocket ws = socket;
    if (ws == null) {
      return;
    }
    byte[] bytes = RepoMessages.encode(m);
    sendChain =
        sendChain
            .thenCompose(x -> ws.sendBinary(ByteBuffer.wrap(bytes), true))
            .exceptionally(
                e -> {
                  LOG.debug("automerge-repo: send failed: {}", e.toString());
                  return null;
                });
  }

  private void sendSync(Handle h) {
    if (serverPeerId == null || !handles.containsKey(h.id)) {
      return;
    }
    boolean empty;
    try {
      empty = h.doc.heads().length == 0;
    } catch (IllegalStateException e) {
      return; // document closed
    }
    if (empty && (!h.requesting || h.unavailable)) {
      return; // nothing to share yet, and not asking for it (or told it is unavailable)
    }
    java.util.Optional<byte[]> msg = h.doc.generateSyncMessage(h.state);
    if (msg.isEmpty()) {
      return;
    }
    send(
        empty
            ? new RepoMessage.Request(peerId, serverPeerId, h.id, msg.get())
            : new RepoMessage.Sync(peerId, serverPeerId, h.id, msg.get()));
  }

  private void receive(byte[] frame) {
    RepoMessage m;
    try {
      m = RepoMessages.decode(frame);
    } catch (RepoMessages.ProtocolException e) {
      LOG.warn("automerge-repo: ignoring a frame from {}: {}", url, e.getMessage());
      return;
    }
    if (m instanceof RepoMessage.Peer p) {
      serverPeerId = p.senderId();
      serverStorageId = p.peerMetadata() == null ? null : p.peerMetadata().storageId();
      backoffMillis = 1000;
      firstJoin.complete(null);
      for (Handle h : handles.values()) {
        if (h.listener != null) {
          h.listener.connectionChanged(true);
        }
        sendSync(h);
      }
    } else if (m instanceof RepoMessage.Sync s) {
      onSync(s.documentId(), s.data());
    } else if (m instanceof RepoMessage.Request r) {
      onSync(r.documentId(), r.data());
    } else if (m instanceof RepoMessage.DocUnavailable u) {
      Handle h = handles.get(u.documentId());
      if (h != null && h.doc.heads().length == 0) {
        h.unavailable = true;
        h.found.completeExceptionally(new DocumentUnavailableException(u.documentId()));
      }
    } else if (m instanceof RepoMessage.Ephemeral e) {
      Handle h = handles.get(e.documentId());
      if (h != null) {
        Object value;
        try {
          value = Cbor.decode(e.data());
        } catch (Cbor.CborException ex) {
          return;
        }
        for (BiConsumer<String, Object> l : h.ephemeralListeners) {
          l.accept(e.senderId(), value);
        }
        if (h.listener != null) {
          h.listener.ephemeral(e.senderId(), value);
        }
      }
    } else if (m instanceof RepoMessage.Error e) {
      LOG.warn("automerge-repo server {} reported an error: {}", url, e.message());
    }
  }

  private void onSync(String id, byte[] data) {
    Handle h = handles.get(id);
    if (h == null) {
      return; // not a document we share (a sharing server may announce others): ignore
    }
    try {
      h.doc.receiveSyncMessage(h.state, data, h);
      List<String> heads = new ArrayList<>();
      for (byte[] x : SyncMessages.heads(data)) {
        heads.add(Chunks.hex(x));
      }
      heads.sort(null);
      h.serverHeads = heads;
      if (!heads.isEmpty()) {
        h.unavailable =
            false; // it was unavailable when we asked, and has appeared since: ask for it again
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      LOG.warn(
          "automerge-repo: refused a sync message for {} from {}: {}", id, url, e.getMessage());
      return;
    }
    if (h.doc.heads().length > 0 && !h.found.isDone()) {
      h.found.complete(h);
    }
    h.pendingAcks
        .entrySet()
        .removeIf(
            e -> {
              if (h.covers(e.getValue())) {
                e.getKey().complete(null);
                return true;
              }
              return false;
            });
    sendSync(h);
  }

  private static List<String> hex(ChangeHash[] heads) {
    List<String> out = new ArrayList<>(heads.length);
    for (ChangeHash h : heads) {
      out.add(Chunks.hex(h.getBytes()));
    }
    out.sort(null);
    return out;
  }

  /** WebSocket callbacks: reassemble binary messages, hand them to the loop. */
  private final class Receiver implements WebSocket.Listener {
    private java.io.ByteArrayOutputStream parts = new java.io.ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      parts.write(b, 0, b.length);
      if (last) {
        byte[] frame = parts.toByteArray();
        parts = new java.io.ByteArrayOutputStream();
        loop.execute(() -> receive(frame));
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      loop.execute(RepoClient.this::disconnected);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      loop.execute(RepoClient.this::disconnected);
    }
  }

  /** Closes the connection and frees the documents this client made. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      loop.submit(
              () -> {
                WebSocket ws = socket;
                socket = null;
                if (ws != null) {
                  ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
                }
                for (Handle h : new ArrayList<>(handles.values())) {
                  h.close();
                }
              })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("automerge-repo client close: {}", e.toString());
    }
    loop.shutdown();
  }
}
