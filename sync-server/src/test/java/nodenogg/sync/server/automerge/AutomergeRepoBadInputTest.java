package nodenogg.sync.server.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.automerge.AutomergeDocument;
import nodenogg.automerge.internal.Cbor;
import nodenogg.automerge.repo.DocumentIds;
import nodenogg.automerge.repo.RepoClient;
import nodenogg.automerge.repo.RepoMessage;
import nodenogg.automerge.repo.RepoMessages;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.TokenAuthHooks;
import org.automerge.ObjectId;
import org.automerge.SyncState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input on /automerge: each gets an {@code error} message and that connection closed; the
 * server, the document and the other peers are untouched (a good client keeps working throughout).
 */
class AutomergeRepoBadInputTest {
  private SyncServer server;
  private String query = "";
  private RepoClient good;
  private RepoClient.Handle goodDoc;

  /** A raw WebSocket peer that records what the server sends and how it closes. */
  private final class Raw implements WebSocket.Listener, AutoCloseable {
    final BlockingQueue<RepoMessage> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final WebSocket ws;
    private final java.io.ByteArrayOutputStream parts = new java.io.ByteArrayOutputStream();

    Raw(String query) throws Exception {
      ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + server.port() + "/automerge" + query), this)
              .get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      parts.write(b, 0, b.length);
      if (last) {
        messages.add(RepoMessages.decode(parts.toByteArray()));
        parts.reset();
      }
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      closed.complete(-1);
    }

    void send(byte[] frame) throws Exception {
      ws.sendBinary(ByteBuffer.wrap(frame), true).get(10, TimeUnit.SECONDS);
    }

    void send(RepoMessage m) throws Exception {
      send(RepoMessages.encode(m));
    }

    RepoMessage.Peer join(String peer) throws Exception {
      send(new RepoMessage.Join(peer, new RepoMessage.PeerMetadata(null, true), List.of("1")));
      return (RepoMessage.Peer) messages.poll(10, TimeUnit.SECONDS);
    }

    /** The error message the server sent, and the close code. */
    void assertRefused(int code, String contains) throws Exception {
      RepoMessage m;
      do {
        m = messages.poll(10, TimeUnit.SECONDS);
      } while (m != null && !(m instanceof RepoMessage.Error));
      assertInstanceOf(RepoMessage.Error.class, m, "an error message before the close");
      assertTrue(
          ((RepoMessage.Error) m).message().contains(contains), ((RepoMessage.Error) m).message());
      assertEquals(code, closed.get(10, TimeUnit.SECONDS));
    }

    @Override
    public void close() {
      ws.abort();
    }
  }

  @BeforeEach
  void start() throws Exception {
    server =
        SyncServer.builder()
            .port(0)
            .store(new InMemoryUpdateStore())
            .maxMessageBytes(64 * 1024)
            .hooks(new TokenAuthHooks(null, "reader", null))
            .build()
            .start();
    good = RepoClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/automerge"));
    good.ready().get(20, TimeUnit.SECONDS);
    goodDoc = good.create();
    goodDoc.document().change("t", tx -> tx.set(ObjectId.ROOT, "n", 1));
    goodDoc.acknowledged().get(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    // the good client still works: one more change is acknowledged, and a fresh client reads it
    // back
    goodDoc.document().change("t", tx -> tx.set(ObjectId.ROOT, "n", 2));
    goodDoc.acknowledged().get(20, TimeUnit.SECONDS);
    try (RepoClient check =
        RepoClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/automerge" + query))) {
      RepoClient.Handle h = check.find(goodDoc.url()).get(20, TimeUnit.SECONDS);
      assertEquals(
          List.of(goodDoc.document().heads()).toString(), List.of(h.document().heads()).toString());
    }
    good.close();
    server.close();
  }

  /**
   * A sync message that carries a change of {@code source} (the third message of a sync with an
   * empty peer).
   */
  private static byte[] syncMessageWithChange(AutomergeDocument source) {
    try (AutomergeDocument empty = AutomergeDocument.create()) {
      SyncState a = new SyncState();
      SyncState b = new SyncState();
      for (int i = 0; i < 10; i++) {
        byte[] m = source.generateSyncMessage(a).orElseThrow();
        if (!nodenogg.automerge.internal.SyncMessages.changes(m).isEmpty()) {
          return m;
        }
        empty.receiveSyncMessage(b, m, "t");
        source.receiveSyncMessage(a, empty.generateSyncMessage(b).orElseThrow(), "t");
      }
      throw new AssertionError("no sync message with changes");
    }
  }

  @Test
  void malformedCbor() throws Exception {
    try (Raw r = new Raw("")) {
      r.send(new byte[] {(byte) 0xbf, 0x61, 0x61}); // indefinite map, truncated
      r.assertRefused(1007, "CBOR");
    }
  }

  @Test
  void anythingBeforeJoin() throws Exception {
    try (Raw r = new Raw("")) {
      r.send(new RepoMessage.Sync("x", "y", DocumentIds.random(), new byte[] {0x42, 0, 0, 0, 0}));
      r.assertRefused(1008, "first message must be join");
    }
  }

  @Test
  void unknownMessageType() throws Exception {
    try (Raw r = new Raw("")) {
      r.join("p1");
      r.send(Cbor.encode(Map.of("type", "teleport", "senderId", "p1", "targetId", "s")));
      r.assertRefused(1007, "unknown message type");
    }
  }

  @Test
  void anotherPeersSenderId() throws Exception {
    try (Raw r = new Raw("")) {
      r.join("p1");
      r.send(new RepoMessage.DocUnavailable("someone-else", "s", goodDoc.documentId()));
      r.assertRefused(1008, "senderId");
    }
  }

  @Test
  void oversizedFrame() throws Exception {
    try (Raw r = new Raw("")) {
      r.join("p1");
      r.ws.sendBinary(ByteBuffer.wrap(new byte[100 * 1024]), true);
      assertEquals(1009, r.closed.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void corruptChangeBytesInASyncMessage() throws Exception {
    try (AutomergeDocument d = AutomergeDocument.create();
        Raw r = new Raw("")) {
      d.change("t", tx -> tx.set(ObjectId.ROOT, "title", "x".repeat(300)));
      byte[] msg = syncMessageWithChange(d);
      int at = msg.length - 40; // inside the change: its checksum no longer matches
      msg[at] ^= 0x55;
      r.join("p1");
      r.send(new RepoMessage.Sync("p1", "s", goodDoc.documentId(), msg));
      r.assertRefused(1007, goodDoc.documentId());
    }
  }

  @Test
  void notASyncMessage() throws Exception {
    try (Raw r = new Raw("")) {
      r.join("p1");
      r.send(new RepoMessage.Request("p1", "s", goodDoc.documentId(), new byte[] {1, 2, 3}));
      r.assertRefused(1007, "not an Automerge sync message");
    }
  }

  @Test
  void readOnlyPeersMayReadButNotWrite() throws Exception {
    try (Raw r = new Raw("?token=reader");
        AutomergeDocument d = AutomergeDocument.create()) {
      r.join("reader-1");
      SyncState s = new SyncState();
      r.send(
          new RepoMessage.Request(
              "reader-1", "s", goodDoc.documentId(), d.generateSyncMessage(s).orElseThrow()));
      RepoMessage reply = r.messages.poll(10, TimeUnit.SECONDS);
      assertInstanceOf(RepoMessage.Sync.class, reply, "a reader gets the document");
      d.change("t", tx -> tx.set(ObjectId.ROOT, "vandal", true));
      r.send(new RepoMessage.Sync("reader-1", "s", goodDoc.documentId(), syncMessageWithChange(d)));
      r.assertRefused(1008, "read-only");
    }
  }

  @Test
  void aWrongTokenGetsDocUnavailable() throws Exception {
    server.close();
    server =
        SyncServer.builder()
            .port(0)
            .store(new InMemoryUpdateStore())
            .hooks(new TokenAuthHooks("secret", null, null))
            .build()
            .start();
    try (Raw r = new Raw("?token=nope");
        AutomergeDocument d = AutomergeDocument.create()) {
      r.join("p1");
      r.send(
          new RepoMessage.Request(
              "p1",
              "s",
              goodDoc.documentId(),
              d.generateSyncMessage(new SyncState()).orElseThrow()));
      assertInstanceOf(RepoMessage.DocUnavailable.class, r.messages.poll(10, TimeUnit.SECONDS));
    }
    good.close();
    query = "?token=secret";
    good = RepoClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/automerge" + query));
    good.ready().get(20, TimeUnit.SECONDS);
    goodDoc = good.create();
  }
}
