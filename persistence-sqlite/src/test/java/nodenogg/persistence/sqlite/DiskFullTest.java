package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import nodenogg.persistence.StoreException;
import nodenogg.persistence.sqlite.internal.StoreHooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, made real inside SQLite: {@code PRAGMA max_page_count} caps the database, so SQLite
 * itself fails commits with SQLITE_FULL exactly as on a full file system. Expect no false
 * acknowledgement, a typed error that says the disk is full, and recovery once space is "freed"
 * (the cap raised) without reopening.
 */
class DiskFullTest {

  @TempDir Path dir;

  @Test
  void fullDiskFailsCommitsWithoutFalseAcksAndRecovers() throws Exception {
    AtomicReference<Connection> conn = new AtomicReference<>();
    StoreHooks capture =
        new StoreHooks() {
          @Override
          public Connection wrap(Connection c) {
            conn.set(c);
            return c;
          }
        };
    Path db = dir.resolve("full.db");
    List<byte[]> sent = new ArrayList<>();
    List<CompletableFuture<Long>> acks = new ArrayList<>();
    String filler = "y".repeat(300);
    int failed = 0;
    String message = "";
    try (SqliteUpdateStore store =
        SqliteUpdateStore.open(db, StoreOptions.defaults().withoutAutoCompaction(), capture)) {
      store.append("small", TestUpdates.text(1, 0, "a")).join();
      pragma(conn.get(), "PRAGMA max_page_count = " + (pageCount(conn.get()) + 12));
      for (int i = 0; i < 400; i++) {
        byte[] u = TestUpdates.text(2, i * 300L, filler);
        sent.add(u);
        acks.add(store.append("big", u));
        if (i % 20 == 19) {
          store.flush().join();
        }
      }
      store.flush().join();
      for (CompletableFuture<Long> f : acks) {
        try {
          f.join();
        } catch (CompletionException e) {
          failed++;
          message = e.getCause().getMessage();
          assertTrue(e.getCause() instanceof StoreException, String.valueOf(e.getCause()));
        }
      }
      assertTrue(failed > 0, "the cap was reached");
      assertTrue(message.contains("SQLITE_FULL"), message);
      // space freed: the same store carries on
      pragma(conn.get(), "PRAGMA max_page_count = 1073741823");
      byte[] after = TestUpdates.text(3, 0, "after the disk was freed");
      sent.add(after);
      acks.add(store.append("big", after));
      assertTrue(acks.get(acks.size() - 1).join() > 0);
      assertTrue(store.append("small", TestUpdates.text(1, 1, "b")).join() > 0);
    }
    try (SqliteUpdateStore store = SqliteUpdateStore.open(db)) {
      assertTrue(store.check().ok(), store.check().toString());
      Set<ByteBuffer> stored = new HashSet<>();
      store.load("big").forEach(b -> stored.add(ByteBuffer.wrap(b)));
      for (int i = 0; i < sent.size(); i++) {
        if (!acks.get(i).isCompletedExceptionally()) {
          assertTrue(stored.contains(ByteBuffer.wrap(sent.get(i))), "FALSE ACK for update " + i);
        }
      }
      assertTrue(store.load("small").size() == 2);
    }
  }

  private static long pageCount(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        var rs = st.executeQuery("PRAGMA page_count")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void pragma(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
