package nodenogg.sync.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.sync.client.internal.ReconnectingSocket;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.SyncDocument;
import nodenogg.sync.protocol.SyncProtocol;
import nodenogg.sync.protocol.YWebsocketProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one document to a y-websocket server ({@code @y/websocket-server}, or ours on {@code
 * /<room>}) as the y-websocket {@code WebsocketProvider} does: URL {@code serverUrl/room},
 * SyncStep1 and awareness on open, local updates as Update messages, remote awareness applied,
 * reconnect with backoff and jitter (not after close codes 4400-4499, like y-websocket), resync
 * after every reconnect so offline edits are delivered. Thread-safe.
 */
public final class YWebsocketClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(YWebsocketClient.class);

  private final String room;
  private final SyncDocument doc;
  private final Awareness awareness;
  private final ReconnectingSocket socket;
  private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
  private volatile CompletableFuture<Void> synced = new CompletableFuture<>();
  private volatile String deniedReason;
  private final SyncDocument.Registration docSub;
  private final Awareness.Registration awSub;

  private YWebsocketClient(
      List<URI> serverUrls,
      String room,
      SyncDocument doc,
      Awareness awareness,
      String token,
      ClientOptions options) {
    this.room = room;
    this.doc = doc;
    this.awareness = awareness;
    List<URI> urls = new ArrayList<>();
    for (URI serverUrl : serverUrls) {
      String base = serverUrl.toString().replaceAll("/+$", "");
      urls.add(
          URI.create(
              base
                  + "/"
                  + room
                  + (token == null
                      ? ""
                      : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))));
    }
    this.socket =
        new ReconnectingSocket(
            urls,
            options,
            new ReconnectingSocket.Listener() {
              @Override
              public void onOpen() {
                socket.send(YWebsocketProtocol.step1(doc.stateVector()));
                if (awareness != null && awareness.getLocalState() != null) {
                  socket.send(
                      YWebsocketProtocol.awareness(
                          awareness.encodeUpdate(List.of(awareness.clientId()))));
                }
              }

              @Override
              public void onMessage(byte[] message) {
                socket.markConnected();
                receive(message);
              }

              @Override
              public void onDisconnect(int code, String reason) {
                if (synced.isDone()) {
                  synced = new CompletableFuture<>();
                }
                if (awareness != null) {
                  List<Long> others = new ArrayList<>(awareness.getStates().keySet());
                  others.remove(awareness.clientId());
                  awareness.removeStates(others, YWebsocketClient.this);
                }
              }

              @Override
              public boolean shouldReconnect(int code) {
                return code < 4400 || code > 4499;
              }
            },
            s -> stateListeners.forEach(l -> l.accept(s)));
    docSub =
        doc.onUpdate(
            (update, origin) -> {
              if (origin != this) {
                socket.send(YWebsocketProtocol.update(update));
              }
            });
    awSub =
        awareness == null
            ? null
            : awareness.onUpdate(
                (change, origin) -> {
                  if (origin != this) {
                    socket.send(YWebsocketProtocol.awareness(awareness.encodeUpdate(change.all())));
                  }
                });
    if (awareness != null) {
      socket.every(awareness::check, Awareness.CHECK_INTERVAL_MILLIS);
    }
  }

  /**
   * Connects {@code doc} to {@code serverUrl/room} (e.g. {@code ws://localhost:1234}, room
   * "my-doc").
   */
  public static YWebsocketClient connect(
      URI serverUrl, String room, SyncDocument doc, Awareness awareness) {
    return connect(serverUrl, room, doc, awareness, null, ClientOptions.defaults());
  }

  /**
   * As {@link #connect(URI, String, SyncDocument, Awareness)}, with a token sent as {@code ?token=}
   * (null for none).
   */
  public static YWebsocketClient connect(
      URI serverUrl,
      String room,
      SyncDocument doc,
      Awareness awareness,
      String token,
      ClientOptions options) {
    return connect(List.of(serverUrl), room, doc, awareness, token, options);
  }

  /**
   * Connects to the first of several servers of one cluster ({@code ws://a:8787}, {@code
   * ws://b:8787}: instances sharing one Redis) and moves to the next when the one in use fails;
   * each reconnect resyncs (SyncStep1 both ways), so edits made meanwhile reach the new instance.
   */
  public static YWebsocketClient connect(
      List<URI> serverUrls,
      String room,
      SyncDocument doc,
      Awareness awareness,
      String token,
      ClientOptions options) {
    YWebsocketClient c = new YWebsocketClient(serverUrls, room, doc, awareness, token, options);
    c.socket.start();
    return c;
  }

  /** The room URL in use (or being connected to) now. */
  public URI currentUri() {
    return socket.currentUri();
  }

  private void receive(byte[] message) {
    Lib0Decoder r = new Lib0Decoder(message);
    long type = r.readVarUint();
    if (type == YWebsocketProtocol.SYNC) {
      SyncProtocol.Message m = SyncProtocol.read(r);
      if (m.isStep1()) {
        socket.send(YWebsocketProtocol.step2(doc.diff(m.payload())));
      } else {
        doc.apply(m.payload(), this);
        if (m.type() == SyncProtocol.STEP2) {
          synced.complete(null);
        }
      }
    } else if (type == YWebsocketProtocol.AWARENESS) {
      if (awareness != null) {
        awareness.applyUpdate(r.readVarUint8Array(), this);
      }
    } else if (type == YWebsocketProtocol.AUTH) {
      if (r.readVarUint() == 0) {
        deniedReason = r.readVarString();
        LOG.warn("y-websocket server denied access to '{}': {}", room, deniedReason);
        synced.completeExceptionally(new PermissionDeniedException(room, deniedReason));
      }
    } else if (type == YWebsocketProtocol.QUERY_AWARENESS) {
      if (awareness != null) {
        socket.send(YWebsocketProtocol.awareness(awareness.encodeAllStates()));
      }
    }
  }

  /** Completes when a SyncStep2 from the server has been applied (renewed after each reconnect). */
  public CompletableFuture<Void> whenSynced() {
    return synced;
  }

  public boolean isSynced() {
    return synced.isDone() && !synced.isCompletedExceptionally();
  }

  public String deniedReason() {
    return deniedReason;
  }

  public ConnectionState state() {
    return socket.state();
  }

  public void onStateChange(Consumer<ConnectionState> listener) {
    stateListeners.add(listener);
  }

  /** Drops the socket and reconnects after the backoff. */
  public void reconnect() {
    socket.forceReconnect();
  }

  /** Announces awareness removal and closes the socket. */
  @Override
  public void close() {
    if (awareness != null && awareness.getLocalState() != null) {
      awareness.setLocalState(null);
    }
    docSub.close();
    if (awSub != null) {
      awSub.close();
    }
    socket.close();
  }
}
