package nodenogg.earthstar;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nodenogg.earthstar.internal.sync.AttachmentLink;
import nodenogg.earthstar.internal.sync.DeferredLink;
import nodenogg.earthstar.internal.sync.JdkSockets;
import nodenogg.earthstar.internal.sync.Link;
import nodenogg.earthstar.internal.sync.SessionHost;
import nodenogg.earthstar.internal.sync.SyncSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Earthstar peer: a set of shares (replicas in one {@link EarthstarStorage}) that syncs with
 * other peers over the Earthstar v10 protocol, as a client ({@link #sync}) and as a server ({@link
 * #accept}, which any WebSocket server can call). Earthstar has no read access control: a peer that
 * knows a share's address can sync it; this peer only ever syncs the shares it was given.
 *
 * <pre>{@code
 * try (EarthstarStorage storage = EarthstarStorage.inMemory();
 *      EarthstarPeer peer = new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults())) {
 *   peer.replica(share.shareAddress()).set(author, share.secret(), "/hello", "hi", null, null);
 *   peer.sync("http://localhost:8787/earthstar/", SyncMode.ONCE).done().join();
 * }
 * }</pre>
 *
 * Thread-safe. Closing ends every sync; the storage stays open (its owner closes it).
 */
public final class EarthstarPeer implements AutoCloseable, SessionHost {
  private static final Logger LOG = LoggerFactory.getLogger(EarthstarPeer.class);
  private static final long GRACE_MILLIS = 60_000;

  private final EarthstarStorage storage;
  private final Set<String> shares = ConcurrentHashMap.newKeySet();
  private final SyncLimits limits;
  private final SyncStats stats = new SyncStats();
  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final JdkSockets sockets;
  private final Map<String, SyncSession> sessions = new ConcurrentHashMap<>();
  private final Set<SyncSession> live = ConcurrentHashMap.newKeySet();
  private final AtomicInteger transfers = new AtomicInteger();
  private volatile String fixedSyncerId;
  private volatile boolean closed;

  public EarthstarPeer(
      EarthstarStorage storage, Collection<String> shareAddresses, SyncLimits limits) {
    this.storage = storage;
    this.limits = limits;
    for (String s : shareAddresses) {
      addShare(s);
    }
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemon("earthstar-sync"));
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("earthstar-timer"));
    this.sockets = new JdkSockets(timers, limits.silenceTimeoutMillis());
    timers.scheduleWithFixedDelay(this::prune, 10, 10, TimeUnit.SECONDS);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Adds a share to sync (its replica is created on first use). */
  public void addShare(String shareAddress) {
    String problem = Addresses.checkShare(shareAddress);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    shares.add(shareAddress);
  }

  @Override
  public Collection<String> shares() {
    return new LinkedHashSet<>(shares);
  }

  @Override
  public Replica replica(String share) {
    if (!shares.contains(share)) {
      throw new IllegalArgumentException("this peer does not sync " + share);
    }
    return storage.replica(share);
  }

  @Override
  public java.util.concurrent.Executor pool() {
    return pool;
  }

  @Override
  public ScheduledExecutorService timers() {
    return timers;
  }

  @Override
  public SyncStats stats() {
    return stats;
  }

  @Override
  public SyncLimits limits() {
    return limits;
  }

  /** Uses this syncer id for every later sync (tests: decides which side starts reconciling). */
  public void fixSyncerId(String id) {
    this.fixedSyncerId = id;
  }

  @Override
  public void sessionStarted(SyncSession session) {
    sessions.put(session.syncerId(), session);
    live.add(session);
  }

  @Override
  public void sessionEnded(SyncSession session) {
    live.remove(session);
    // attachment uploads of a finished sync may still arrive for a while
    if (closed) {
      sessions.remove(session.syncerId(), session);
      return;
    }
    try {
      timers.schedule(
          () -> sessions.remove(session.syncerId(), session), GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      sessions.remove(session.syncerId(), session);
    }
  }

  private void prune() {
    for (Replica r : storage.openReplicas()) {
      if (shares.contains(r.share())) {
        try {
          r.pruneExpired();
        } catch (RuntimeException e) {
          LOG.warn("pruning expired documents of {} failed: {}", r.share(), e.getMessage());
        }
      }
    }
  }

  // ---- client
  // ------------------------------------------------------------------------------------

  /**
   * Syncs with the Earthstar server at {@code url} (for example {@code
   * http://host:8787/earthstar/}; the sync socket is {@code <url>/once} or {@code
   * <url>/continuous}, as earthstar's {@code Peer.sync} opens it).
   */
  public SyncHandle sync(String url, SyncMode mode) {
    String base = JdkSockets.base(url);
    AttachmentLink links =
        new AttachmentLink() {
          @Override
          public CompletableFuture<byte[]> download(
              String partner, String share, EsDocument doc, long maxBytes) {
            return sockets.download(
                JdkSockets.transferUri(base, partner, "download", share, doc),
                doc.attachmentSize(),
                maxBytes);
          }

          @Override
          public CompletableFuture<Void> upload(
              String partner, String share, EsDocument doc, byte[] bytes) {
            return sockets.upload(
                JdkSockets.transferUri(base, partner, "upload", share, doc), bytes);
          }
        };
    // The session starts before the socket is open, behind a link that keeps what is sent until the
    // socket
    // arrives: the JDK delivers the server's first messages (its DISCLOSE) as soon as the socket
    // opens, possibly
    // before the opening future hands the socket over. Answers sent in that window (our opening
    // RANGE_MSGs when
    // we start the reconciliation) used to be dropped, and the once sync then waited forever,
    // heartbeats flowing.
    DeferredLink link = new DeferredLink();
    SyncSession session =
        new SyncSession(
            this, link, SyncSession.Role.CLIENT, mode, links, fixedSyncerId, "sync with " + url);
    CompletableFuture<Void> done = new CompletableFuture<>();
    session.start();
    sockets
        .openSync(URI.create(base + mode.path()), session::onText, session::onClosed)
        .whenComplete(
            (socket, t) -> {
              if (t != null) {
                done.completeExceptionally(
                    new IllegalStateException(
                        "cannot connect to "
                            + base
                            + mode.path()
                            + ": "
                            + (t.getCause() != null ? t.getCause().getMessage() : t.getMessage()),
                        t));
                link.abandon();
                session.onClosed();
                return;
              }
              link.attach(socket);
            });
    session
        .finished()
        .whenComplete(
            (v, t2) -> {
              if (t2 != null) {
                done.completeExceptionally(t2);
              } else {
                done.complete(null);
              }
            });
    return new SyncHandle() {
      @Override
      public CompletableFuture<Void> done() {
        return done;
      }

      @Override
      public String syncerId() {
        return session.syncerId();
      }

      @Override
      public long millisWithoutProgress() {
        return session.millisWithoutProgress();
      }

      @Override
      public void cancel() {
        session.cancel("cancelled");
      }
    };
  }

  // ---- server
  // ------------------------------------------------------------------------------------

  /** The server side of one accepted WebSocket, as {@link #accept} returns it. */
  public interface Connection {
    void onText(String text);

    void onBinary(ByteBuffer bytes);

    void onClose();
  }

  /** What {@link #accept} needs of a WebSocket. Implementations are thread-safe and never block. */
  public interface Socket {
    void sendText(String text);

    void sendBinary(byte[] bytes);

    void close(int code, String reason);
  }

  /**
   * Accepts a WebSocket whose path, below the mount point, is {@code path}: {@code /once}, {@code
   * /continuous} (one or more leading slashes; earthstar clients double them) or an attachment
   * socket {@code /<syncerId>/download|upload/<share>/<format>/<author><path>} (the document path
   * is taken raw). Returns null for any other path (the caller refuses it).
   */
  public Connection accept(String path, Socket socket, String remote) {
    if (closed) {
      return null;
    }
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    SyncMode mode = SyncMode.fromPath(p);
    if (mode != null) {
      Link link =
          new Link() {
            @Override
            public void sendText(String text) {
              socket.sendText(text);
            }

            @Override
            public void close(int code, String reason) {
              socket.close(code, reason);
            }
          };
      SyncSession session =
          new SyncSession(
              this,
              link,
              SyncSession.Role.SERVER,
              mode,
              null,
              fixedSyncerId,
              "earthstar " + mode.path() + " sync from " + remote);
      session.start();
      return new Connection() {
        @Override
        public void onText(String text) {
          session.onText(text);
        }

        @Override
        public void onBinary(ByteBuffer bytes) {
          session.onText("\u0000binary"); // not JSON: closes the connection as malformed
        }

        @Override
        public void onClose() {
          session.onClosed();
        }
      };
    }
    return acceptTransfer(p, socket);
  }

  private Connection acceptTransfer(String p, Socket socket) {
    // <syncerId>/<kind>/<share>/<format>/<author><path>
    String[] parts = p.split("/", 5);
    if (parts.length < 5) {
      return null;
    }
    String syncerId = parts[0];
    String kind = parts[1];
    String share = parts[2];
    String format = parts[3];
    String rest = parts[4];
    int slash = rest.indexOf('/');
    if (slash <= 0 || !(kind.equals("download") || kind.equals("upload"))) {
      return null;
    }
    String author = rest.substring(0, slash);
    String docPath = rest.substring(slash);
    SyncSession session = sessions.get(syncerId);
    if (session == null || !EsDocument.FORMAT.equals(format) || !shares.contains(share)) {
      socket.close(1008, "no such sync or share");
      return NOOP;
    }
    Replica replica = storage.replica(share);
    EsDocument doc = replica.get(docPath, author).filter(EsDocument::hasAttachment).orElse(null);
    if (kind.equals("download")) {
      byte[] bytes = doc == null ? null : replica.attachment(doc).orElse(null);
      if (bytes != null) {
        for (int off = 0; off < bytes.length; off += 64 * 1024) {
          socket.sendBinary(
              java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + 64 * 1024)));
        }
        stats.attachmentsSent.incrementAndGet();
        stats.bytesOut.addAndGet(bytes.length);
      }
      socket.close(1000, bytes == null ? "no such attachment" : "done");
      return NOOP;
    }
    if (doc == null || replica.hasAttachment(doc)) {
      socket.close(1000, doc == null ? "no such document" : "already have it");
      if (doc != null) {
        session.uploadFailed(share, doc.attachmentHash());
      }
      return NOOP;
    }
    long size = doc.attachmentSize();
    if (size > limits.maxAttachmentBytes() || !session.tryStartUpload()) {
      stats.closedFor("transfer_limit");
      socket.close(1013, "attachment transfer limit reached for this sync; try again later");
      session.uploadFailed(share, doc.attachmentHash());
      return NOOP;
    }
    if (stats.transferBytesInFlight.addAndGet(size) > limits.maxTransferBytesTotal()) {
      stats.transferBytesInFlight.addAndGet(-size);
      session.endUpload();
      stats.closedFor("transfer_limit");
      socket.close(1013, "server-wide attachment transfer budget reached; try again later");
      session.uploadFailed(share, doc.attachmentHash());
      return NOOP;
    }
    transfers.incrementAndGet();
    return new Connection() {
      private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
      private boolean ended;

      @Override
      public synchronized void onText(String text) {
        fail("text on an attachment socket");
      }

      @Override
      public synchronized void onBinary(ByteBuffer bytes) {
        if (ended) {
          return;
        }
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        stats.bytesIn.addAndGet(b.length);
        buf.write(b, 0, b.length);
        if (buf.size() > size) {
          stats.rejected(Rejection.ATTACHMENT_MISMATCH);
          fail("more bytes than the document's attachmentSize");
        } else if (buf.size() == size) {
          finish();
          socket.close(1000, "received");
        }
      }

      @Override
      public synchronized void onClose() {
        if (!ended) {
          finish();
        }
      }

      private void finish() {
        ended = true;
        release();
        session.uploadReceived(share, doc, buf.toByteArray());
      }

      private void fail(String why) {
        ended = true;
        release();
        socket.close(1008, why);
        session.uploadFailed(share, doc.attachmentHash());
      }

      private void release() {
        transfers.decrementAndGet();
        session.endUpload();
        stats.transferBytesInFlight.addAndGet(-size);
      }
    };
  }

  private static final Connection NOOP =
      new Connection() {
        @Override
        public void onText(String text) {}

        @Override
        public void onBinary(ByteBuffer bytes) {}

        @Override
        public void onClose() {}
      };

  /** Open syncs (server and client). */
  public int activeSyncs() {
    return live.size();
  }

  /** Share → document count, for status pages. */
  public Map<String, Integer> documentCounts() {
    Map<String, Integer> out = new java.util.TreeMap<>();
    for (String s : shares) {
      out.put(s, storage.replica(s).size());
    }
    return out;
  }

  public EarthstarStorage storage() {
    return storage;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<SyncSession> open = new ArrayList<>(live);
    for (SyncSession s : open) {
      s.cancel("peer closing");
    }
    timers.shutdownNow();
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
