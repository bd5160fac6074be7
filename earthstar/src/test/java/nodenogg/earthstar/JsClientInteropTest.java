package nodenogg.earthstar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import nodenogg.earthstar.testing.JsPeer;
import nodenogg.earthstar.testing.TestServer;
import org.junit.jupiter.api.Test;

/** The real earthstar {@code Peer.sync()} (Node) against our server side. */
class JsClientInteropTest {
  static final byte[] JS_FILE =
      "attachment written by the JS peer, with some bytes: \u0001\u0002".getBytes();
  static final byte[] JAVA_FILE = new byte[200_000];

  static {
    new java.util.Random(5).nextBytes(JAVA_FILE);
  }

  static Set<String> keys(JsonNode docs) {
    Set<String> out = new TreeSet<>();
    docs.forEach(
        d ->
            out.add(
                d.get("path").asText()
                    + " "
                    + d.get("author").asText()
                    + " "
                    + d.get("timestamp").asLong()
                    + " "
                    + d.get("signature").asText()));
    return out;
  }

  static Set<String> keys(Replica r) {
    Set<String> out = new TreeSet<>();
    for (EsDocument d : r.query(Query.all())) {
      out.add(d.path() + " " + d.author() + " " + d.timestamp() + " " + d.signature());
    }
    return out;
  }

  static void seedJava(Replica r, AuthorKeypair a, ShareKeypair share, int n, boolean extras)
      throws Exception {
    for (int i = 0; i < n; i++) {
      r.set(a, share.secret(), "/java/" + i, "java text " + i, null, null);
    }
    if (extras) {
      r.set(a, share.secret(), "/java/file.bin", "a java attachment", null, JAVA_FILE);
      r.set(a, share.secret(), "/java/!presence", "here", Es5.nowMicros() + 600_000_000L, null);
    }
  }

  static void seedJs(JsPeer js, int n, boolean extras) throws Exception {
    if (n > 0) {
      js.seed(n, "/js/");
    }
    if (extras) {
      js.call(
          JsPeer.cmd("write")
              .put("path", "/js/file.txt")
              .put("text", "a js attachment")
              .put("attachment", Base64.getEncoder().encodeToString(JS_FILE)),
          30);
      js.call(
          JsPeer.cmd("write")
              .put("path", "/js/!typing")
              .put("text", "yes")
              .put("deleteAfter", Es5.nowMicros() + 600_000_000L),
          30);
    }
  }

  /**
   * Both sides hold the same versions; every document passes earthstar's validator; attachments
   * arrived.
   */
  static void assertSameAndValid(JsPeer js, Replica ours, boolean attachments) throws Exception {
    JsonNode docs = js.dump();
    assertEquals(keys(ours), keys(docs));
    for (JsonNode d : docs) {
      assertTrue(d.get("valid").isBoolean(), "earthstar validates " + d);
      if (attachments && d.has("attachmentHash")) {
        assertEquals(
            d.get("attachmentHash").asText(),
            d.path("attachmentBytesHash").asText(),
            "the JS peer holds the attachment of " + d.get("path"));
      }
    }
    if (attachments) {
      for (EsDocument d : ours.query(Query.all())) {
        if (d.hasAttachment()) {
          assertTrue(ours.attachment(d).isPresent(), "we hold the attachment of " + d.path());
        }
      }
    }
  }

  private void run(int javaDocs, int jsDocs, boolean extras, String fixedId) throws Exception {
    ShareKeypair share = ShareKeypair.generate("test");
    AuthorKeypair author = AuthorKeypair.generate("java");
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
        EarthstarPeer peer =
            new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults());
        TestServer server = new TestServer(peer);
        JsPeer js = JsPeer.client(share, null)) {
      peer.fixSyncerId(fixedId);
      Replica r = peer.replica(share.shareAddress());
      seedJava(r, author, share, javaDocs, extras);
      seedJs(js, jsDocs, extras);
      JsonNode res = js.syncOnce(server.url(), 120);
      assertTrue(
          res.path("synced").asBoolean(), "JS sync finished: " + res + "\n" + js.stderrTail());
      int expected = javaDocs + jsDocs + (extras ? 4 : 0);
      assertEquals(expected, r.size());
      assertSameAndValid(js, r, extras);
    }
  }

  @Test
  void jsClientSyncsOnceWithUsBothRoles() throws Exception {
    run(100, 150, true, "0"); // the JS client starts reconciling
    run(100, 150, true, "9999999"); // we start
  }

  @Test
  void thousandAgainstEightHundred() throws Exception {
    run(800, 1000, false, "0");
  }

  @Test
  void continuousCarriesNewDocumentsBothWaysWithinThreeSeconds() throws Exception {
    ShareKeypair share = ShareKeypair.generate("test");
    AuthorKeypair author = AuthorKeypair.generate("java");
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
        EarthstarPeer peer =
            new EarthstarPeer(storage, List.of(share.shareAddress()), SyncLimits.defaults());
        TestServer server = new TestServer(peer);
        JsPeer js = JsPeer.client(share, null)) {
      Replica r = peer.replica(share.shareAddress());
      seedJava(r, author, share, 20, false);
      seedJs(js, 10, false);
      js.syncContinuous(server.url());
      awaitTrue(() -> r.size() == 30, "the initial documents arrive");
      js.write("/js/live", "written after the sync started");
      long t0 = System.nanoTime();
      awaitTrue(() -> r.get("/js/live", js.author).isPresent(), "a new JS document arrives");
      assertTrue(JsClientInteropTest.withinSeconds(t0, 3));
      r.set(author, share.secret(), "/java/live", "written by Java", null, null);
      t0 = System.nanoTime();
      awaitTrue(() -> keys(js.dump()).equals(keys(r)), "the new Java document reaches the JS peer");
      assertTrue(JsClientInteropTest.withinSeconds(t0, 3));
      Thread.sleep(12_000); // longer than the 10 s silence timeout: heartbeats keep the sync open
      r.set(author, share.secret(), "/java/later", "still connected", null, null);
      awaitTrue(() -> keys(js.dump()).equals(keys(r)), "the sync survives idle time");
      assertEquals(1, peer.activeSyncs());
    }
  }

  /**
   * Whether {@code 3 s} (scaled by {@code -Dnodenogg.timeout.scale}, default 4, for loaded CI
   * machines: no bare wall-clock thresholds in tests) have not passed since {@code t0}; prints the
   * measured latency.
   */
  static boolean withinSeconds(long t0, int seconds) {
    long millis = (System.nanoTime() - t0) / 1_000_000;
    double scale = Double.parseDouble(System.getProperty("nodenogg.timeout.scale", "4"));
    System.out.println(
        "earthstar continuous latency: "
            + millis
            + " ms (bound "
            + seconds
            + " s x "
            + scale
            + ")");
    return millis <= seconds * 1000 * scale;
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void awaitTrue(Check c, String what) throws Exception {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!c.ok()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void emptyAndOneSided() throws Exception {
    run(0, 0, false, "0");
    run(0, 0, false, "9999999");
    run(0, 30, false, "0");
    run(30, 0, false, "9999999");
    run(30, 0, false, "0");
    run(0, 30, false, "9999999");
  }
}
