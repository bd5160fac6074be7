package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.TokenAuthHooks;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 finding 4 with the real providers: a 15 MiB update (below the 16 MiB message limit) is
 * acknowledged and reaches every client, a newcomer gets the 15 MiB document in its initial sync,
 * and a read-only user's 15 MiB awareness state reaches the others; nobody is cut as a slow
 * consumer.
 */
class LargeMessagesInteropTest {
  private static final int LARGE = 15 * 1024 * 1024;

  @Test
  void fifteenMebibyteUpdatesInitialSyncsAndAwarenessReachEveryone() throws Exception {
    NodeProcess.jsDir();
    List<ProviderDriver> drivers = new ArrayList<>();
    try (SyncServer s =
        SyncServer.builder()
            .port(0)
            .hooks(new TokenAuthHooks("secret", "viewer", null))
            .build()
            .start()) {
      String hp = "ws://127.0.0.1:" + s.port() + "/sync";
      String yw = "ws://127.0.0.1:" + s.port();
      try {
        ProviderDriver writer = new ProviderDriver("hp4", hp, "big", "secret", "writer");
        drivers.add(writer);
        drivers.add(new ProviderDriver("hp2", hp, "big", "secret", "two"));
        drivers.add(new ProviderDriver("yws", yw, "big", "secret", "yws"));
        ProviderDriver viewer = new ProviderDriver("hp4", hp, "big", "viewer", "viewer");
        drivers.add(viewer);
        for (ProviderDriver d : drivers) {
          d.awaitSynced();
        }
        writer.writeLarge("large", LARGE);
        writer.write("small", 1);
        String expected = "{\"large\":\"<len:" + LARGE + ">\",\"small\":1}";
        for (ProviderDriver d : drivers) {
          d.awaitState(expected); // the writer's includes the acknowledgement (unsynced 0)
        }
        // a newcomer's initial sync carries the whole 15 MiB document
        ProviderDriver late = new ProviderDriver("yws", yw, "big", "secret", "late");
        drivers.add(late);
        late.awaitSynced();
        late.awaitState(expected);
        ProviderDriver late4 = new ProviderDriver("hp4", hp, "big", "secret", "late4");
        drivers.add(late4);
        late4.awaitState(expected);
        // a read-only user's 15 MiB awareness state is relayed to the others
        viewer.awareness(LARGE);
        for (ProviderDriver d : List.of(writer, late4)) {
          Await.until(
              () -> d.kind + " sees the large awareness state",
              60_000,
              () -> d.state().awarenessBytes() >= LARGE);
        }
        for (ProviderDriver d : drivers) {
          assertEquals(List.of(), d.closeCodes(), d.kind + " must not be cut");
        }
        assertTrue(s.connectionCount() >= 6);
      } finally {
        drivers.forEach(ProviderDriver::close);
      }
    }
  }
}
