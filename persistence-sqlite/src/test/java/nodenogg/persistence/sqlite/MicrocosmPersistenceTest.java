package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.HtmlData;
import nodenogg.persistence.CorruptDocumentException;
import nodenogg.persistence.sqlite.internal.StoreHooks;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A microcosm kept in the SQLite store: reopened from disk, it has the same entities. */
class MicrocosmPersistenceTest {

  @TempDir Path dir;

  private static YMicrocosm open(String id, SqliteUpdateStore p) {
    return YMicrocosm.open(id, MicrocosmOptions.defaults().persistence(p));
  }

  @Test
  void reopenedMicrocosmHasTheSameEntities() {
    Map<EntityLocation, Entity> before;
    try (SqliteUpdateStore p = SqliteUpdateStore.openDirectory(dir);
        YMicrocosm m = open("garden", p)) {
      m.identify("@alice00000000001");
      List<Entity> made =
          m.create(
              List.of(
                  HtmlData.note(0, 0, "<p>one</p>"),
                  HtmlData.note(220, 0, "<p>two</p>"),
                  HtmlData.note(440, 0, "<p>three</p>")));
      m.delete(List.of(made.get(1).id()));
      m.identify("@bob0000000000001");
      m.create(HtmlData.note(0, 300, "<p>bob</p>"));
      m.drainEvents();
      before = m.entities();
      assertEquals(3, before.size());
    }
    try (SqliteUpdateStore p = SqliteUpdateStore.openDirectory(dir);
        YMicrocosm m = open("garden", p);
        YMicrocosm other = open("elsewhere", p)) {
      m.drainEvents();
      assertEquals(before, m.entities());
      assertEquals(Map.of(), other.entities(), "microcosms are separate documents");
      assertTrue(p.list().contains("garden"));
    }
  }

  @Test
  void damagedMicrocosmFailsToOpenWithTheDocumentNamed() throws Exception {
    Path db = SqliteUpdateStore.databaseFile(dir);
    try (SqliteUpdateStore p = SqliteUpdateStore.openDirectory(dir);
        YMicrocosm m = open("broken", p)) {
      m.identify("@alice00000000001");
      m.create(HtmlData.note(0, 0, "<p>x</p>"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE updates SET crc32 = crc32 + 1");
    }
    try (SqliteUpdateStore p = SqliteUpdateStore.openDirectory(dir)) {
      CorruptDocumentException e =
          assertThrows(CorruptDocumentException.class, () -> open("broken", p));
      assertEquals("broken", e.documentName());
    }
  }

  /**
   * Issue 14: no fsync under the document's lock. Commits are held back; edits, reads and flush()
   * behave.
   */
  @Test
  void editsGoOnWhileCommitsAreHeldBack() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    StoreHooks holdCommits =
        new StoreHooks() {
          @Override
          public void at(Point point) {
            if (point == Point.BEFORE_COMMIT) {
              try {
                gate.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    Path db = dir.resolve("slow.db");
    ExecutorService editor = Executors.newSingleThreadExecutor();
    try (SqliteUpdateStore store =
        SqliteUpdateStore.open(db, StoreOptions.defaults(), holdCommits)) {
      YMicrocosm m = open("slow", store);
      try {
        // on another thread, so that an edit waiting for a commit fails the test instead of hanging
        // it
        editor
            .submit(
                () -> {
                  m.identify("@alice00000000001");
                  for (int i = 0; i < 50; i++) {
                    m.create(HtmlData.note(i, 0, "<p>" + i + "</p>"));
                  }
                  return null;
                })
            .get(60, TimeUnit.SECONDS);
        assertEquals(
            50, m.entities().size(), "every edit is in the document while no commit has finished");
        CompletableFuture<Void> durable = m.flush();
        assertFalse(durable.isDone(), "flush() waits for the commits");
        gate.countDown();
        durable.get(30, TimeUnit.SECONDS);
      } finally {
        gate.countDown();
        m.close();
      }
    } finally {
      editor.shutdownNow();
    }
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db);
        YMicrocosm m = open("slow", store)) {
      assertEquals(50, m.entities().size(), "every edit was stored");
    }
  }
}
