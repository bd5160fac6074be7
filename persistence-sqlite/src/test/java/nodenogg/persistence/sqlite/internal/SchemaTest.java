package nodenogg.persistence.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.Updates;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {

  @TempDir Path dir;

  @Test
  void aVersionOneFileIsMigratedForwardKeepingItsData() throws Exception {
    Path db = dir.resolve("v1.db");
    byte[] update = {1, 1, 7, 0, 4, 1, 1, 't', 1, 'x', 0};
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      Schema.migrate(c, db.toString(), 1);
      assertEquals(1, Schema.version(c));
      st.execute(
          "INSERT INTO documents (id, name, last_seq, update_count, update_bytes, state_vector, coverage, updated_at)"
              + " VALUES (1, 'old', 1, 1, 11, x'010701', x'0107010001', 0)");
      try (var ps =
          c.prepareStatement(
              "INSERT INTO updates (doc_id, seq, data, crc32) VALUES (1, 1, ?, ?)")) {
        ps.setBytes(1, update);
        ps.setLong(2, Queries.crc(update));
        ps.executeUpdate();
      }
    }
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db)) {
      assertEquals(Integer.toString(Schema.CURRENT), store.settings().get("schema_version"));
      assertEquals(1, store.load("old").size());
      assertEquals(Map.of(7L, 1L), sv(store, "old"));
      store.putMetadata("old", "k", "v"); // table added by migration 2
      assertEquals(Map.of("k", "v"), store.metadata("old"));
      assertEquals(
          2L, store.append("old", new byte[] {1, 1, 7, 1, (byte) 0x84, 7, 0, 1, 'y', 0}).join());
      assertEquals(List.of("old"), store.list());
      assertEquals(
          Map.of("old", "yjs-update-v1"),
          store.documentFormats(),
          "migration 3: earlier documents hold Yjs updates");
    }
  }

  private static Map<Long, Long> sv(SqliteUpdateStore store, String doc) {
    return Updates.decodeStateVector(store.version(doc));
  }
}
