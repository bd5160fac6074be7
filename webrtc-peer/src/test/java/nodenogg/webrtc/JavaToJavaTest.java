package nodenogg.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;

/** Java ↔ Java over WebRTC (no browser): through our /signal, and across two signalling servers. */
class JavaToJavaTest {

  @Test
  void twoJavaPeersSyncThroughOurSignal() throws Exception {
    NativeWebrtc.assumeAvailable();
    try (SyncServer server =
        SyncServer.builder()
            .host("127.0.0.1")
            .port(0)
            .store(new InMemoryUpdateStore())
            .build()
            .start()) {
      String url = "ws://127.0.0.1:" + server.port() + "/signal";
      Doc a = new Doc();
      Doc b = new Doc();
      Awareness aa = new Awareness(a.clientId());
      Awareness ab = new Awareness(b.clientId());
      a.getMap("notes").set("n1", "from A");
      try (WebrtcProvider pa = WebrtcProvider.open("j2j", a, aa, WebrtcOptions.signaling(url));
          WebrtcProvider pb = WebrtcProvider.open("j2j", b, ab, WebrtcOptions.signaling(url))) {
        pb.firstSync().get(30, TimeUnit.SECONDS);
        assertEquals("from A", b.getMap("notes").get("n1"));
        b.getMap("notes").set("n2", "from B");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (a.getMap("notes").get("n2") == null && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertEquals("from B", a.getMap("notes").get("n2"));
      }
    }
  }

  /**
   * Several signalling URLs: A only knows our server, B only y-webrtc's bin/server.js, C knows
   * both. A and B never meet; C connects to each, and y-webrtc's flooding (every update goes to
   * every connected peer) carries A's edit to B and B's to A through C.
   */
  @Test
  void severalSignallingServersAndRelayingThroughAPeerInBoth() throws Exception {
    BrowserInteropTest.withYWebrtcServerOnly(
        binUrl -> {
          try (SyncServer server =
              SyncServer.builder()
                  .host("127.0.0.1")
                  .port(0)
                  .store(new InMemoryUpdateStore())
                  .build()
                  .start()) {
            String ourUrl = "ws://127.0.0.1:" + server.port() + "/signal";
            Doc a = new Doc();
            Doc b = new Doc();
            Doc c = new Doc();
            try (WebrtcProvider pa =
                    WebrtcProvider.open(
                        "two-servers",
                        a,
                        new Awareness(a.clientId()),
                        WebrtcOptions.signaling(ourUrl));
                WebrtcProvider pb =
                    WebrtcProvider.open(
                        "two-servers",
                        b,
                        new Awareness(b.clientId()),
                        WebrtcOptions.signaling(binUrl));
                WebrtcProvider pc =
                    WebrtcProvider.open(
                        "two-servers",
                        c,
                        new Awareness(c.clientId()),
                        WebrtcOptions.signaling(ourUrl, binUrl))) {
              Await.until("C connected to A and B", 30_000, () -> pc.openConnections() == 2);
              assertEquals(2, pc.signalingConnected());
              a.getMap("m").set("from", "a");
              b.getMap("m").set("also", "b");
              Await.until(
                  "A's edit in B (through C)", 20_000, () -> "a".equals(b.getMap("m").get("from")));
              Await.until(
                  "B's edit in A (through C)", 20_000, () -> "b".equals(a.getMap("m").get("also")));
              assertEquals(1, pa.openConnections(), "A only reaches C");
              assertEquals(1, pb.openConnections(), "B only reaches C");
            }
          }
        });
  }

  /**
   * maxConns as y-webrtc: a peer at its limit ignores announces (it still answers offers it gets),
   * and the default is 20 + floor(random × 15).
   */
  @Test
  void maxConnsStopsAnsweringAnnounces() throws Exception {
    java.util.Set<Integer> defaults = new java.util.HashSet<>();
    for (int i = 0; i < 500; i++) {
      int n = WebrtcOptions.signaling("ws://localhost/signal").maxConns();
      org.junit.jupiter.api.Assertions.assertTrue(n >= 20 && n <= 34, "default maxConns " + n);
      defaults.add(n);
    }
    org.junit.jupiter.api.Assertions.assertTrue(
        defaults.size() > 5, "the default is random: " + defaults);
    NativeWebrtc.assumeAvailable();
    try (SyncServer server =
        SyncServer.builder()
            .host("127.0.0.1")
            .port(0)
            .store(new InMemoryUpdateStore())
            .build()
            .start()) {
      String url = "ws://127.0.0.1:" + server.port() + "/signal";
      Doc a = new Doc();
      Doc b = new Doc();
      Doc c = new Doc();
      try (WebrtcProvider pa =
              WebrtcProvider.open(
                  "limited",
                  a,
                  new Awareness(a.clientId()),
                  WebrtcOptions.signaling(url).withMaxConns(1));
          WebrtcProvider pb =
              WebrtcProvider.open(
                  "limited", b, new Awareness(b.clientId()), WebrtcOptions.signaling(url))) {
        Await.until(
            "A and B connected",
            30_000,
            () -> pa.openConnections() == 1 && pb.openConnections() == 1);
        try (WebrtcProvider pc =
            WebrtcProvider.open(
                "limited", c, new Awareness(c.clientId()), WebrtcOptions.signaling(url))) {
          Await.until("C connected to B", 30_000, () -> pb.openConnections() == 2);
          c.getMap("m").set("from", "c");
          Await.until(
              "C's edit in A (through B)", 20_000, () -> "c".equals(a.getMap("m").get("from")));
          Thread.sleep(1000);
          assertEquals(1, pa.openConnections(), "A, at maxConns 1, ignored C's announce");
          assertEquals(1, pc.openConnections());
        }
      }
    }
  }
}
