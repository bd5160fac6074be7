package nodenogg.persistence.postgres;

import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.UpdateStoreContract;

/**
 * The behaviour every {@link UpdateStore} shows (persistence-api's contract tests), on PostgreSQL.
 */
class PostgresUpdateStoreContractTest extends UpdateStoreContract {

  @Override
  protected UpdateStore newStore() {
    return PostgresUpdateStore.open(
        PostgresServer.shared().createDatabase(),
        PostgresStoreOptions.defaults().withoutAutoCompaction());
  }
}
