package nodenogg.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.crdt.sync.Awareness;
import nodenogg.sync.server.DocumentStore;
import nodenogg.sync.server.SyncServer;
import nodenogg.webrtc.internal.NativeRuntime;
import org.junit.jupiter.api.Test;

/**
 * Native resources are released on close: after a warm-up (the process's one native factory and its
 * threads exist from the first peer on), 2 × 50 peers are opened, each connects over WebRTC to a resident
 * peer and syncs, and is closed again. Afterwards the process has exactly the Java and OS threads it had
 * before, every lease is returned, and memory outside the Java heap did not grow with the number of
 * peers (a leaked peer connection holds ICE/DTLS/SCTP state and buffers: megabytes). Numbers are printed.
 */
class ResourceReleaseTest {
  private static final int PEERS = 50;

  static long rssKib() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  static int threads() {
    return Thread.getAllStackTraces().size();
  }

  /** Native threads too: every task of the process (Linux). */
  static int osThreads() throws Exception {
    try (var s = Files.list(Path.of("/proc/self/task"))) {
      return (int) s.count();
    }
  }

  static java.util.List<String> osThreadNames() throws Exception {
    java.util.List<String> names = new java.util.ArrayList<>();
    try (var s = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) s::iterator) {
        try {
          names.add(Files.readString(t.resolve("comm")).trim());
        } catch (java.io.IOException e) {
          // ended meanwhile
        }
      }
    }
    java.util.Collections.sort(names);
    return names;
  }

  static void cycle(String url, int i) throws Exception {
    Doc doc = new Doc();
    doc.getMap("m").set("k" + i, i);
    try (WebrtcProvider p = WebrtcProvider.open("resources", doc, new Awareness(doc.clientId()),
        WebrtcOptions.signaling(url))) {
      p.firstSync().get(30, TimeUnit.SECONDS);
    }
  }

  /** Resident memory outside the committed Java heap, KiB (native allocations, metaspace, thread stacks). */
  static long nonHeapRssKib() throws Exception {
    System.gc();
    Thread.sleep(300);
    long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    return rssKib() - heap;
  }

  @Test
  void fiftyPeersOpenAndCloseAndLeaveNothingBehind() throws Exception {
    NativeWebrtc.assumeAvailable();
    boolean linux = Files.isDirectory(Path.of("/proc/self/task"));
    try (SyncServer server = SyncServer.builder().host("127.0.0.1").port(0).store(DocumentStore.inMemory()).build().start()) {
      String url = "ws://127.0.0.1:" + server.port() + "/signal";
      Doc residentDoc = new Doc();
      WebrtcProvider resident = WebrtcProvider.open("resources", residentDoc, new Awareness(residentDoc.clientId()),
          WebrtcOptions.signaling(url));
      int threadsBefore;
      int osThreadsBefore;
      try {
        // warm up: class loading, JIT, the native library and factory, the allocator's arenas
        for (int i = 0; i < 10; i++) {
          cycle(url, i);
        }
        Await.until("the warm-up connections to close", 30_000, () -> resident.openConnections() == 0);
        Thread.sleep(500);
        threadsBefore = threads();
        osThreadsBefore = linux ? osThreads() : 0;
        long m0 = linux ? nonHeapRssKib() : 0;
        for (int i = 10; i < 10 + PEERS; i++) {
          cycle(url, i);
        }
        long m1 = linux ? nonHeapRssKib() : 0;
        for (int i = 10 + PEERS; i < 10 + 2 * PEERS; i++) {
          cycle(url, i);
        }
        long m2 = linux ? nonHeapRssKib() : 0;
        Await.until("the resident peer to see every connection closed", 30_000, () -> resident.openConnections() == 0);
        assertEquals(10 + 2 * PEERS - 1, ((Number) residentDoc.getMap("m").get("k" + (10 + 2 * PEERS - 1))).intValue(),
            "every peer synced its update to the resident peer");
        System.out.printf("ResourceReleaseTest: RSS outside the Java heap %d KiB after warm-up, %d after %d peers (%+.1f KiB/peer), "
            + "%d after %d more (%+.1f KiB/peer)%n", m0, m1, PEERS, (m1 - m0) / (double) PEERS, m2, PEERS, (m2 - m1) / (double) PEERS);
        // 16 MiB over 50 peers: a leaked peer connection (megabytes each) cannot hide under it
        assertTrue(!linux || m2 - m1 < 16 * 1024, "memory outside the heap grew by " + (m2 - m1) + " KiB over " + PEERS + " peers");
      } finally {
        resident.close();
      }
      assertEquals(0, NativeRuntime.leases(), "every lease on the native factory is returned");
      Await.until("Java threads to return to " + threadsBefore, 20_000, () -> threads() <= threadsBefore);
      if (linux) {
        Await.until("OS threads to return to " + osThreadsBefore, 20_000, () -> {
          try {
            return osThreads() <= osThreadsBefore;
          } catch (Exception e) {
            return false;
          }
        });
      }
      System.out.printf("ResourceReleaseTest: Java threads %d before, %d after; OS threads %d before, %d after%n",
          threadsBefore, threads(), osThreadsBefore, linux ? osThreads() : 0);
    }
  }
}
