package nodenogg.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.crdt.sync.Awareness;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.DocumentStore;
import org.junit.jupiter.api.Test;

class JavaToJavaTest {

  @Test
  void twoJavaPeersSyncThroughOurSignal() throws Exception {
    NativeWebrtc.assumeAvailable();
    try (SyncServer server = SyncServer.builder().host("127.0.0.1").port(0).store(DocumentStore.inMemory()).build().start()) {
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
}
