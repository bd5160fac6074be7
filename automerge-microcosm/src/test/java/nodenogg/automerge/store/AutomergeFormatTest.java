package nodenogg.automerge.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import nodenogg.automerge.AutomergeDocument;
import nodenogg.automerge.internal.ChangeOps;
import nodenogg.automerge.internal.Chunks;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.InvalidUpdateException;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import org.automerge.ChangeHash;
import org.automerge.Document;
import org.automerge.ObjectId;
import org.automerge.ObjectType;
import org.automerge.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutomergeFormatTest {

  /** Each change of a little editing session, as encoded changes (what a microcosm appends). */
  static List<byte[]> session(Document d, int n, long seed) {
    Random r = new Random(seed);
    List<byte[]> out = new ArrayList<>();
    ObjectId text;
    ChangeHash[] h = d.getHeads();
    try (Transaction tx = d.startTransaction()) {
      text = tx.set(ObjectId.ROOT, "t" + seed, ObjectType.TEXT);
      tx.commit();
    }
    out.add(d.encodeChangesSince(h));
    for (int i = 0; i < n; i++) {
      h = d.getHeads();
      try (Transaction tx = d.startTransaction()) {
        long len = tx.text(text).orElse("").codePoints().count();
        tx.spliceText(text, r.nextInt((int) len + 1), 0, i % 7 == 0 ? "x".repeat(600) : "ab😀");
        tx.set(ObjectId.ROOT, "k" + r.nextInt(5), r.nextDouble());
        tx.commit();
      }
      out.add(d.encodeChangesSince(h));
    }
    return out;
  }

  @Test
  void chunkHashesAreTheLibrarysHeads() {
    Document d = new Document();
    for (byte[] u : session(d, 30, 1)) {
      List<Chunks.Chunk> chunks = Chunks.read(u);
      assertEquals(1, chunks.size());
    }
    byte[] all = d.encodeChangesSince(new ChangeHash[0]);
    AutomergeHeads heads = (AutomergeHeads) AutomergeFormat.INSTANCE.check(all);
    assertEquals(AutomergeFormat.hex(d.getHeads()), AutomergeFormat.headsOf(heads.version()));
    AutomergeHeads saved = (AutomergeHeads) AutomergeFormat.INSTANCE.check(d.save());
    assertEquals(AutomergeFormat.hex(d.getHeads()), AutomergeFormat.headsOf(saved.version()));
    d.free();
  }

  @Test
  void theCheckRefusesWhatIsNotWholeAutomergeDataAndAcceptsIncrementalChanges() {
    Document d = new Document();
    List<byte[]> changes = session(d, 3, 2);
    byte[] first = changes.get(0);
    byte[] second = changes.get(1);
    AutomergeFormat f = AutomergeFormat.INSTANCE;
    f.check(new byte[0]);
    f.check(
        second); // depends on `first`, which is not in the bytes: fine for an incremental update
    f.check(concat(d.save(), second));
    assertThrows(InvalidUpdateException.class, () -> f.check(new byte[] {1, 2, 3}));
    assertThrows(
        InvalidUpdateException.class,
        () -> f.check(concat(first, new byte[] {7})),
        "trailing bytes");
    assertThrows(
        InvalidUpdateException.class,
        () -> f.check(Arrays.copyOf(first, first.length - 1)),
        "truncated");
    byte[] badSum = first.clone();
    badSum[5] ^= 1;
    assertThrows(InvalidUpdateException.class, () -> f.check(badSum), "checksum");
    byte[] badType = first.clone();
    badType[8] = 9;
    assertThrows(InvalidUpdateException.class, () -> f.check(badType), "chunk type");
    d.free();
  }

  /**
   * Mutants of real updates: whatever the check accepts, a document applies without error and the
   * bytes' change reader understands; whatever it refuses leaves a document unchanged. (The JVM
   * surviving every mutant is part of the proof: the library is native code.)
   */
  @Test
  void mutantsAreEitherAppliedOrRefusedCleanly() {
    Document src = new Document();
    List<byte[]> seeds = new ArrayList<>(session(src, 12, 3));
    seeds.add(src.save());
    src.free();
    Random r = new Random(42);
    int accepted = 0;
    int refused = 0;
    try (AutomergeDocument target = AutomergeDocument.create()) {
      for (int i = 0; i < 20000; i++) {
        byte[] m = mutate(seeds.get(r.nextInt(seeds.size())), r);
        ChangeHash[] before = target.heads();
        boolean ok;
        try {
          AutomergeFormat.INSTANCE.check(m);
          ok = true;
        } catch (InvalidUpdateException e) {
          ok = false;
        }
        if (ok) {
          accepted++;
          ChangeOps.read(m);
          try {
            target.applyChanges(m, "mutant");
          } catch (InvalidUpdateException e) {
            // well-formed but contradicting the target (same actor and seq as a change it holds):
            // refused whole
            assertArrayEquals(
                before, target.heads(), "a refused update changes nothing: " + e.getMessage());
          }
        } else {
          refused++;
          assertThrows(InvalidUpdateException.class, () -> target.applyChanges(m, "mutant"));
          assertArrayEquals(before, target.heads(), "a refused update changes nothing");
        }
      }
    }
    System.out.println(
        "automerge format mutants: " + accepted + " accepted, " + refused + " refused, 0 crashes");
    assertTrue(refused > 5000 && accepted > 0);
  }

  private static byte[] mutate(byte[] b, Random r) {
    byte[] m = b.clone();
    switch (r.nextInt(5)) {
      case 0 -> m[r.nextInt(m.length)] ^= (byte) (1 << r.nextInt(8));
      case 1 -> {
        return Arrays.copyOf(m, r.nextInt(m.length));
      }
      case 2 -> {
        int at = 9 + r.nextInt(Math.max(1, m.length - 9));
        if (at < m.length) {
          m[at] = (byte) r.nextInt(256);
        }
      }
      case 3 -> {
        return concat(m, new byte[] {(byte) r.nextInt(256)});
      }
      default -> {
        // a mutant whose checksum is right again: damage the body, then recompute the header's
        // checksum
        int at = 12 + r.nextInt(Math.max(1, m.length - 12));
        if (at < m.length) {
          m[at] ^= (byte) (1 + r.nextInt(255));
          fixChecksum(m);
        }
      }
    }
    return m;
  }

  /** Recomputes the checksum of a single uncompressed chunk (type, length, body). */
  private static void fixChecksum(byte[] m) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      sha.update(m, 8, m.length - 8);
      byte[] h = sha.digest();
      System.arraycopy(h, 0, m, 4, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private void storeRoundTrip(UpdateStore store) throws Exception {
    Document d = new Document();
    List<byte[]> changes = session(d, 20, 4);
    for (byte[] u : changes) {
      store.append("doc", u).get(10, TimeUnit.SECONDS);
    }
    assertEquals(AutomergeFormat.hex(d.getHeads()), AutomergeFormat.headsOf(store.version("doc")));
    assertThrows(
        Exception.class, () -> store.append("doc", new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS));
    assertEquals(changes.size(), store.load("doc").size(), "a refused update is not stored");
    assertEquals(1, store.compact("doc").orElseThrow().updateCount());
    try (AutomergeDocument back = AutomergeDocument.load(store.loadState("doc").orElseThrow())) {
      assertEquals(AutomergeFormat.hex(d.getHeads()), AutomergeFormat.hex(back.heads()));
      assertArrayEquals(d.save(), back.save());
    }
    assertTrue(store.check().ok(), store.check().toString());
    d.free();
  }

  @Test
  void inMemoryStore() throws Exception {
    try (UpdateStore s = new InMemoryUpdateStore(AutomergeFormat.INSTANCE)) {
      storeRoundTrip(s);
    }
  }

  @Test
  void sqliteStoreAsASecondFormatOfTheFile(@TempDir Path dir) throws Exception {
    try (SqliteUpdateStore yjs = SqliteUpdateStore.openDirectory(dir)) {
      storeRoundTrip(yjs.withFormat(AutomergeFormat.INSTANCE));
      assertTrue(yjs.list().isEmpty(), "the Yjs view does not list Automerge documents");
    }
    try (SqliteUpdateStore again = SqliteUpdateStore.openDirectory(dir)) {
      UpdateStore am = again.withFormat(AutomergeFormat.INSTANCE);
      assertEquals(List.of("doc"), am.list());
      assertFalse(am.load("doc").isEmpty());
    }
  }

  @Test
  void aChangeWhoseDependencyWasNeverStoredSurvivesCompaction() throws Exception {
    Document d = new Document();
    List<byte[]> changes = session(d, 2, 5);
    try (UpdateStore s = new InMemoryUpdateStore(AutomergeFormat.INSTANCE)) {
      s.append("doc", changes.get(0)).get();
      s.append("doc", changes.get(2)).get(); // changes.get(1) never arrives
      s.compact("doc");
      try (AutomergeDocument back = AutomergeDocument.load(s.loadState("doc").orElseThrow())) {
        back.applyChanges(changes.get(1), "late");
        assertEquals(
            AutomergeFormat.hex(d.getHeads()),
            AutomergeFormat.hex(back.heads()),
            "the pending change was kept and applies once its dependency arrives");
      }
    }
    d.free();
  }
}
