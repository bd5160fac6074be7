package nodenogg.earthstar;

import static nodenogg.earthstar.JsClientInteropTest.assertSameAndValid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.earthstar.testing.JsPeer;
import org.junit.jupiter.api.Test;

/** Our client against the real earthstar {@code Server} (ExtensionKnownShares + ExtensionSyncWeb, memory driver). */
class JsServerInteropTest {

  private void run(int javaDocs, int jsDocs, boolean extras, String fixedId, String urlSuffix) throws Exception {
    ShareKeypair share = ShareKeypair.generate("test");
    AuthorKeypair author = AuthorKeypair.generate("java");
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
         EarthstarPeer peer = new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults());
         JsPeer js = JsPeer.server(share, 0)) {
      peer.fixSyncerId(fixedId);
      Replica r = peer.replica(share.shareAddress());
      JsClientInteropTest.seedJava(r, author, share, javaDocs, extras);
      JsClientInteropTest.seedJs(js, jsDocs, extras);
      peer.sync("http://127.0.0.1:" + js.port + urlSuffix, SyncMode.ONCE).done().get(120, TimeUnit.SECONDS);
      assertEquals(javaDocs + jsDocs + (extras ? 4 : 0), r.size());
      assertSameAndValid(js, r, extras);
    }
  }

  @Test
  void weSyncOnceWithTheJsServerBothRoles() throws Exception {
    run(100, 150, true, "0", "/");
    run(100, 150, true, "9999999", "");
  }

  @Test
  void emptyAndOneSided() throws Exception {
    run(0, 0, false, "0", "/");
    run(0, 0, false, "9999999", "/");
    run(0, 30, false, "0", "/");
    run(30, 0, false, "9999999", "/");
    run(30, 0, false, "0", "/");
    run(0, 30, false, "9999999", "/");
  }
}
