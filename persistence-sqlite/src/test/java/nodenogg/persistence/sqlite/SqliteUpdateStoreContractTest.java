package nodenogg.persistence.sqlite;

import java.nio.file.Path;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.UpdateStoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link UpdateStore} shows (persistence-api's contract tests), on SQLite. */
class SqliteUpdateStoreContractTest extends UpdateStoreContract {

  @TempDir Path dir;

  @Override
  protected UpdateStore newStore() {
    return SqliteUpdateStore.openDirectory(dir, StoreOptions.defaults().withoutAutoCompaction());
  }
}
