package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import nodenogg.persistence.CheckReport;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files and rows: typed errors that name the document; the other documents still load. */
class DamageTest {

  @TempDir Path dir;

  private static final StoreOptions OPTS = StoreOptions.defaults().withoutAutoCompaction();

  private static String big(char c, int n) {
    char[] a = new char[n];
    Arrays.fill(a, c);
    return new String(a);
  }

  private void seed(Path db) {
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db, OPTS)) {
      for (int i = 0; i < 5; i++) {
        store.append("good", TestUpdates.text(1, i, "g"));
      }
      store.flush().join(); // good's rows land on earlier pages than bad's
      for (int i = 0; i < 5; i++) {
        store.append("bad", TestUpdates.text(2, i * 6000L, "MARK" + big((char) ('p' + i), 5996)));
      }
      store.flush().join();
    }
  }

  @Test
  void rowWithChangedBytesIsReportedForItsDocumentOnly() throws Exception {
    Path db = dir.resolve("s.db");
    seed(db);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "UPDATE updates SET data = zeroblob(length(data)) WHERE seq = 3 AND doc_id = (SELECT id FROM documents WHERE name = 'bad')");
    }
    assertOnlyBadIsDamaged(db, "CRC-32");
  }

  @Test
  void bitRotInThePayloadOnDiskIsCaughtByTheChecksum() throws Exception {
    Path db = dir.resolve("s.db");
    seed(db);
    byte[] file = Files.readAllBytes(db);
    int at = indexOf(file, "MARKr".getBytes(StandardCharsets.US_ASCII));
    assertTrue(at > 0, "payload found in the file");
    file[at + 100] ^= 0x01; // one flipped bit inside row 3's text
    Files.write(db, file);
    assertOnlyBadIsDamaged(db, "CRC-32");
  }

  @Test
  void brokenPagePointerIsReportedAsCorruptionOfThatDocument() throws Exception {
    Path db = dir.resolve("s.db");
    seed(db);
    byte[] file = Files.readAllBytes(db);
    int pageSize = ((file[16] & 0xff) << 8) | (file[17] & 0xff);
    // the start of row 3's text sits in a table b-tree leaf page; an invalid page-type byte makes
    // SQLite report SQLITE_CORRUPT when a read reaches that page
    int at = indexOf(file, ("MARKr" + big('r', 100)).getBytes(StandardCharsets.US_ASCII));
    int header = (at / pageSize) * pageSize;
    assertEquals(0x0d, file[header], "a table leaf page");
    file[header] = 0x00;
    Files.write(db, file);
    assertOnlyBadIsDamaged(db, "");
  }

  private static void assertOnlyBadIsDamaged(Path db, String detail) {
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db, OPTS)) {
      CorruptDocumentException e =
          assertThrows(CorruptDocumentException.class, () -> store.load("bad"));
      assertEquals("bad", e.documentName());
      assertTrue(
          e.getMessage().contains("'bad'") && e.getMessage().contains(detail), e.getMessage());
      assertEquals(5, store.load("good").size(), "the other document still loads");
      CheckReport report = store.check();
      assertFalse(report.ok());
      assertEquals(
          List.of("bad"), List.copyOf(report.damagedDocuments().keySet()), report.toString());
      // and the store keeps accepting writes for the healthy document
      assertTrue(store.append("good", TestUpdates.text(1, 5, "g")).join() > 0);
    }
  }

  @Test
  void garbageFileGivesATypedErrorAtOpen() throws Exception {
    Path db = dir.resolve("garbage.db");
    byte[] junk = new byte[8192];
    new Random(7).nextBytes(junk);
    Files.write(db, junk);
    StoreException e = assertThrows(StoreException.class, () -> SqliteUpdateStore.open(db));
    assertTrue(e.getMessage().contains("not a readable SQLite database"), e.getMessage());
  }

  @Test
  void foreignDatabaseAndNewerSchemaAreRefused() throws Exception {
    Path foreign = dir.resolve("foreign.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE something (x)");
    }
    StoreException e = assertThrows(StoreException.class, () -> SqliteUpdateStore.open(foreign));
    assertTrue(e.getMessage().contains("not an update store"), e.getMessage());

    Path newer = dir.resolve("newer.db");
    SqliteUpdateStore.open(newer).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer);
        Statement st = c.createStatement()) {
      st.execute("UPDATE schema_version SET version = 99");
    }
    e = assertThrows(StoreException.class, () -> SqliteUpdateStore.open(newer));
    assertTrue(
        e.getMessage().contains("schema version 99") && e.getMessage().contains("newer"),
        e.getMessage());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
