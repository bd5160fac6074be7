package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.yjs.DocBinding;
import nodenogg.persistence.yjs.YjsStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocBindingTest {

  @TempDir Path dir;

  private static void edit(Doc d, Random r, int n) {
    for (int i = 0; i < n; i++) {
      var t = d.getText("t");
      if (t.length() > 0 && r.nextInt(4) == 0) {
        int at = r.nextInt(t.length());
        t.delete(at, Math.min(2, t.length() - at));
      } else if (r.nextInt(5) == 0) {
        d.getMap("m").set("k" + r.nextInt(4), List.of(i, "v" + i));
      } else {
        t.insert(r.nextInt(t.length() + 1), "x" + i);
      }
    }
  }

  @Test
  void reopenedDocumentEqualsTheOneBeforeCloseByteForByte() {
    Doc original = new Doc(new Doc.Options().clientId(77));
    try (SqliteUpdateStore store =
            SqliteUpdateStore.openDirectory(dir, StoreOptions.defaults().withCompactionCount(40));
        DocBinding binding = YjsStorage.bind(store, original, "doc")) {
      edit(original, new Random(5), 300);
      binding.flush().join();
    }
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir)) {
      Doc reopened = new Doc();
      try (DocBinding b = YjsStorage.bind(store, reopened, "doc")) {
        assertArrayEquals(
            Updates.encodeStateAsUpdate(original), Updates.encodeStateAsUpdate(reopened));
        assertEquals(CompactionTest.json(original), CompactionTest.json(reopened));
        long rows = store.info("doc").orElseThrow().updateCount();
        b.flush().join();
        assertEquals(
            rows,
            store.info("doc").orElseThrow().updateCount(),
            "loading does not write the updates back");
        reopened.getText("t").insert(0, "more");
        b.flush().join();
        assertEquals(rows + 1, store.info("doc").orElseThrow().updateCount());
      }
    }
  }

  @Test
  void failedAppendsAreRetriedSoStoreAndDocDoNotDiverge() {
    Path db = dir.resolve("f.db");
    Doc doc = new Doc(new Doc.Options().clientId(31));
    FaultyConnection faults = FaultyConnection.random(9, 0.3);
    try (SqliteUpdateStore store =
            SqliteUpdateStore.open(db, StoreOptions.defaults().withCompactionCount(30), faults);
        DocBinding binding = YjsStorage.bind(store, doc, "doc")) {
      faults.arm();
      Random r = new Random(2);
      for (int i = 0; i < 200; i++) {
        edit(doc, r, 1);
        try {
          binding.flush().join(); // one commit per edit, so faults hit many commits
        } catch (RuntimeException expected) {
          // that commit (or a retry) failed; the binding keeps the update for the next attempt
        }
      }
      assertTrue(faults.injected.get() > 10, "faults were injected: " + faults.injected.get());
      faults.disarm();
      binding.flush().join(); // retries whatever failed; now everything is durable
      assertEquals(0, binding.pendingRetries());
    }
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db)) {
      Doc back = new Doc();
      YjsStorage.load(store, back, "doc");
      assertArrayEquals(Updates.encodeStateAsUpdate(doc), Updates.encodeStateAsUpdate(back));
    }
  }

  @Test
  void bindingStoresContentTheDocHadBeforeBinding() {
    Doc d = new Doc(new Doc.Options().clientId(5));
    d.getText("t").insert(0, "before");
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir);
        DocBinding b = YjsStorage.bind(store, d, "x")) {
      b.flush().join();
      Doc back = new Doc();
      YjsStorage.load(store, back, "x");
      assertEquals("before", back.getText("t").toString());
    }
  }

  @Test
  void damagedRowLeavesTheDocUntouched() throws Exception {
    Path db = dir.resolve("d.db");
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db)) {
      Doc d = new Doc();
      try (DocBinding b = YjsStorage.bind(store, d, "x")) {
        edit(d, new Random(1), 10);
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      // a row whose checksum matches but whose bytes are not an update (e.g. written by a buggy
      // tool)
      st.executeUpdate(
          "UPDATE updates SET data = x'05', crc32 = " + crc(new byte[] {5}) + " WHERE seq = 4");
    }
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db)) {
      Doc d = new Doc();
      CorruptDocumentException e =
          assertThrows(CorruptDocumentException.class, () -> YjsStorage.load(store, d, "x"));
      assertEquals("x", e.documentName());
      assertEquals(Map.of(), d.toJSON());
      assertTrue(e.getMessage().contains("#4"), e.getMessage());
    }
  }

  private static long crc(byte[] b) {
    java.util.zip.CRC32 c = new java.util.zip.CRC32();
    c.update(b);
    return c.getValue();
  }
}
