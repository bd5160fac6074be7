package nodenogg.sync.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.protocol.SyncDocument;
import nodenogg.sync.protocol.SyncProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One document attached to a {@link HocuspocusClient}. Reports whether it is authenticated, synced,
 * read-only, how many sent changes are not yet acknowledged, and whether access was denied.
 * Thread-safe.
 */
public final class HocuspocusDocument implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HocuspocusDocument.class);

  private final HocuspocusClient client;
  private final String name;
  private final SyncDocument doc;
  private final Awareness awareness;
  private final String token;
  private final AtomicInteger unsynced = new AtomicInteger();

  /**
   * Changes made or left unacknowledged while disconnected; sent by the next resync (its
   * SyncStep2).
   */
  private final AtomicInteger offline = new AtomicInteger();

  private volatile CompletableFuture<Void> synced = new CompletableFuture<>();
  private volatile boolean authenticated;
  private volatile boolean readOnly;
  private volatile String deniedReason;
  private volatile boolean closed;
  private SyncDocument.Registration docSub;
  private Awareness.Registration awSub;

  HocuspocusDocument(
      HocuspocusClient client, String name, SyncDocument doc, Awareness awareness, String token) {
    this.client = client;
    this.name = name;
    this.doc = doc;
    this.awareness = awareness;
    this.token = token;
  }

  void start() {
    docSub =
        doc.onUpdate(
            (update, origin) -> {
              if (origin != this && !closed) {
                if (authenticated) {
                  sendCounted(Hocuspocus.syncUpdate(name, update));
                } else {
                  offline.incrementAndGet(); // delivered by the SyncStep2 of the next resync
                }
              }
            });
    if (awareness != null) {
      awSub =
          awareness.onUpdate(
              (change, origin) -> {
                if (origin != this && authenticated) {
                  client.send(Hocuspocus.awareness(name, awareness.encodeUpdate(change.all())));
                }
              });
    }
  }

  /** Auth and SyncStep1, sent when the socket opens (awareness follows the authentication). */
  void handshake() {
    if (closed || deniedReason != null) {
      return;
    }
    client.send(Hocuspocus.authToken(name, token, HocuspocusClient.PROVIDER_VERSION));
    client.send(Hocuspocus.syncStep1(name, doc.stateVector()));
    // our awareness goes out once the server has authenticated us (see AUTH below): a state set
    // between the socket opening and the answer would otherwise reach the server only at its
    // renewal
  }

  private void announceLocalAwareness() {
    if (awareness != null && awareness.getLocalState() != null) {
      client.send(
          Hocuspocus.awareness(name, awareness.encodeUpdate(List.of(awareness.clientId()))));
    }
  }

  /**
   * Sends a change the server will acknowledge. The count goes up before the send: the server's
   * SyncStatus is read on another thread and can arrive before {@code send} returns, and counting
   * afterwards would then leave the change counted as unacknowledged forever.
   */
  private void sendCounted(byte[] message) {
    unsynced.incrementAndGet();
    if (!client.send(message)) {
      unsynced.updateAndGet(n -> Math.max(0, n - 1));
    }
  }

  void disconnected() {
    authenticated = false;
    // unacknowledged changes are resent by the resync after reconnecting; until then they stay
    // counted
    offline.addAndGet(unsynced.getAndSet(0));
    if (synced.isDone()) {
      synced = new CompletableFuture<>();
    }
    if (awareness != null) {
      List<Long> others = new java.util.ArrayList<>(awareness.getStates().keySet());
      others.remove(awareness.clientId());
      awareness.removeStates(others, this);
    }
  }

  void tick() {
    if (awareness != null) {
      awareness.check();
    }
  }

  void receive(Hocuspocus.Frame f) {
    Lib0Decoder body = f.body();
    switch (f.type()) {
      case Hocuspocus.AUTH:
        {
          long sub = body.readVarUint();
          if (sub == Hocuspocus.AUTH_AUTHENTICATED) {
            readOnly = Hocuspocus.SCOPE_READ_ONLY.equals(body.readVarString());
            authenticated = true;
            client.markConnected();
            announceLocalAwareness();
          } else if (sub == Hocuspocus.AUTH_PERMISSION_DENIED) {
            deniedReason = body.hasContent() ? body.readVarString() : "permission-denied";
            LOG.warn("access to '{}' denied: {}", name, deniedReason);
            synced.completeExceptionally(new PermissionDeniedException(name, deniedReason));
          } else if (sub == Hocuspocus.AUTH_TOKEN) {
            client.send(Hocuspocus.authToken(name, token, HocuspocusClient.PROVIDER_VERSION));
          }
          break;
        }
      case Hocuspocus.SYNC:
      case Hocuspocus.SYNC_REPLY:
        {
          SyncProtocol.Message m = SyncProtocol.read(body);
          if (m.isStep1()) {
            // the diff carries every change the server lacks, offline ones included: one
            // acknowledgement now covers them
            unsynced.incrementAndGet();
            offline.set(0);
            if (!client.send(Hocuspocus.syncStep2(name, doc.diff(m.payload())))) {
              unsynced.updateAndGet(n -> Math.max(0, n - 1));
              offline.incrementAndGet();
            }
          } else {
            doc.apply(m.payload(), this);
            if (m.type() == SyncProtocol.STEP2) {
              synced.complete(null);
            }
          }
          break;
        }
      case Hocuspocus.AWARENESS:
        if (awareness != null) {
          awareness.applyUpdate(body.readVarUint8Array(), this);
        }
        break;
      case Hocuspocus.QUERY_AWARENESS:
        if (awareness != null) {
          client.send(Hocuspocus.awareness(name, awareness.encodeAllStates()));
        }
        break;
      case Hocuspocus.SYNC_STATUS:
        if (body.readVarUint() == 1) {
          unsynced.updateAndGet(n -> Math.max(0, n - 1));
        }
        break;
      case Hocuspocus.CLOSE:
        LOG.debug(
            "server closed document '{}': {}", name, body.hasContent() ? body.readVarString() : "");
        authenticated = false;
        break;
      default:
        break; // stateless and newer types are ignored
    }
  }

  public String name() {
    return name;
  }

  /** Completes when the first SyncStep2 from the server is applied (again after each reconnect). */
  public CompletableFuture<Void> whenSynced() {
    return synced;
  }

  public boolean isSynced() {
    return synced.isDone() && !synced.isCompletedExceptionally();
  }

  public boolean isAuthenticated() {
    return authenticated;
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  /** The server's reason when it refused the token, else null. */
  public String deniedReason() {
    return deniedReason;
  }

  /**
   * Changes not yet acknowledged by a server (SyncStatus): sent and waiting, or made (or left
   * unacknowledged) while disconnected and waiting for the resync after the reconnect. 0 means the
   * server holds every change of this document durably.
   */
  public int unsyncedChanges() {
    return unsynced.get() + offline.get();
  }

  /** Sends a stateless message (Hocuspocus type 5). */
  public void sendStateless(String payload) {
    client.send(Hocuspocus.stateless(name, payload));
  }

  /** Announces awareness removal, sends CLOSE for this document and detaches it. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (awareness != null && authenticated) {
      awareness.setLocalState(null); // sent by the awareness listener
    }
    closed = true;
    if (authenticated) {
      client.send(Hocuspocus.closeRequest(name));
    }
    if (docSub != null) {
      docSub.close();
    }
    if (awSub != null) {
      awSub.close();
    }
    client.detach(this);
  }
}
