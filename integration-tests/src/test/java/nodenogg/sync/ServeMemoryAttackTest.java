package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.protocol.Hocuspocus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 finding 1, as the attack was made: {@code ./microcosm serve --token} in a child JVM with
 * {@code -Xmx256m}; 80 sockets each queue ~4.8 MiB before authenticating (384 MiB in all) and 24
 * sockets each send a fragmented message of 60 KiB frames up to 15 MiB that never ends (360 MiB).
 * The server must refuse what does not fit in its memory budget (1013 for the newest demand), keep
 * answering {@code /status} and honest clients, and stop cleanly on SIGTERM, instead of becoming a
 * zombie.
 */
class ServeMemoryAttackTest {
  @TempDir Path dir;

  private static int status(int port) throws Exception {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                .timeout(Duration.ofMillis(Await.scaled(10_000)))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void floodsBeforeAuthAndUnfinishedMessagesDoNotTakeTheServerAway() throws Exception {
    Path log = dir.resolve("serve.log");
    try (ServeProcess p = new ServeProcess(dir.resolve("data"), log, "--token", "secret")) {
      int port = p.awaitPort();
      List<RawWs> sockets = new CopyOnWriteArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<?>> attacks = new ArrayList<>();
      byte[] preAuth =
          RawWs.frame(2, true, Hocuspocus.stateless("doc", "j".repeat(64 * 1024 - 16)));
      for (int i = 0; i < 80; i++) {
        attacks.add(
            pool.submit(
                () -> {
                  try {
                    RawWs w = new RawWs(port, "/sync");
                    sockets.add(w);
                    for (int k = 0; k < 75; k++) {
                      w.out.write(preAuth); // ~4.8 MiB of stateless messages, never an Auth
                    }
                    w.out.flush();
                  } catch (IOException e) {
                    // refused or cut: that is the server defending itself
                  }
                  return null;
                }));
      }
      byte[] chunk = new byte[60 * 1024];
      for (int i = 0; i < 24; i++) {
        attacks.add(
            pool.submit(
                () -> {
                  try {
                    RawWs w =
                        new RawWs(
                            port, "/room-" + Thread.currentThread().getId() + "?token=secret");
                    sockets.add(w);
                    w.out.write(RawWs.frame(2, false, chunk));
                    for (int k = 1; k < 250; k++) {
                      w.out.write(
                          RawWs.frame(
                              0, false, chunk)); // 60 KiB frames, no FIN: 15 MiB reassembling
                    }
                    w.out.flush();
                  } catch (IOException e) {
                    // refused or cut
                  }
                  return null;
                }));
      }
      for (Future<?> f : attacks) {
        f.get(Await.scaled(60_000), TimeUnit.MILLISECONDS);
      }
      pool.shutdown();

      // the server still answers plain HTTP and serves an honest client end to end
      assertEquals(200, status(port));
      JavaPeer honest = new JavaPeer();
      try (HocuspocusClient c =
          HocuspocusClient.connect(
              URI.create("ws://127.0.0.1:" + port + "/sync"), ClientOptions.defaults())) {
        HocuspocusDocument d = c.open("honest", honest.sync, null, "secret");
        Await.get(d.whenSynced(), 20_000);
        honest.write("note", 3);
        Await.until(
            "the honest client's writes are acknowledged", 20_000, () -> d.unsyncedChanges() == 0);
      }
      Map<Integer, Integer> codes = new TreeMap<>();
      for (RawWs w : sockets) {
        codes.merge(w.closeCode(100), 1, Integer::sum);
        w.close();
      }
      int refused = codes.getOrDefault(1013, 0);
      System.out.println(
          "memory attack on -Xmx256m: close codes seen by the "
              + sockets.size()
              + " attacking sockets (0 = still open): "
              + codes);
      assertTrue(refused > 0, "the demands that do not fit are refused with 1013: " + codes);
      assertEquals(200, status(port), "and the server still answers after the attack");

      int exit = p.terminate();
      assertTrue(exit == 143 || exit == 0, "a clean stop on SIGTERM, exit " + exit);
      String text = Files.readString(log);
      assertTrue(
          !text.contains("OutOfMemoryError") && !text.contains("cannot recover"),
          "the budget kept the heap from running out:\n"
              + text.lines().filter(l -> l.contains("Error")).limit(20).toList());
    }
  }
}
