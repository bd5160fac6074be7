package nodenogg.sync.server.automerge;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import nodenogg.automerge.AutomergeDocument;
import nodenogg.automerge.AutomergeNative;
import nodenogg.automerge.internal.Chunks;
import nodenogg.automerge.internal.SyncMessages;
import nodenogg.automerge.repo.DocumentIds;
import nodenogg.automerge.repo.RepoMessage;
import nodenogg.automerge.repo.RepoMessages;
import nodenogg.automerge.store.AutomergeFormat;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.postgres.PostgresUpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.sync.server.AuthRequest;
import nodenogg.sync.server.AuthResult;
import nodenogg.sync.server.SyncServerHooks;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.SocketHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * automerge-repo's sync server protocol on a WebSocket path ({@code /automerge} on {@code
 * ./microcosm serve}): a real automerge-repo 2.5.6 client ({@code new
 * WebSocketClientAdapter("ws://host:8787/automerge")}) joins, asks for documents and syncs them;
 * the server is a sharing peer that holds and stores every document it is sent and syncs it with
 * every peer that has it open.
 *
 * <h2>Protocol</h2>
 *
 * One CBOR map per binary frame ({@link RepoMessages}). The first message must be {@code join}
 * (protocol "1"; answered with {@code peer} carrying the server's peer id and storage id), then:
 * {@code request}/{@code sync} are Automerge sync messages for a document ({@code doc-unavailable}
 * when the server has nothing for a {@code request}), {@code ephemeral} messages are relayed to the
 * document's other peers (never stored), {@code remote-subscription-change} subscribes to a storage
 * id's heads and {@code remote-heads-changed} are forwarded to subscribers. A frame that is not
 * such a message, any message before {@code join}, a sender id other than the joined one, an
 * unknown type, a corrupt change: an {@code error} message and that connection closed (1008, or
 * 1007 for undecodable data); the document and the other peers are untouched.
 *
 * <h2>Durability</h2>
 *
 * Each change a peer sends is applied, then appended to the store; sync messages to that peer wait
 * until every change it sent is durable, so the heads the server announces to a peer never include
 * a change of that peer the store does not hold yet ("nothing acknowledged that was not stored").
 * Other peers get the change at once. Logs are compacted into one saved document in the background
 * every {@link Options#compactEvery} appends.
 *
 * <h2>Access</h2>
 *
 * automerge-repo has no place for credentials in its messages (the {@code join} metadata is the
 * repo's own), so tokens travel in the URL: {@code ws://host/automerge?token=T}. Each document a
 * peer opens is checked with {@link SyncServerHooks#authenticate} ({@link
 * AuthRequest.Protocol#AUTOMERGE_REPO}, the document id as name, the URL token): denied gives
 * {@code doc-unavailable} (what automerge-repo answers for a document it may not share); read-only
 * peers receive every change but a sync message carrying a change from them is refused with an
 * {@code error} and the connection closed.
 *
 * <p>Thread-safe. Each document's work runs on its own serial executor on the shared pool;
 * callbacks never block the I/O loop on a document.
 */
public final class AutomergeRepoHandler implements SocketHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutomergeRepoHandler.class);

  /** The path {@code SyncServer} mounts it on. */
  public static final String PATH = "/automerge";

  /** Limits and names; {@link #defaults()} for a server. */
  public record Options(
      String peerId,
      String storageId,
      int maxDocumentsPerPeer,
      int maxEphemeralBytes,
      Duration joinDeadline,
      int compactEvery,
      Duration unloadAfter) {

    public Options {
      Objects.requireNonNull(peerId, "peerId");
      Objects.requireNonNull(storageId, "storageId");
    }

    /**
     * A random peer id, a random storage id (give a persistent one with {@link #withStorageId}).
     */
    public static Options defaults() {
      byte[] b = new byte[6];
      new SecureRandom().nextBytes(b);
      return new Options(
          "nodenogg-sync-" + HexFormat.of().formatHex(b),
          UUID.randomUUID().toString(),
          10_000,
          256 * 1024,
          Duration.ofSeconds(10),
          1000,
          Duration.ofSeconds(30));
    }

    /** The storage id the server announces (keep it the same across restarts on the same data). */
    public Options withStorageId(String id) {
      return new Options(
          peerId,
          id,
          maxDocumentsPerPeer,
          maxEphemeralBytes,
          joinDeadline,
          compactEvery,
          unloadAfter);
    }
  }

  private final UpdateStore store;
  private final SyncServerHooks hooks;
  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final Options options;
  private final Map<String, ServedDocument> documents = new ConcurrentHashMap<>();
  private final Map<String, Session> peers = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param store where documents are kept: a store of {@link AutomergeFormat} updates; see {@link
   *     #storeFor}
   */
  public AutomergeRepoHandler(
      UpdateStore store,
      SyncServerHooks hooks,
      ExecutorService pool,
      ScheduledExecutorService timers,
      Options options) {
    AutomergeNative.require();
    if (!AutomergeFormat.NAME.equals(store.format().name())) {
      throw new IllegalArgumentException(
          "the automerge-repo service needs a store of "
              + AutomergeFormat.NAME
              + " updates, not "
              + store.format().name()
              + " (see storeFor)");
    }
    this.store = store;
    this.hooks = hooks;
    this.pool = pool;
    this.timers = timers;
    this.options = options;
  }

  /**
   * The Automerge store beside a server's store: the same SQLite file or PostgreSQL database (a
   * second format of it, same writer, group commits and durability), or a new in-memory store for
   * any other store.
   */
  public static UpdateStore storeFor(UpdateStore serverStore) {
    if (AutomergeFormat.NAME.equals(serverStore.format().name())) {
      return serverStore;
    }
    if (serverStore instanceof SqliteUpdateStore sqlite) {
      return sqlite.withFormat(AutomergeFormat.INSTANCE);
    }
    if (serverStore instanceof PostgresUpdateStore postgres) {
      return postgres.withFormat(AutomergeFormat.INSTANCE);
    }
    return new InMemoryUpdateStore(AutomergeFormat.INSTANCE);
  }

  /** The peer id the server answers {@code join} with. */
  public String peerId() {
    return options.peerId();
  }

  /** The storage id the server announces. */
  public String storageId() {
    return options.storageId();
  }

  /** Joined peers now connected. */
  public int peerCount() {
    return peers.size();
  }

  /** Documents in memory. */
  public int loadedDocuments() {
    return (int) documents.values().stream().filter(ServedDocument::loaded).count();
  }

  /** Connections closed for bad input since start. */
  public long refusedCount() {
    return refused.get();
  }

  /** The store the documents are kept in. */
  public UpdateStore store() {
    return store;
  }

  // ---- connection callbacks (I/O thread)
  // -------------------------------------------------------------------------

  @Override
  public void onOpen(Connection connection) {
    Session s = new Session(connection, token(connection.query()));
    connection.attach(s);
    if (closed) {
      connection.close(1001, "server shutting down");
      return;
    }
    timers.schedule(
        () -> {
          if (!s.joined() && connection.isOpen()) {
            refuse(s, "no join message within " + options.joinDeadline().toSeconds() + " s", 1008);
          }
        },
        options.joinDeadline().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void onText(Connection connection, String message) {
    refuse(
        (Session) connection.attachment(),
        "automerge-repo messages are binary CBOR, not text",
        1003);
  }

  @Override
  public void onBinary(Connection connection, ByteBuffer message) {
    Session s = (Session) connection.attachment();
    if (s == null || s.closed) {
      return;
    }
    byte[] frame = new byte[message.remaining()];
    message.get(frame);
    RepoMessage m;
    try {
      m = RepoMessages.decode(frame);
    } catch (RepoMessages.ProtocolException e) {
      refuse(s, e.getMessage(), 1007);
      return;
    }
    if (!s.joined()) {
      if (m instanceof RepoMessage.Join j) {
        join(s, j);
      } else {
        refuse(s, "the first message must be join, got " + m.type(), 1008);
      }
      return;
    }
    if (!m.senderId().equals(s.peerId) && !(m instanceof RepoMessage.Ephemeral)) {
      // (ephemeral messages are gossiped: a peer passes on others' messages with their sender id)
      refuse(
          s, "senderId " + m.senderId() + " is not the peer that joined on this connection", 1008);
      return;
    }
    if (m instanceof RepoMessage.Request r) {
      onDocument(s, r.documentId(), d -> sync(s, d, r.data(), true));
    } else if (m instanceof RepoMessage.Sync y) {
      onDocument(s, y.documentId(), d -> sync(s, d, y.data(), false));
    } else if (m instanceof RepoMessage.Ephemeral e) {
      ephemeral(s, e);
    } else if (m instanceof RepoMessage.DocUnavailable u) {
      LOG.debug("{} does not have document {}", s, u.documentId());
    } else if (m instanceof RepoMessage.RemoteSubscriptionChange c) {
      s.subscriptions.removeAll(c.remove());
      s.subscriptions.addAll(c.add());
      if (s.subscriptions.size() > 1000) {
        refuse(s, "subscribed to more than 1000 storage ids", 1008);
      }
    } else if (m instanceof RepoMessage.RemoteHeadsChanged h) {
      forwardRemoteHeads(s, h);
    } else if (m instanceof RepoMessage.Error e) {
      LOG.info("{} reported an error: {}", s, e.message());
      connection.close(1000, "peer reported an error");
    } else {
      refuse(s, "a client may not send " + m.type(), 1008);
    }
  }

  @Override
  public void onClose(Connection connection, int code, String reason, boolean remote) {
    Session s = (Session) connection.attachment();
    if (s == null) {
      return;
    }
    s.closed = true;
    if (s.peerId != null) {
      peers.remove(s.peerId, s);
    }
    for (String id : s.documents) {
      ServedDocument d = documents.get(id);
      if (d != null) {
        d.executor.execute(() -> leave(d, s));
      }
    }
  }

  private static String token(String query) {
    for (String part : query.split("&")) {
      if (part.startsWith("token=")) {
        return java.net.URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private void join(Session s, RepoMessage.Join j) {
    List<String> versions = j.supportedProtocolVersions();
    if (!versions.isEmpty() && !versions.contains(RepoMessage.PROTOCOL_V1)) {
      refuse(s, "unsupported protocol version", 1008);
      return;
    }
    if (j.senderId().isEmpty() || j.senderId().length() > 256) {
      refuse(s, "a peer id must be 1 to 256 characters", 1008);
      return;
    }
    s.peerId = j.senderId();
    s.metadata = j.peerMetadata();
    Session old = peers.put(j.senderId(), s);
    if (old != null && old != s) {
      old.connection.close(
          1000, "the same peer joined on another connection"); // as automerge-repo's server does
    }
    send(
        s,
        new RepoMessage.Peer(
            options.peerId(),
            new RepoMessage.PeerMetadata(options.storageId(), false),
            RepoMessage.PROTOCOL_V1,
            j.senderId()));
  }

  // ---- documents (each on its own serial executor)
  // ------------------------------------------------------------

  private interface DocWork {
    void run(ServedDocument d) throws Exception;
  }

  private void onDocument(Session s, String documentId, DocWork work) {
    ServedDocument d =
        documents.computeIfAbsent(documentId, id -> new ServedDocument(id, store, pool));
    d.executor.execute(
        () -> {
          if (s.closed) {
            return;
          }
          try {
            work.run(d);
          } catch (StoreException e) {
            LOG.error("automerge-repo document {}: the store failed: {}", d.id, e.getMessage());
            send(
                s,
                new RepoMessage.Error(
                    options.peerId(),
                    "the server could not read or store document " + d.id + ": " + e.getMessage(),
                    s.peerId));
            s.connection.close(1013, "storage failed; reconnect later");
          } catch (Exception e) {
            LOG.error("automerge-repo document {}: unexpected failure for {}", d.id, s, e);
            s.connection.close(1011, "internal error");
          }
        });
  }

  /**
   * Whether the peer may open the document, and read-only; null when denied. Cached per connection.
   */
  private Boolean access(Session s, String documentId) {
    Boolean known = s.access.get(documentId);
    if (known != null) {
      return known;
    }
    AuthResult r;
    try {
      r =
          hooks.authenticate(
              new AuthRequest(
                  documentId,
                  s.token,
                  s.connection.headers(),
                  s.connection.query(),
                  s.connection.remoteAddress(),
                  AuthRequest.Protocol.AUTOMERGE_REPO));
    } catch (RuntimeException e) {
      LOG.warn(
          "authenticate hook failed for automerge-repo document {}: {}", documentId, e.toString());
      r = AuthResult.denied("permission-denied");
    }
    if (!r.allowed()) {
      return null;
    }
    s.access.put(documentId, r.readOnly());
    return r.readOnly();
  }

  private void sync(Session s, ServedDocument d, byte[] data, boolean request) {
    Boolean readOnly = access(s, d.id);
    if (readOnly == null) {
      send(s, new RepoMessage.DocUnavailable(options.peerId(), s.peerId, d.id));
      return;
    }
    List<byte[]> changes;
    List<byte[]> heads;
    try {
      changes = SyncMessages.changes(data);
      heads = SyncMessages.heads(data);
    } catch (IllegalArgumentException e) {
      refuse(s, "document " + d.id + ": " + e.getMessage(), 1007);
      return;
    }
    if (readOnly && !changes.isEmpty()) {
      refuse(
          s,
          "this connection is read-only for document " + d.id + " (its token allows reading only)",
          1008);
      return;
    }
    ServedDocument.PeerState p = d.peers.get(s);
    if (p == null) {
      if (s.documents.size() >= options.maxDocumentsPerPeer()) {
        refuse(
            s,
            "more than " + options.maxDocumentsPerPeer() + " documents open on one connection",
            1008);
        return;
      }
      AutomergeDocument doc = d.doc();
      if (request && changes.isEmpty() && doc.heads().length == 0) {
        // nothing here and nothing sent: unavailable, but keep the peer so it gets the document if
        // it appears
        // (its request goes into the sync state, so the first message after that carries the
        // changes it lacks)
        ServedDocument.PeerState waiting = new ServedDocument.PeerState(s);
        try {
          doc.receiveSyncMessage(waiting.sync, data, s);
        } catch (IllegalArgumentException e) {
          waiting.sync.free();
          refuse(s, "document " + d.id + ": " + e.getMessage(), 1007);
          return;
        }
        d.peers.put(s, waiting);
        s.documents.add(d.id);
        d.unloadScheduled = false;
        send(s, new RepoMessage.DocUnavailable(options.peerId(), s.peerId, d.id));
        return;
      }
      p = new ServedDocument.PeerState(s);
      d.peers.put(s, p);
      s.documents.add(d.id);
      d.unloadScheduled = false;
      hooks.onConnect(d.id, s.connection.remoteAddress(), readOnly);
    }
    ServedDocument.PeerState peer = p;
    Optional<AutomergeDocument.Change> change;
    try {
      change = d.doc().receiveSyncMessage(peer.sync, data, s);
    } catch (IllegalArgumentException e) {
      refuse(s, "document " + d.id + ": " + e.getMessage(), 1007);
      return;
    }
    remoteHeads(s, d, peer, heads);
    if (change.isPresent()) {
      byte[] bytes = change.get().bytes();
      hooks.onChange(d.id, bytes);
      peer.pendingAppends++;
      CompletableFuture<Long> stored = d.append(bytes);
      stored.whenComplete(
          (seq, err) ->
              d.executor.execute(
                  () -> {
                    peer.pendingAppends--;
                    if (err == null) {
                      hooks.onStore(d.id, bytes);
                    }
                    if (peer.pendingAppends == 0 && peer.owed) {
                      sendSync(d, peer);
                    }
                  }));
      if (d.compactionDue(options.compactEvery())) {
        pool.execute(() -> compact(d.id));
      }
      for (ServedDocument.PeerState other : d.peers.values()) {
        if (other != peer) {
          sendSync(d, other);
        }
      }
    }
    sendSync(d, peer);
  }

  /**
   * Sends the next sync message to a peer, unless a change it sent is not durable yet (then owed).
   */
  private void sendSync(ServedDocument d, ServedDocument.PeerState p) {
    if (p.session.closed) {
      return;
    }
    if (p.pendingAppends > 0) {
      p.owed = true;
      return;
    }
    p.owed = false;
    Optional<byte[]> msg = d.syncMessageFor(p);
    msg.ifPresent(
        bytes ->
            send(p.session, new RepoMessage.Sync(options.peerId(), p.session.peerId, d.id, bytes)));
  }

  /**
   * A peer's heads of a document changed: tell the peers subscribed to its storage id that have it
   * open.
   */
  private void remoteHeads(
      Session s, ServedDocument d, ServedDocument.PeerState p, List<byte[]> heads) {
    String storageId = s.metadata.storageId();
    if (storageId == null || heads.isEmpty()) {
      return;
    }
    List<String> hex = new ArrayList<>(heads.size());
    for (byte[] h : heads) {
      hex.add(Chunks.hex(h));
    }
    if (hex.equals(p.lastHeads)) {
      return;
    }
    p.lastHeads = hex;
    List<String> encoded = new ArrayList<>(heads.size());
    for (byte[] h : heads) {
      encoded.add(DocumentIds.encode(h));
    }
    RepoMessage.Heads value = new RepoMessage.Heads(encoded, System.currentTimeMillis());
    for (ServedDocument.PeerState other : d.peers.values()) {
      if (other.session != s && other.session.subscriptions.contains(storageId)) {
        send(
            other.session,
            new RepoMessage.RemoteHeadsChanged(
                options.peerId(), other.session.peerId, d.id, Map.of(storageId, value)));
      }
    }
  }

  private void forwardRemoteHeads(Session s, RepoMessage.RemoteHeadsChanged h) {
    ServedDocument d = documents.get(h.documentId());
    if (d == null || !s.documents.contains(h.documentId())) {
      return;
    }
    d.executor.execute(
        () -> {
          for (ServedDocument.PeerState other : d.peers.values()) {
            if (other.session == s) {
              continue;
            }
            for (Map.Entry<String, RepoMessage.Heads> e : h.newHeads().entrySet()) {
              if (other.session.subscriptions.contains(e.getKey())) {
                send(
                    other.session,
                    new RepoMessage.RemoteHeadsChanged(
                        options.peerId(),
                        other.session.peerId,
                        d.id,
                        Map.of(e.getKey(), e.getValue())));
              }
            }
          }
        });
  }

  private void ephemeral(Session s, RepoMessage.Ephemeral e) {
    if (e.data().length > options.maxEphemeralBytes()) {
      refuse(
          s,
          "an ephemeral message of "
              + e.data().length
              + " bytes (at most "
              + options.maxEphemeralBytes()
              + ")",
          1009);
      return;
    }
    ServedDocument d = documents.get(e.documentId());
    if (d == null || !s.documents.contains(e.documentId())) {
      return; // not a document this peer has open: nothing to relay to (automerge-repo would look
      // it up first)
    }
    d.executor.execute(
        () -> {
          String source = e.senderId() + ":" + e.sessionId();
          Long last = d.ephemeralCounts.get(source);
          if (last != null && e.count() <= last) {
            return; // seen already, e.g. gossiped back (automerge-repo drops repeats by sender,
            // session and count)
          }
          if (d.ephemeralCounts.size() > 10_000) {
            d.ephemeralCounts.clear();
          }
          d.ephemeralCounts.put(source, e.count());
          for (ServedDocument.PeerState other : d.peers.values()) {
            if (other.session != s && !other.session.peerId.equals(e.senderId())) {
              send(
                  other.session,
                  new RepoMessage.Ephemeral(
                      e.senderId(),
                      other.session.peerId,
                      d.id,
                      e.sessionId(),
                      e.count(),
                      e.data()));
            }
          }
        });
  }

  private void leave(ServedDocument d, Session s) {
    ServedDocument.PeerState p = d.peers.remove(s);
    if (p != null) {
      p.sync.free();
      hooks.onDisconnect(d.id, s.connection.remoteAddress());
    }
    if (d.peers.isEmpty() && !d.unloadScheduled) {
      d.unloadScheduled = true;
      timers.schedule(
          () ->
              d.executor.execute(
                  () -> {
                    if (d.unloadScheduled && d.peers.isEmpty()) {
                      d.lastWrite()
                          .whenComplete(
                              (x, err) ->
                                  d.executor.execute(
                                      () -> {
                                        if (d.unloadScheduled && d.peers.isEmpty()) {
                                          d.unload();
                                          documents.remove(d.id, d);
                                          hooks.onUnload(d.id);
                                        }
                                      }));
                    }
                  }),
          options.unloadAfter().toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private void compact(String id) {
    try {
      store.compact(id);
    } catch (RuntimeException e) {
      LOG.warn(
          "compacting automerge-repo document {} failed (its log is kept as it is): {}",
          id,
          e.getMessage());
    }
  }

  // ---- sending
  // ---------------------------------------------------------------------------------------------------

  private static void send(Session s, RepoMessage m) {
    if (!s.closed) {
      s.connection.send(RepoMessages.encode(m));
    }
  }

  /** Bad input: an {@code error} message, then that connection closed; nothing else is touched. */
  private void refuse(Session s, String why, int code) {
    if (s == null || s.closed) {
      return;
    }
    refused.incrementAndGet();
    LOG.info(
        "automerge-repo: closing {}: {}",
        s.joined() ? s : "connection from " + s.connection.remoteAddress(),
        why);
    s.connection.send(
        RepoMessages.encode(
            new RepoMessage.Error(options.peerId(), why, s.peerId == null ? "" : s.peerId)));
    s.connection.close(code, why);
  }

  /**
   * Stops: closes every connection, waits until every change received is durable, frees the
   * documents.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Session s : peers.values()) {
      s.connection.close(1001, "server shutting down");
    }
    List<CompletableFuture<?>> waits = new ArrayList<>();
    for (ServedDocument d : documents.values()) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      d.executor.execute(
          () ->
              d.lastWrite()
                  .whenComplete(
                      (x, e) ->
                          d.executor.execute(
                              () -> {
                                d.unload();
                                done.complete(null);
                              })));
      waits.add(done);
    }
    try {
      CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("automerge-repo: not every document was released before shutdown: {}", e.toString());
    }
  }
}
