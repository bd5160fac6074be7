package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.HtmlData;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The y-microcosm storage SPI on SQLite: a microcosm reopened from disk has the same entities. */
class MicrocosmPersistenceTest {

  @TempDir Path dir;

  private static YMicrocosm open(String id, SqliteMicrocosmPersistence p) {
    return YMicrocosm.open(id, MicrocosmOptions.defaults().persistence(p));
  }

  @Test
  void reopenedMicrocosmHasTheSameEntities() {
    Map<EntityLocation, Entity> before;
    try (SqliteMicrocosmPersistence p = SqliteMicrocosmPersistence.open(dir);
        YMicrocosm m = open("garden", p)) {
      m.identify("@alice00000000001");
      List<Entity> made = m.create(List.of(HtmlData.note(0, 0, "<p>one</p>"), HtmlData.note(220, 0, "<p>two</p>"),
          HtmlData.note(440, 0, "<p>three</p>")));
      m.delete(List.of(made.get(1).id()));
      m.identify("@bob0000000000001");
      m.create(HtmlData.note(0, 300, "<p>bob</p>"));
      m.drainEvents();
      before = m.entities();
      assertEquals(3, before.size());
    }
    try (SqliteMicrocosmPersistence p = SqliteMicrocosmPersistence.open(dir);
        YMicrocosm m = open("garden", p);
        YMicrocosm other = open("elsewhere", p)) {
      m.drainEvents();
      assertEquals(before, m.entities());
      assertEquals(Map.of(), other.entities(), "microcosms are separate documents");
      assertTrue(p.store().listDocuments().contains("garden"));
    }
  }

  @Test
  void damagedMicrocosmFailsToOpenWithTheDocumentNamed() throws Exception {
    Path db = SqliteUpdateStore.databaseFile(dir);
    try (SqliteMicrocosmPersistence p = SqliteMicrocosmPersistence.open(dir);
        YMicrocosm m = open("broken", p)) {
      m.identify("@alice00000000001");
      m.create(HtmlData.note(0, 0, "<p>x</p>"));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE updates SET crc32 = crc32 + 1");
    }
    try (SqliteMicrocosmPersistence p = SqliteMicrocosmPersistence.open(dir)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> open("broken", p));
      IOException io = e.getCause();
      assertTrue(io.getCause() instanceof CorruptDocumentException, String.valueOf(io.getCause()));
      assertEquals("broken", ((CorruptDocumentException) io.getCause()).documentName());
    }
  }
}
