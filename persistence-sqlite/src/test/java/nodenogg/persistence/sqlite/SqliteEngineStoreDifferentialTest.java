package nodenogg.persistence.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import nodenogg.crdt.testing.Scale;
import nodenogg.persistence.yjs.EngineStoreDifferential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 finding 2 on the real store: 100,000 mutated updates appended to SQLite and applied by
 * the engine; every one is stored by both or refused by both (the store answers with {@code
 * InvalidUpdateException}, never an I/O error), and what the store kept reads back and checks
 * clean.
 */
class SqliteEngineStoreDifferentialTest {

  @TempDir Path dir;

  @Test
  void theSqliteStoreKeepsExactlyWhatTheEngineApplies() throws Exception {
    StoreOptions opts =
        StoreOptions.defaults().withDurability(Durability.NORMAL).withoutAutoCompaction();
    try (SqliteUpdateStore store = SqliteUpdateStore.openDirectory(dir, opts)) {
      EngineStoreDifferential.Report report =
          EngineStoreDifferential.run(store, Scale.of(100_000), 20261215L);
      System.out.println("engine vs SQLite store: " + report);
      assertTrue(report.disagreements.isEmpty(), report.toString());
      assertTrue(
          report.bothAccepted > 1_000 && report.bothRefused > 1_000 && report.trailing > 10,
          report.toString());
      long rows = 0;
      for (String doc : store.list()) {
        rows += store.info(doc).orElseThrow().updateCount();
      }
      assertEquals(report.bothAccepted, rows, "one row per accepted mutant");
      assertTrue(store.check().ok(), "every stored row reads back and checks: " + store.check());
    }
  }
}
