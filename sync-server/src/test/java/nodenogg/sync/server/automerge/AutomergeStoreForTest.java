package nodenogg.sync.server.automerge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.automerge.AutomergeDocument;
import nodenogg.automerge.store.AutomergeFormat;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.postgres.PostgresServer;
import nodenogg.persistence.postgres.PostgresUpdateStore;
import org.automerge.ObjectId;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --postgres}: the automerge-repo service keeps its documents in the same PostgreSQL
 * database as the Yjs documents (a second format of the store), so they are durable and every
 * instance sharing the database sees them; before, they went to a separate in-memory store and were
 * lost on restart.
 */
class AutomergeStoreForTest {

  @Test
  void automergeDocumentsOfAPostgresServerAreStoredInItsDatabase() throws Exception {
    String url = PostgresServer.shared().createDatabase();
    byte[] saved;
    try (PostgresUpdateStore yjs = PostgresUpdateStore.open(url);
        AutomergeDocument d = AutomergeDocument.create()) {
      UpdateStore am = AutomergeRepoHandler.storeFor(yjs);
      assertEquals(AutomergeFormat.NAME, am.format().name());
      d.change("test", tx -> tx.set(ObjectId.ROOT, "title", "stored in PostgreSQL"));
      am.append("am-doc", d.save()).get(30, TimeUnit.SECONDS);
      saved = d.save();
      assertTrue(yjs.list().isEmpty(), "the Yjs view does not list Automerge documents");
    }
    try (PostgresUpdateStore again = PostgresUpdateStore.open(url)) {
      UpdateStore am = AutomergeRepoHandler.storeFor(again);
      assertEquals(
          List.of("am-doc"), am.list(), "a restarted server finds the document in the database");
      try (AutomergeDocument back = AutomergeDocument.load(am.loadState("am-doc").orElseThrow())) {
        assertArrayEquals(saved, back.save());
      }
    }
  }
}
