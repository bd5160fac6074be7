package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Json;
import nodenogg.crdt.Updates;
import nodenogg.persistence.ForwardingUpdateStore;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.StoreException;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 findings 2 and 3 with the real providers ({@code @hocuspocus/provider} 4.8.0 and 2.15.3,
 * y-websocket): an update the engine takes but the store refuses kicks nobody, and a store failure
 * closes the document so that every provider reconnects on its own and syncs again once the store
 * works, with nothing acknowledged lost.
 */
class StoreRejectionAndFailureInteropTest {
  private static final List<String> KINDS = List.of("hp4", "hp2", "yws");

  @TempDir Path data;

  private static String url(SyncServer s, String kind) {
    return kind.equals("yws")
        ? "ws://127.0.0.1:" + s.port()
        : "ws://127.0.0.1:" + s.port() + "/sync";
  }

  private static String json(Map<String, Object> notes) {
    return Json.stringify(new TreeMap<>(notes));
  }

  /** A raw Hocuspocus client that records what the server sends. */
  static final class RawHocuspocus implements AutoCloseable {
    final List<byte[]> received = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final WebSocket ws;

    RawHocuspocus(String url) throws Exception {
      ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create(url),
                  new WebSocket.Listener() {
                    final java.io.ByteArrayOutputStream partial =
                        new java.io.ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer d, boolean last) {
                      byte[] b = new byte[d.remaining()];
                      d.get(b);
                      partial.write(b, 0, b.length);
                      if (last) {
                        received.add(partial.toByteArray());
                        partial.reset();
                      }
                      w.request(1);
                      return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                      closed.complete(code);
                      return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                      closed.complete(-1);
                    }
                  })
              .get(Await.scaled(10_000), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void send(byte[] m) throws Exception {
      ws.sendBinary(ByteBuffer.wrap(m), true)
          .get(Await.scaled(10_000), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    boolean gotSyncStatus() {
      return received.stream().anyMatch(m -> Hocuspocus.decode(m).type() == Hocuspocus.SYNC_STATUS);
    }

    @Override
    public void close() {
      ws.abort();
    }
  }

  @Test
  void anUpdateWithATrailingByteKicksNobody() throws Exception {
    NodeProcess.jsDir();
    Map<String, Object> expected = new TreeMap<>();
    List<ProviderDriver> drivers = new ArrayList<>();
    try (SyncServer s =
        SyncServer.builder()
            .port(0)
            .dataDirectory(data)
            .implicitAuthentication(true)
            .build()
            .start()) {
      try {
        for (String k : KINDS) {
          drivers.add(new ProviderDriver(k, url(s, k), "trail", "default", k));
        }
        for (ProviderDriver d : drivers) {
          d.awaitSynced();
          d.write(d.kind + "-before", 1);
          expected.put(d.kind + "-before", 1);
        }
        for (ProviderDriver d : drivers) {
          d.awaitState(json(expected));
        }
        // the attack: a real change (a new client's entry) with one trailing byte, which Yjs and
        // our
        // engine ignore; any writer can send it, over and over
        try (RawHocuspocus attacker = new RawHocuspocus(url(s, "hp4"))) {
          attacker.send(Hocuspocus.authToken("trail", "default", "4.8.0"));
          for (int i = 0; i < 3; i++) {
            Doc evil = new Doc();
            evil.getMap("notes").set("trailing-" + i, i);
            expected.put("trailing-" + i, i);
            byte[] u = Updates.encodeStateAsUpdate(evil);
            byte[] withTrailingByte = Arrays.copyOf(u, u.length + 1);
            attacker.send(Hocuspocus.syncUpdate("trail", withTrailingByte));
          }
          Await.until(
              "the attacker gets its answers",
              10_000,
              () ->
                  attacker.received.stream()
                          .filter(m -> Hocuspocus.decode(m).type() == Hocuspocus.SYNC_STATUS)
                          .count()
                      == 3);
          // the providers go on: they write again and everything converges, nobody reconnected
          for (ProviderDriver d : drivers) {
            d.write(d.kind + "-after", 2);
            expected.put(d.kind + "-after", 2);
          }
          for (ProviderDriver d : drivers) {
            d.awaitState(json(expected));
            assertEquals(List.of(), d.closeCodes(), d.kind + " must not be disconnected");
          }
          assertTrue(
              !attacker.closed.isDone(),
              "a refused update is the sender's problem, not a protocol error");
        }
      } finally {
        drivers.forEach(ProviderDriver::close);
      }
    }
    // what every peer saw is durable: a fresh server on the same data has all of it
    try (SyncServer s = SyncServer.builder().port(0).dataDirectory(data).build().start();
        HocuspocusClient c =
            HocuspocusClient.connect(URI.create(url(s, "hp4")), ClientOptions.defaults())) {
      JavaPeer check = new JavaPeer();
      Await.get(c.open("trail", check.sync, null, "default").whenSynced(), 10_000);
      assertEquals(json(expected), check.json());
    }
  }

  /** An in-memory store whose appends fail while {@code failing} is set (a full disk). */
  static final class FlakyStore extends ForwardingUpdateStore {
    volatile boolean failing;

    FlakyStore() {
      super(new InMemoryUpdateStore());
    }

    @Override
    public CompletableFuture<Long> append(String document, byte[] update) {
      if (failing) {
        return CompletableFuture.failedFuture(new StoreException("disk full"));
      }
      return super.append(document, update);
    }
  }

  @Test
  void aStoreFailureMakesEveryProviderReconnectAndTheDocumentComesBackWhenTheStoreWorks()
      throws Exception {
    NodeProcess.jsDir();
    FlakyStore store = new FlakyStore();
    Map<String, Object> expected = new TreeMap<>();
    List<ProviderDriver> drivers = new ArrayList<>();
    try (SyncServer s =
        SyncServer.builder().port(0).store(store).implicitAuthentication(true).build().start()) {
      try {
        for (String k : KINDS) {
          drivers.add(new ProviderDriver(k, url(s, k), "flaky", "default", k));
        }
        for (ProviderDriver d : drivers) {
          d.awaitSynced();
          d.write(d.kind + "-before", 1);
          expected.put(d.kind + "-before", 1);
        }
        for (ProviderDriver d : drivers) {
          d.awaitState(json(expected));
        }
        store.failing = true; // the disk fills up
        drivers.get(0).write("during-failure", 3);
        expected.put("during-failure", 3);
        for (ProviderDriver d : drivers) {
          Await.until(
              () -> d.kind + " is closed with 1013: " + d.closeCodes(),
              20_000,
              () -> d.closeCodes().contains(1013));
        }
        store.failing = false; // space is freed
        for (ProviderDriver d : drivers) {
          d.write(d.kind + "-after", 2);
          expected.put(d.kind + "-after", 2);
        }
        // every provider reconnected by itself, resent what was not acknowledged and converged
        for (ProviderDriver d : drivers) {
          d.awaitState(json(expected));
        }
      } finally {
        drivers.forEach(ProviderDriver::close);
      }
      // and the store has it all
      try (HocuspocusClient c =
          HocuspocusClient.connect(URI.create(url(s, "hp4")), ClientOptions.defaults())) {
        JavaPeer check = new JavaPeer();
        Await.get(c.open("flaky", check.sync, null, "default").whenSynced(), 10_000);
        assertEquals(json(expected), check.json());
      }
    }
  }
}
