package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./microcosm serve --data DIR} in a child JVM: every update acknowledged (SyncStatus)
 * before a SIGKILL or a SIGTERM is there after the restart.
 */
class ServeDurabilityTest {
  private static final int CYCLES = 10;
  private static final ClientOptions FAST =
      ClientOptions.defaults()
          .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300))
          .withSeed(5);

  @TempDir Path dir;

  /** Reads the document from the server on {@code port} with a fresh peer. */
  private JavaPeer readBack(int port) throws Exception {
    JavaPeer check = new JavaPeer();
    try (HocuspocusClient c =
        HocuspocusClient.connect(URI.create("ws://127.0.0.1:" + port + "/sync"), FAST)) {
      Await.get(c.open("durable", check.sync, null, "").whenSynced(), 20000);
    }
    return check;
  }

  /** SIGTERM: a graceful stop that flushed the store, and exit code 0. */
  private static void assertStopped(int exit, Path log) throws java.io.IOException {
    String text = java.nio.file.Files.readString(log);
    assertEquals(0, exit, "exit code after SIGTERM");
    assertTrue(
        text.endsWith("sync server stopped" + System.lineSeparator())
            || text.contains("sync server stopped"),
        "graceful stop logged: " + text);
  }

  /**
   * Ten cycles of: start the server, check that everything acknowledged before the previous kill -9
   * is there, write in a background thread while recording how far acknowledgements reach, kill -9
   * at a random moment. Then a last run: write, SIGTERM, restart and compare everything.
   */
  @Test
  void acknowledgedUpdatesSurviveKill9AndSigterm() throws Exception {
    long seed = 42;
    Random rnd = new Random(seed);
    Path data = dir.resolve("data");
    Path log = dir.resolve("serve.log");
    JavaPeer writer = new JavaPeer();
    int ackedUpTo = -1;
    ServeProcess p = new ServeProcess(data, log);
    try {
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        int port = p.awaitPort();
        assertAllThere(readBack(port), ackedUpTo, "seed " + seed + " cycle " + cycle);
        AtomicInteger acked = new AtomicInteger(-1);
        AtomicBoolean stop = new AtomicBoolean();
        try (HocuspocusClient c =
            HocuspocusClient.connect(URI.create("ws://127.0.0.1:" + port + "/sync"), FAST)) {
          HocuspocusDocument d = c.open("durable", writer.sync, null, "");
          Await.get(d.whenSynced(), 20000);
          Await.until("earlier writes re-acknowledged", 10_000, () -> d.unsyncedChanges() == 0);
          final int start = writer.size();
          Thread t =
              new Thread(
                  () -> {
                    int i = start;
                    while (!stop.get()) {
                      for (int b = 0; b < 3; b++) {
                        writer.doc.getMap("notes").set("k" + i, i);
                        i++;
                      }
                      // until the first acknowledgement of the cycle, wait as long as a loaded
                      // machine needs
                      long until = System.currentTimeMillis() + (acked.get() < 0 ? 20_000 : 300);
                      while (!stop.get() && System.currentTimeMillis() < until) {
                        if (d.unsyncedChanges() == 0 && d.isAuthenticated()) {
                          acked.set(i - 1); // every write so far is acknowledged
                          break;
                        }
                        Thread.onSpinWait();
                      }
                    }
                  });
          t.start();
          Thread.sleep(200 + rnd.nextInt(500));
          Await.until("a first acknowledgement in this cycle", 20_000, () -> acked.get() >= 0);
          stop.set(true);
          t.join();
          p.kill9();
        }
        assertTrue(
            acked.get() >= 0,
            "seed "
                + seed
                + ": nothing was acknowledged in cycle "
                + cycle
                + "; server log:\n"
                + java.nio.file.Files.readString(log));
        ackedUpTo = acked.get();
        p = new ServeProcess(data, log);
      }
      // graceful stop: everything acknowledged is there
      int port = p.awaitPort();
      assertAllThere(readBack(port), ackedUpTo, "seed " + seed + " after the last kill -9");
      try (HocuspocusClient c =
          HocuspocusClient.connect(URI.create("ws://127.0.0.1:" + port + "/sync"), FAST)) {
        HocuspocusDocument d = c.open("durable", writer.sync, null, "");
        Await.get(d.whenSynced(), 20000);
        writer.write("final", 20);
        Await.until("final writes acknowledged", 10_000, () -> d.unsyncedChanges() == 0);
      }
      assertStopped(p.terminate(), log);
      p = new ServeProcess(data, log);
      JavaPeer back = readBack(p.awaitPort());
      assertEquals(
          writer.json(),
          back.json(),
          "after SIGTERM and restart the server has every acknowledged write");
      assertStopped(p.terminate(), log);
    } finally {
      p.close();
    }
  }

  private static void assertAllThere(JavaPeer back, int ackedUpTo, String where) {
    for (int k = 0; k <= ackedUpTo; k++) {
      assertTrue(
          back.doc.getMap("notes").has("k" + k),
          where + ": acknowledged k" + k + " lost after kill -9 (acked up to " + ackedUpTo + ")");
    }
  }
}
