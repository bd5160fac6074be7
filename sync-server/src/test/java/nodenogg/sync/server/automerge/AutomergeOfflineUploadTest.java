package nodenogg.sync.server.automerge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import nodenogg.automerge.AutomergeMicrocosm;
import nodenogg.automerge.AutomergeOptions;
import nodenogg.automerge.repo.RepoClient;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.HtmlData;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;

/**
 * Offline first: peer B opens a microcosm the server does not have yet (it is told unavailable);
 * peer A, which edited it with no connection (1,200 changes, uploaded as one whole-document sync
 * message), attaches later. B must then receive every change without reconnecting (it once waited
 * forever: the client ignored the server's announcement after "unavailable", and the server had
 * forgotten what B asked for).
 */
class AutomergeOfflineUploadTest {
  private static final int NOTES = Integer.getInteger("automerge.offline.notes", 100);

  @Test
  void aPeerWaitingForAMicrocosmGetsItWhenItsAuthorComesOnline() throws Exception {
    try (SyncServer server =
            SyncServer.builder().port(0).store(new InMemoryUpdateStore()).build().start();
        AutomergeMicrocosm a = AutomergeMicrocosm.inMemory("offline")) {
      URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/automerge");
      AutomergeRepoHandler handler = (AutomergeRepoHandler) server.automergeHandler();
      a.identify("@aaaaaaaaaaaaaaa1");
      Random rnd = new Random(7);
      List<Entity> notes = new ArrayList<>();
      for (int i = 0; i < NOTES; i++) {
        notes.add(
            a.create(HtmlData.note(rnd.nextInt(2000), rnd.nextInt(2000), "<p>note " + i + "</p>")));
      }
      for (int i = 0; i < NOTES * 10; i++) {
        a.update(
            EntityUpdate.move(
                notes.get(rnd.nextInt(NOTES)).id(), rnd.nextInt(2000), rnd.nextInt(2000)));
      }
      for (int i = 0; i < NOTES; i++) {
        a.update(
            EntityUpdate.content(notes.get(rnd.nextInt(NOTES)).id(), "<p>edited " + i + "</p>"));
      }
      Set<Object> heads = Set.of((Object[]) a.document().heads());
      try (RepoClient cb = RepoClient.connect(uri);
          AutomergeMicrocosm b =
              AutomergeMicrocosm.open("offline", AutomergeOptions.defaults().transport(cb));
          RepoClient ca = RepoClient.connect(uri)) {
        // B's request reaches the server first (ordering only: if it did not, the test still checks
        // the upload)
        long end = System.currentTimeMillis() + 20_000;
        while (handler.loadedDocuments() == 0 && System.currentTimeMillis() < end) {
          Thread.sleep(5);
        }
        Thread.sleep(200);
        ca.ready().get(20, TimeUnit.SECONDS);
        a.attach(ca);
        end = System.currentTimeMillis() + 30_000;
        while (!Set.of((Object[]) b.document().heads()).equals(heads)
            && System.currentTimeMillis() < end) {
          Thread.sleep(10);
        }
        assertEquals(
            heads, Set.of((Object[]) b.document().heads()), "the waiting peer holds every change");
        assertEquals(a.entities(), b.entities());
        assertEquals(NOTES, b.entities().size());
      }
    }
  }
}
