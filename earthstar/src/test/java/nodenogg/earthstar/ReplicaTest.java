package nodenogg.earthstar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaTest {
  private final AuthorKeypair suzy = AuthorKeypair.generate("suzy");
  private final AuthorKeypair bob = AuthorKeypair.generate("bobb");
  private final ShareKeypair share = ShareKeypair.generate("test");
  private final long t0 = Es5.nowMicros();

  private EsDocument doc(AuthorKeypair a, String path, String text, long ts) {
    return Es5.write(a, share.shareAddress(), share.secret(), path, text, ts, null, null);
  }

  @Test
  void lastWriterWinsPerPathAndAuthorInAnyOrder() {
    List<EsDocument> docs = new ArrayList<>();
    docs.add(doc(suzy, "/note", "one", t0));
    docs.add(doc(suzy, "/note", "two", t0 + 10));
    docs.add(doc(bob, "/note", "bob's", t0 + 5));
    EsDocument tieA = doc(bob, "/tie", "a", t0);
    EsDocument tieB = doc(bob, "/tie", "b", t0);
    docs.add(tieA);
    docs.add(tieB);
    EsDocument tieWinner = tieA.signature().compareTo(tieB.signature()) < 0 ? tieA : tieB;
    Random rnd = new Random(1);
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(docs, rnd);
      Replica r = EarthstarStorage.inMemory().replica(share.shareAddress());
      for (EsDocument d : docs) {
        assertFalse(r.ingest(d, "peer").outcome() == IngestResult.Outcome.INVALID);
      }
      assertEquals("two", r.get("/note", suzy.address()).orElseThrow().text());
      assertEquals("bob's", r.get("/note", bob.address()).orElseThrow().text());
      assertEquals("two", r.latest("/note").orElseThrow().text());
      assertEquals(tieWinner, r.get("/tie", bob.address()).orElseThrow());
      assertEquals(3, r.size());
      assertEquals(IngestResult.Outcome.ALREADY_HAD, r.ingest(tieWinner, "x").outcome());
    }
  }

  @Test
  void queriesByPrefixAndAuthorAndLatest() throws Exception {
    Replica r = EarthstarStorage.inMemory().replica(share.shareAddress());
    r.ingest(doc(suzy, "/a/1", "s1", t0), "p");
    r.ingest(doc(bob, "/a/1", "b1", t0 + 1), "p");
    r.ingest(doc(suzy, "/a/2", "s2", t0), "p");
    r.ingest(doc(suzy, "/b/1", "x", t0), "p");
    assertEquals(
        List.of("b1", "s1", "s2"),
        r.query(Query.pathPrefix("/a/")).stream().map(EsDocument::text).toList());
    assertEquals(
        List.of("b1", "s2"),
        r.query(Query.pathPrefix("/a/").latest()).stream().map(EsDocument::text).toList());
    assertEquals(
        List.of("s1", "s2", "x"),
        r.query(Query.all().byAuthor(suzy.address())).stream().map(EsDocument::text).toList());
    IngestResult w = r.set(suzy, share.secret(), "/a/1", "newest", null, null);
    assertTrue(
        w.doc().timestamp() > t0 + 1, "a local write wins over the newest version at the path");
    assertEquals("newest", r.latest("/a/1").orElseThrow().text());
  }

  @Test
  void invalidDocumentsAreNeverStored() {
    Replica r = EarthstarStorage.inMemory().replica(share.shareAddress());
    ShareKeypair other = ShareKeypair.generate("other");
    EsDocument foreign =
        Es5.write(suzy, other.shareAddress(), other.secret(), "/x", "x", t0, null, null);
    assertEquals(Rejection.WRONG_SHARE, r.ingest(foreign, "p").reason());
    EsDocument good = doc(suzy, "/x", "x", t0);
    assertEquals(
        Rejection.BAD_SIGNATURE,
        r.ingest(good.withSignatures(bob.sign(good.hash()), good.shareSignature()), "p").reason());
    assertEquals(
        Rejection.FUTURE_TIMESTAMP,
        r.ingest(doc(suzy, "/x", "x", t0 + 3_600_000_000L), "p").reason());
    assertEquals(0, r.size());
  }

  @Test
  void ephemeralDocumentsExpire() throws Exception {
    AtomicLong now = new AtomicLong(t0);
    Replica r = EarthstarStorage.inMemory(now::get).replica(share.shareAddress());
    List<EsDocument> expired = new ArrayList<>();
    r.addListener(
        new ReplicaListener() {
          @Override
          public void onExpired(EsDocument doc) {
            expired.add(doc);
          }
        });
    r.set(suzy, share.secret(), "/presence/!here", "yes", t0 + 1_000_000, null);
    assertTrue(r.latest("/presence/!here").isPresent());
    now.addAndGet(2_000_000);
    assertTrue(r.latest("/presence/!here").isEmpty(), "an expired document is never returned");
    assertEquals(0, r.snapshot().size());
    assertEquals(1, r.pruneExpired());
    assertEquals(0, r.size());
    assertEquals(1, expired.size());
  }

  @Test
  void attachmentsAreCheckedAgainstTheirDocument() throws Exception {
    Replica r = EarthstarStorage.inMemory().replica(share.shareAddress());
    byte[] bytes = "attachment bytes".getBytes();
    EsDocument d =
        Es5.write(suzy, share.shareAddress(), share.secret(), "/f.txt", "a file", t0, null, bytes);
    assertTrue(r.ingest(d, "p").accepted());
    assertFalse(r.hasAttachment(d));
    InvalidDocumentException e =
        assertThrows(
            InvalidDocumentException.class,
            () -> r.ingestAttachment(d, "other bytes of some len".getBytes(), "p"));
    assertEquals(Rejection.ATTACHMENT_MISMATCH, e.reason());
    assertFalse(r.hasAttachment(d));
    r.ingestAttachment(d, bytes, "p").join();
    assertArrayEquals(bytes, r.attachment(d).orElseThrow());
  }

  @Test
  void sqliteKeepsDocumentsAndAttachmentsAcrossReopen(@TempDir Path dir) throws Exception {
    byte[] bytes = new byte[100_000];
    new Random(2).nextBytes(bytes);
    EsDocument withFile;
    try (EarthstarStorage s = EarthstarStorage.open(dir)) {
      Replica r = s.replica(share.shareAddress());
      List<java.util.concurrent.CompletableFuture<Void>> commits = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        commits.add(r.ingest(doc(suzy, "/n/" + i, "text " + i, t0 + i), "p").committed());
      }
      withFile = r.set(bob, share.secret(), "/f.bin", "file", null, bytes).doc();
      r.ingest(doc(suzy, "/n/0", "newer", t0 + 1000), "p").committed().join();
      commits.forEach(java.util.concurrent.CompletableFuture::join);
    }
    try (EarthstarStorage s = EarthstarStorage.open(dir)) {
      Replica r = s.replica(share.shareAddress());
      assertEquals(201, r.size());
      assertEquals("newer", r.get("/n/0", suzy.address()).orElseThrow().text());
      assertEquals("text 199", r.get("/n/199", suzy.address()).orElseThrow().text());
      assertArrayEquals(bytes, r.attachment(withFile).orElseThrow());
      assertEquals(List.of(share.shareAddress()), s.shares());
    }
  }
}
