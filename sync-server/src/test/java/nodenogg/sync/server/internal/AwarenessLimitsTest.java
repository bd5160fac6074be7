package nodenogg.sync.server.internal;

import static nodenogg.sync.server.TestTime.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.DocSync;
import nodenogg.sync.server.SyncServerHooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 finding 8: awareness is rate limited per connection (latest state wins), and an id whose
 * connection left stays reserved for its reconnection, so an idle connection cannot pre-claim it.
 */
class AwarenessLimitsTest {
  private ExecutorService pool;
  private ServerDocument doc;

  /** A peer with a host and a connection time, recording the awareness it is sent. */
  static final class Peer implements DocPeer {
    final String address;
    final long connectedAt;
    final List<byte[]> awareness = new CopyOnWriteArrayList<>();

    Peer(String host, long connectedAt) {
      this.address = host + ":40000";
      this.connectedAt = connectedAt;
    }

    @Override
    public void sendUpdate(Broadcast update) {}

    @Override
    public void sendAwareness(byte[] awarenessUpdate) {
      awareness.add(awarenessUpdate);
    }

    @Override
    public String remoteAddress() {
      return address;
    }

    @Override
    public long connectedAtMillis() {
      return connectedAt;
    }

    @Override
    public void abort(String reason) {}

    /** The states this peer has been told about, as a y-protocols client would hold them. */
    Map<Long, Object> states() {
      Awareness seen = new Awareness(1);
      for (byte[] m : awareness) {
        seen.applyUpdate(m, "server");
      }
      return seen.getStates();
    }
  }

  @BeforeEach
  void setUp() {
    pool = Executors.newFixedThreadPool(2);
    doc =
        new ServerDocument(
            "d",
            DocSync.newDocument(),
            new SerialExecutor(pool),
            new InMemoryUpdateStore(),
            SyncServerHooks.NONE,
            7,
            () -> {});
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private void onExec(Runnable r) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    doc.executor()
        .execute(
            () -> {
              try {
                r.run();
                done.complete(null);
              } catch (Throwable t) {
                done.completeExceptionally(t);
              }
            });
    done.get(20, TimeUnit.SECONDS);
  }

  private Peer join(String host, long connectedAt) throws Exception {
    Peer p = new Peer(host, connectedAt);
    CompletableFuture<Void> joined = new CompletableFuture<>();
    doc.join(p, false, () -> joined.complete(null));
    joined.get(20, TimeUnit.SECONDS);
    return p;
  }

  /** An awareness update for {@code id} at {@code clock} with state {name}. */
  private static byte[] state(long id, int clock, String name) {
    Awareness a = new Awareness(id);
    for (int i = 0; i < clock; i++) {
      a.setLocalState(Map.of("name", name));
    }
    return a.encodeUpdate(List.of(id));
  }

  @Test
  void aConnectionsAwarenessIsRateLimitedAndTheLatestStateWins() throws Exception {
    long now = System.currentTimeMillis();
    Peer chatty = join("10.0.0.1", now);
    Peer watcher = join("10.0.0.2", now);
    Awareness a = new Awareness(42);
    long start = System.nanoTime();
    for (int i = 0; i < 3000; i++) {
      a.setLocalState(Map.of("n", i));
      byte[] u = a.encodeUpdate(List.of(42L));
      onExec(() -> doc.applyAwareness(chatty, u));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    await(
        "the latest state reaches the watcher",
        () ->
            Map.of("n", 2999L).equals(watcher.states().get(42L))
                || Map.of("n", 2999).equals(watcher.states().get(42L)));
    double elapsed = (System.nanoTime() - start) / 1e9;
    int relayed = watcher.awareness.size();
    assertTrue(
        relayed
            <= ServerDocument.AWARENESS_BURST + ServerDocument.AWARENESS_PER_SECOND * elapsed + 2,
        relayed + " relayed in " + elapsed + " s (sent in " + seconds + " s)");
    assertTrue(relayed < 3000, "was 3,000 of 3,000");
  }

  @Test
  void anIdleConnectionCannotPreClaimAnIdFreedByAReconnect() throws Exception {
    long now = System.currentTimeMillis();
    Peer watcher = join("10.0.0.9", now);
    Peer victim = join("10.0.0.1", now);
    // connected a minute ago and silent since: an idle connection waiting for an id, on another
    // host
    Peer remoteIdle = join("10.0.0.2", now - 60_000);
    // and one on the victim's own host (a NAT), just as idle
    Peer localIdle = join("10.0.0.1", now - 60_000);
    onExec(() -> doc.applyAwareness(victim, state(500, 1, "victim")));
    assertEquals(Map.of("name", "victim"), watcher.states().get(500L));

    doc.leave(victim); // the victim's socket dropped; it is reconnecting
    onExec(() -> {});
    assertTrue(!watcher.states().containsKey(500L), "its state is removed");
    // both idle connections try to take the freed id, with a high clock that would lock the victim
    // out
    onExec(() -> doc.applyAwareness(remoteIdle, state(500, 50, "mallory")));
    onExec(() -> doc.applyAwareness(localIdle, state(500, 60, "mallory")));
    assertTrue(
        !watcher.states().containsKey(500L),
        "nobody but the victim takes id 500: " + watcher.states());

    // the victim's reconnection (same host, announces at once, as providers do) gets its id back
    Peer again = join("10.0.0.1", System.currentTimeMillis());
    onExec(() -> doc.applyAwareness(again, state(500, 2, "victim again")));
    assertEquals(Map.of("name", "victim again"), watcher.states().get(500L));
    // the idle ones are still bound to nothing: their own ids still work for them
    onExec(() -> doc.applyAwareness(remoteIdle, state(600, 1, "someone")));
    assertEquals(Map.of("name", "someone"), watcher.states().get(600L));
  }
}
