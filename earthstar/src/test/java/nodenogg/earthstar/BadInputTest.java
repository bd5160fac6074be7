package nodenogg.earthstar;

import static nodenogg.earthstar.testing.EarthstarJs.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nodenogg.earthstar.internal.Xxh64;
import nodenogg.earthstar.testing.RawSocket;
import nodenogg.earthstar.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Every kind of invalid document, pushed by a raw WebSocket client inside a real sync: none is
 * stored or relayed, each is counted with its reason, and the sync still finishes. Malformed
 * frames, unknown kinds, oversized frames and silence close that connection only.
 */
class BadInputTest {
  private final ShareKeypair share = ShareKeypair.generate("test");
  private final AuthorKeypair mallory = AuthorKeypair.generate("mall");
  private final AuthorKeypair alice = AuthorKeypair.generate("alic");

  private static String thumb(EsDocument d) {
    return d.timestamp() + " " + Xxh64.hex(Xxh64.hash(d.path() + " " + d.author()));
  }

  private ObjectNode event(String kind) {
    return JSON.createObjectNode().put("kind", kind).put("to", share.shareAddress());
  }

  @Test
  void invalidDocumentsAreRefusedCountedAndTheSyncFinishes() throws Exception {
    long now = Es5.nowMicros();
    String s = share.shareAddress();
    String sec = share.secret();
    ShareKeypair other = ShareKeypair.generate("other");
    Map<Rejection, EsDocument> bad = new LinkedHashMap<>();
    EsDocument good = Es5.write(mallory, s, sec, "/ok", "valid", now, null, null);
    EsDocument forged = Es5.write(mallory, s, sec, "/forged", "x", now, null, null);
    bad.put(
        Rejection.BAD_SIGNATURE,
        forged.withSignatures(alice.sign(forged.hash()), forged.shareSignature()));
    bad.put(
        Rejection.BAD_SHARE_SIGNATURE,
        Es5.write(mallory, s, other.secret(), "/bs", "x", now, null, null));
    bad.put(
        Rejection.WRONG_SHARE,
        Es5.write(mallory, other.shareAddress(), other.secret(), "/ws", "x", now, null, null));
    bad.put(
        Rejection.TEXT_TOO_LONG,
        Es5.write(mallory, s, sec, "/long", "é".repeat(4001), now, null, null));
    bad.put(
        Rejection.NO_WRITE_PERMISSION,
        Es5.write(mallory, s, sec, "/~" + alice.address() + "/x", "x", now, null, null));
    bad.put(
        Rejection.FUTURE_TIMESTAMP,
        Es5.write(mallory, s, sec, "/future", "x", now + 3_600_000_000L, null, null));
    bad.put(
        Rejection.EXPIRED,
        Es5.write(mallory, s, sec, "/gone!", "x", now - 20_000_000, now - 10_000_000, null));
    bad.put(Rejection.EXTENSION, Es5.write(mallory, s, sec, "/photo.jpg", "x", now, null, null));
    EsDocument withFile =
        Es5.write(mallory, s, sec, "/file.bin", "a file", now, null, new byte[] {1, 2, 3, 4});
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
        EarthstarPeer peer = new EarthstarPeer(storage, List.of(s), SyncLimits.defaults());
        TestServer server = new TestServer(peer);
        RawSocket raw = new RawSocket("ws://127.0.0.1:" + server.port() + "/earthstar//once")) {
      JsonNode disclose = raw.next("DISCLOSE", 10);
      String serverId = disclose.get("syncerId").asText();
      String salt = "42";
      ObjectNode d =
          JSON.createObjectNode()
              .put("kind", "DISCLOSE")
              .put("salt", salt)
              .put("syncerId", "99999999");
      d.putArray("shares").add(Keys.sha256Base32(salt + s + salt));
      d.putArray("formats").add("es.5");
      d.put("canRespond", false);
      raw.send(d.toString());
      // we start reconciling: name every document, the server wants each
      List<EsDocument> offered = new ArrayList<>(bad.values());
      offered.add(good);
      offered.add(withFile);
      List<String> thumbs =
          offered.stream().map(BadInputTest::thumb).sorted(BadInputTest::compareThumbs).toList();
      ObjectNode lb =
          JSON.createObjectNode().put("type", "LOWER_BOUND").put("value", thumbs.get(0));
      raw.send(event("RANGE_MSG").set("message", lb).toString());
      for (int i = 0; i < thumbs.size(); i++) {
        ObjectNode p = JSON.createObjectNode().put("type", "PAYLOAD").put("payload", thumbs.get(i));
        if (i == thumbs.size() - 1) {
          p.putObject("end").put("upperBound", thumbs.get(0)).put("canRespond", true);
        }
        raw.send(event("RANGE_MSG").set("message", p).toString());
      }
      raw.send(
          event("RANGE_MSG")
              .set("message", JSON.createObjectNode().put("type", "TERMINAL"))
              .toString());
      Map<String, EsDocument> byThumb = new LinkedHashMap<>();
      offered.forEach(x -> byThumb.put(thumb(x), x));
      for (int i = 0; i < offered.size(); i++) {
        String t = raw.next("WANT", 10).get("thumbnail").asText();
        EsDocument doc = byThumb.get(t);
        ObjectNode docMsg = event("DOC").put("thumbnail", t).put("attachmentHeld", doc == withFile);
        docMsg.set("doc", JSON.readTree(doc.toJson()));
        raw.send(docMsg.toString());
      }
      // the document with an attachment: the server asks us to upload it; we send the wrong bytes
      JsonNode wantAtt = raw.next("WANT_ATTACHMENT", 10);
      assertEquals(withFile.attachmentHash(), wantAtt.get("attachmentHash").asText());
      try (RawSocket upload =
          new RawSocket(
              "ws://127.0.0.1:"
                  + server.port()
                  + "/earthstar//"
                  + serverId
                  + "/upload/"
                  + s
                  + "/es.5/"
                  + mallory.address()
                  + "/file.bin")) {
        upload.sendBinary(new byte[] {9, 9, 9, 9});
        upload.closed.get(10, TimeUnit.SECONDS);
      }
      raw.next("FULFILLED", 10);
      raw.send(event("FULFILLED").toString());
      raw.send(JSON.createObjectNode().put("kind", "SYNCER_FULFILLED").toString());
      raw.next("SYNCER_FULFILLED", 10);
      assertEquals(
          1000, raw.closed.get(10, TimeUnit.SECONDS), "the server ends a finished sync normally");
      Replica r = peer.replica(s);
      assertEquals(2, r.size(), "only the valid documents are stored");
      assertTrue(r.get("/ok", mallory.address()).isPresent());
      assertTrue(r.get("/file.bin", mallory.address()).isPresent());
      assertFalse(r.hasAttachment(withFile), "mismatching attachment bytes are not stored");
      Map<String, Long> rejected = peer.stats().rejected();
      for (Rejection reason : bad.keySet()) {
        assertEquals(1L, rejected.get(reason.code()), reason + " counted once: " + rejected);
      }
      assertEquals(
          1L,
          rejected.get(Rejection.ATTACHMENT_MISMATCH.code()),
          "attachment mismatch counted: " + rejected);
      assertEquals(1L, peer.stats().syncsCompleted());
    }
  }

  private static int compareThumbs(String a, String b) {
    String[] x = a.split(" ");
    String[] y = b.split(" ");
    int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
    return c != 0 ? c : x[1].compareTo(y[1]);
  }

  @Test
  void malformedFramesCloseOnlyThatConnection() throws Exception {
    SyncLimits limits = SyncLimits.defaults().withSilenceTimeoutMillis(2_000);
    try (EarthstarStorage storage = EarthstarStorage.inMemory();
        EarthstarPeer peer = new EarthstarPeer(storage, List.of(share.shareAddress()), limits);
        TestServer server = new TestServer(peer)) {
      peer.replica(share.shareAddress()).set(alice, share.secret(), "/hello", "hi", null, null);
      String url = "ws://127.0.0.1:" + server.port() + "/earthstar//once";
      // a bystander that stays connected (sends heartbeats) through all of it
      try (RawSocket bystander = new RawSocket(url.replace("once", "continuous"))) {
        bystander.next("DISCLOSE", 10);
        Thread heart =
            new Thread(
                () -> {
                  try {
                    while (true) {
                      bystander.send("{\"kind\":\"HEARTBEAT\"}");
                      Thread.sleep(500);
                    }
                  } catch (Exception e) {
                    // closed
                  }
                });
        heart.setDaemon(true);
        heart.start();
        String[] frames = {
          "not json",
          "{\"kind\":\"NOPE\"}",
          "[1,2]",
          "{\"kind\":\"DISCLOSE\"}",
          "{\"kind\":\"RANGE_MSG\",\"to\":\""
              + share.shareAddress()
              + "\",\"message\":{\"type\":\"BOGUS\"}}",
          "{\"kind\":\"HEARTBEAT\",\"pad\":\"" + "x".repeat(2 << 20) + "\"}"
        };
        for (String f : frames) {
          try (RawSocket s = new RawSocket(url)) {
            s.next("DISCLOSE", 10);
            if (f.startsWith("{\"kind\":\"RANGE_MSG\"")) {
              String salt = "1";
              ObjectNode d =
                  JSON.createObjectNode()
                      .put("kind", "DISCLOSE")
                      .put("salt", salt)
                      .put("syncerId", "1");
              d.putArray("shares").add(Keys.sha256Base32(salt + share.shareAddress() + salt));
              d.putArray("formats").add("es.5");
              d.put("canRespond", false);
              s.send(d.toString());
            }
            s.send(f);
            int code = s.closed.get(10, TimeUnit.SECONDS);
            assertTrue(
                code == 1008 || code == 1009,
                f.substring(0, Math.min(40, f.length())) + " closed with " + code);
          }
        }
        try (RawSocket silent = new RawSocket(url)) {
          silent.next("DISCLOSE", 10);
          long t0 = System.nanoTime();
          assertEquals(1008, silent.closed.get(10, TimeUnit.SECONDS), "a silent peer is dropped");
          assertTrue(System.nanoTime() - t0 > 1_500_000_000L);
        }
        assertFalse(bystander.closed.isDone(), "the other connection is untouched");
      }
      Map<String, Long> closed = peer.stats().connectionsClosed();
      assertTrue(
          closed.get("malformed_json") >= 1
              && closed.get("unknown_kind") >= 1
              && closed.get("silence") >= 1
              && closed.get("oversized_frame") >= 1
              && closed.get("malformed_message") >= 1,
          closed.toString());
      // and a real sync still works
      try (EarthstarStorage other = EarthstarStorage.inMemory();
          EarthstarPeer client =
              new EarthstarPeer(other, List.of(share.shareAddress()), SyncLimits.defaults())) {
        client.sync(server.url(), SyncMode.ONCE).done().get(30, TimeUnit.SECONDS);
        assertEquals(1, client.replica(share.shareAddress()).size());
      }
    }
  }
}
