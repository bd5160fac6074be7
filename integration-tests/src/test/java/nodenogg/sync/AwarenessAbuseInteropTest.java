package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 finding 8 with the real {@code @hocuspocus/provider} 4.8.0: an idle connection from
 * elsewhere cannot take a provider's awareness id while the provider reconnects (its binding
 * survives the reconnect), and one connection's awareness flood is rate limited with the latest
 * state winning.
 */
class AwarenessAbuseInteropTest {

  private static boolean onLinuxLoopbackAlias() {
    try (java.net.Socket s = new java.net.Socket()) {
      s.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void anIdleConnectionCannotTakeAReconnectingProvidersIdAndFloodsAreRateLimited()
      throws Exception {
    NodeProcess.jsDir();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        onLinuxLoopbackAlias(),
        "127.0.0.2 is not a loopback address here (the attacker must come from another host): skipping");
    List<ProviderDriver> drivers = new ArrayList<>();
    try (SyncServer s = SyncServer.builder().port(0).implicitAuthentication(true).build().start();
        CuttableProxy proxy = new CuttableProxy(s.port())) {
      try {
        ProviderDriver victim =
            new ProviderDriver(
                "hp4", "ws://127.0.0.1:" + proxy.port() + "/sync", "aw", "default", "victim");
        ProviderDriver observer =
            new ProviderDriver(
                "hp4", "ws://127.0.0.1:" + s.port() + "/sync", "aw", "default", "observer");
        drivers.add(victim);
        drivers.add(observer);
        victim.awaitSynced();
        observer.awaitSynced();
        Await.until(
            "the observer sees the victim",
            20_000,
            () -> observer.awareness().contains("\"victim\""));
        Matcher m =
            Pattern.compile("\"(\\d+)\":\\{\"user\":\"victim\"").matcher(observer.awareness());
        assertTrue(m.find(), observer.awareness());
        long victimId = Long.parseLong(m.group(1));

        // an attacker on another host, authenticated and idle, waiting for the id to be freed
        try (RawWs attacker = new RawWs(s.port(), "/sync", "127.0.0.2")) {
          attacker.send(2, true, Hocuspocus.authToken("aw", "default", "4.8.0"));
          attacker.readMessage(); // Authenticated

          proxy.cutAll(); // the victim's connection drops; its provider reconnects by itself
          Await.until(
              "the victim's state is removed",
              20_000,
              () -> !observer.awareness().contains("\"victim\""));
          Awareness forged = new Awareness(victimId);
          for (int i = 0; i < 1000; i++) {
            forged.setLocalState(Map.of("user", "mallory"));
          }
          attacker.send(
              2, true, Hocuspocus.awareness("aw", forged.encodeUpdate(List.of(victimId))));

          Await.until(
              "the victim rejoins",
              20_000,
              () -> victim.node.lines.stream().filter(l -> l.equals("SYNCED")).count() >= 2);
          victim.awareness(8); // the victim's next awareness change (clock + 1)
          Await.until(
              () -> "the observer sees the victim again: " + observer.awareness(),
              20_000,
              () ->
                  observer
                      .awareness()
                      .contains(
                          "\"" + victimId + "\":{\"user\":\"victim\",\"blob\":\"aaaaaaaa\"}"));
          assertTrue(
              observer.node.lines.stream().noneMatch(l -> l.contains("mallory")),
              "the attacker's state was never relayed: " + observer.node.lines);

          // a flood of 3,000 awareness updates from one connection (its own id): rate limited,
          // latest wins
          Awareness own = new Awareness(987654);
          long start = System.nanoTime();
          for (int i = 0; i < 3000; i++) {
            Map<String, Object> st = new java.util.LinkedHashMap<>();
            st.put("user", "flood");
            st.put("n", i);
            own.setLocalState(st);
            attacker.send(2, true, Hocuspocus.awareness("aw", own.encodeUpdate(List.of(987654L))));
          }
          Await.until(
              "the flood's latest state arrives",
              20_000,
              () -> observer.awareness().contains("\"987654\":{\"user\":\"flood\",\"n\":2999}"));
          double seconds = (System.nanoTime() - start) / 1e9;
          long relayed =
              observer.node.lines.stream().filter(l -> l.startsWith("AWCHANGE 987654 ")).count();
          System.out.println(
              "awareness flood: " + relayed + " of 3000 relayed in " + seconds + " s");
          assertTrue(relayed <= 20 + 10 * seconds + 2, relayed + " relayed in " + seconds + " s");
        }
      } finally {
        drivers.forEach(ProviderDriver::close);
      }
    }
  }
}
