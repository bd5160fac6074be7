package nodenogg.sync.server.tracker;

import static nodenogg.sync.server.tracker.TrackerHandlerTest.announce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory stays bounded when clients open many swarms: 200 connections try to open 256 swarms each
 * (51,200 swarms) against a tracker capped at 20,000; exactly the cap is held, the rest is refused
 * with a failure reason, the retained heap per membership is small, and closing the connections
 * frees everything. Drives TrackerHandler directly (no sockets) so only tracker state is measured.
 */
class TrackerMemoryTest {

  private static long usedHeapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static String hash(int n) {
    return String.format("swarm-%014d", n);
  }

  @Test
  void manySwarmsAreCappedServerWideAndFreedOnClose() throws Exception {
    int cap = 20_000;
    // default limits, except the server-wide caps and a message rate that lets one connection
    // announce 256 swarms at once
    TrackerLimits d = TrackerLimits.DEFAULT;
    TrackerHandler tracker =
        new TrackerHandler(
            new TrackerLimits(
                d.maxMessageBytes(),
                d.maxSwarmsPerConnection(),
                d.maxPeersPerSwarm(),
                1e6,
                1000,
                d.firstAnnounceDeadline(),
                d.peerTtl(),
                d.announceIntervalSeconds(),
                cap,
                2 * cap,
                d.maxScrapeHashes()));
    List<FakeTrackerConnection> connections = new ArrayList<>();
    long before = usedHeapAfterGc();
    int refused = 0;
    int swarm = 0;
    for (int c = 0; c < 200; c++) {
      FakeTrackerConnection conn = new FakeTrackerConnection();
      connections.add(conn);
      tracker.onOpen(conn);
      String peer = String.format("peer-%015d", c);
      for (int s = 0; s < 256; s++) {
        tracker.onText(conn, announce(hash(swarm++), peer, "\"event\":\"started\""));
        if (conn.last.contains("tracker is full")) {
          refused++;
        }
      }
      assertTrue(conn.isOpen(), "refusals keep the connection");
    }
    TrackerStats stats = tracker.stats();
    assertEquals(cap, stats.swarms());
    assertEquals(cap, stats.peers());
    assertEquals(200 * 256 - cap, refused);
    long held = usedHeapAfterGc() - before;
    long perMembership = held / cap;
    System.out.println(
        "tracker memory: "
            + held
            + " bytes for "
            + cap
            + " swarms = "
            + perMembership
            + " bytes per swarm membership (200 fake connections)");
    assertTrue(perMembership < 1024, "a membership costs " + perMembership + " bytes");

    for (FakeTrackerConnection conn : connections) {
      conn.close(1000, "done");
      tracker.onClose(conn, 1000, "done", true);
    }
    stats = tracker.stats();
    assertEquals(0, stats.swarms());
    assertEquals(0, stats.peers());
    assertEquals(0, stats.connections());
  }

  @Test
  void aSwarmHoldsAtMostItsPeerLimit() {
    TrackerHandler tracker = new TrackerHandler(TrackerLimits.DEFAULT);
    String h = hash(1);
    List<FakeTrackerConnection> connections = new ArrayList<>();
    for (int c = 0; c < 1200; c++) {
      FakeTrackerConnection conn = new FakeTrackerConnection();
      connections.add(conn);
      tracker.onOpen(conn);
      tracker.onText(conn, announce(h, String.format("peer-%015d", c), ""));
      if (c < 1000) {
        assertTrue(
            conn.last.startsWith("{\"complete\":0,\"incomplete\":" + (c + 1) + ","), conn.last);
      } else {
        assertTrue(conn.last.contains("swarm is full: it holds 1000 peers"), conn.last);
      }
    }
    assertEquals(1000, tracker.swarmSize(h));
    for (FakeTrackerConnection conn : connections) {
      tracker.onClose(conn, 1000, "", true);
    }
    assertEquals(0, tracker.swarmSize(h));
    assertEquals(0, tracker.stats().swarms());
  }
}
