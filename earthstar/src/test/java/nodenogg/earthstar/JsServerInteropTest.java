package nodenogg.earthstar;

import static nodenogg.earthstar.JsClientInteropTest.assertSameAndValid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.earthstar.testing.JsPeer;
import org.junit.jupiter.api.Test;

/**
 * Our client against the real earthstar {@code Server} (ExtensionKnownShares + ExtensionSyncWeb,
 * memory driver).
 */
class JsServerInteropTest {

  private void run(int javaDocs, int jsDocs, boolean extras, String fixedId, String urlSuffix)
      throws Exception {
    ShareKeypair share = ShareKeypair.generate("test");
    AuthorKeypair author = AuthorKeypair.generate("java");
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
        EarthstarPeer peer =
            new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults());
        JsPeer js = JsPeer.server(share, 0)) {
      peer.fixSyncerId(fixedId);
      Replica r = peer.replica(share.shareAddress());
      JsClientInteropTest.seedJava(r, author, share, javaDocs, extras);
      JsClientInteropTest.seedJs(js, jsDocs, extras);
      peer.sync("http://127.0.0.1:" + js.port + urlSuffix, SyncMode.ONCE)
          .done()
          .get(120, TimeUnit.SECONDS);
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
  void thousandAgainstEightHundred() throws Exception {
    run(1000, 800, false, "9999999", "/");
  }

  @Test
  void continuousCarriesNewDocumentsBothWaysWithinThreeSeconds() throws Exception {
    ShareKeypair share = ShareKeypair.generate("test");
    AuthorKeypair author = AuthorKeypair.generate("java");
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
        EarthstarPeer peer =
            new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults());
        JsPeer js = JsPeer.server(share, 0)) {
      Replica r = peer.replica(share.shareAddress());
      JsClientInteropTest.seedJava(r, author, share, 20, false);
      JsClientInteropTest.seedJs(js, 10, false);
      SyncHandle h = peer.sync("http://127.0.0.1:" + js.port + "/", SyncMode.CONTINUOUS);
      JsClientInteropTest.awaitTrue(
          () -> r.size() == 30 && JsClientInteropTest.keys(js.dump()).size() == 30,
          "the initial documents cross");
      js.write("/js/live", "written after the sync started");
      long t0 = System.nanoTime();
      JsClientInteropTest.awaitTrue(
          () -> r.get("/js/live", js.author).isPresent(), "a new JS document arrives");
      org.junit.jupiter.api.Assertions.assertTrue(JsClientInteropTest.withinSeconds(t0, 3));
      r.set(author, share.secret(), "/java/live", "written by Java", null, null);
      t0 = System.nanoTime();
      JsClientInteropTest.awaitTrue(
          () -> JsClientInteropTest.keys(js.dump()).equals(JsClientInteropTest.keys(r)),
          "the new Java document reaches the JS server");
      org.junit.jupiter.api.Assertions.assertTrue(JsClientInteropTest.withinSeconds(t0, 3));
      Thread.sleep(12_000);
      js.write("/js/later", "still connected");
      JsClientInteropTest.awaitTrue(
          () -> r.get("/js/later", js.author).isPresent(), "the sync survives idle time");
      org.junit.jupiter.api.Assertions.assertFalse(h.done().isDone());
      h.cancel();
    }
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
