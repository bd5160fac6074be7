package nodenogg.sync.server.tracker;

import static nodenogg.sync.server.tracker.TrackerHandlerTest.announce;
import static nodenogg.sync.server.tracker.TrackerHandlerTest.id;
import static nodenogg.sync.server.tracker.TrackerHandlerTest.offers;
import static nodenogg.sync.server.tracker.TrackerHandlerTest.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.TestTime;
import nodenogg.sync.server.cluster.RedisCluster;
import nodenogg.sync.server.cluster.RedisServer;
import nodenogg.sync.server.cluster.internal.RespConnection;
import org.junit.jupiter.api.Test;

/**
 * The tracker on {@code /announce} of two cluster instances on one real {@code redis-server}: a
 * swarm spans both. Offers reach peers of the other instance (each offer exactly one peer, never
 * the sender), answers are routed back by {@code to_peer_id}, counts and scrapes cover the whole
 * swarm, leaving and closing propagate, a Redis restart is repaired, and malformed Redis messages
 * are dropped without reaching a peer. The frames a peer receives are exactly those of a tracker
 * alone ({@link TrackerHandlerTest}).
 */
class TrackerClusterTest {

  static final String H1 = TrackerHandlerTest.H1;

  /** One instance: its cluster membership and its server (memory store, tracker on /announce). */
  static final class Instance implements AutoCloseable {
    final RedisCluster cluster;
    final SyncServer server;

    Instance(RedisServer redis, String id) throws Exception {
      cluster = RedisCluster.builder(redis.uri()).instanceId(id).connect();
      server =
          SyncServer.builder()
              .host("127.0.0.1")
              .port(0)
              .cluster(cluster)
              .implicitAuthentication(true)
              .build()
              .start();
    }

    TrackerSocket connect() throws Exception {
      return new TrackerSocket("ws://127.0.0.1:" + server.port() + "/announce");
    }

    TrackerStats stats() {
      return server.tracker().stats();
    }

    @Override
    public void close() {
      server.close();
    }
  }

  private static String scrape(TrackerSocket s, String hash) throws Exception {
    s.send("{\"action\":\"scrape\",\"info_hash\":\"" + hash + "\"}");
    return s.next();
  }

  private static String scraped(String hash, int complete, int incomplete) {
    return "{\"action\":\"scrape\",\"files\":{\""
        + hash
        + "\":{\"complete\":"
        + complete
        + ",\"incomplete\":"
        + incomplete
        + ",\"downloaded\":"
        + complete
        + "}},\"flags\":{\"min_request_interval\":600}}";
  }

  /** Scrapes until the counts are as expected (membership news travels over Redis). */
  private static void awaitCounts(TrackerSocket s, String hash, int complete, int incomplete)
      throws Exception {
    String want = scraped(hash, complete, incomplete);
    String[] last = {null};
    long end = System.currentTimeMillis() + TestTime.seconds(5) * 1000;
    while (System.currentTimeMillis() < end) {
      last[0] = scrape(s, hash);
      if (want.equals(last[0])) {
        return;
      }
      Thread.sleep(20);
    }
    assertEquals(want, last[0]);
  }

  private static String offerText(String offerId, String fromPeer, String hash) {
    return "{\"action\":\"announce\",\"offer\":{\"type\":\"offer\",\"sdp\":\"sdp-"
        + offerId
        + "\"},"
        + "\"offer_id\":\""
        + offerId
        + "\",\"peer_id\":\""
        + fromPeer
        + "\",\"info_hash\":\""
        + hash
        + "\"}";
  }

  @Test
  void aSwarmSpansTwoInstances() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Instance a = new Instance(redis, "tracker-a");
        Instance b = new Instance(redis, "tracker-b")) {
      String pa = id("peer-a");
      String pb = id("peer-b");
      try (TrackerSocket sa = a.connect();
          TrackerSocket sb = b.connect()) {
        sa.send(announce(H1, pa, "\"event\":\"started\"," + offers("offer-a1", "offer-a2")));
        assertEquals(
            reply(0, 1, H1), sa.next(), "alone in the whole cluster: no one to send offers to");
        // b's first announce on the other instance already knows a: the new swarm waited for a's
        // instance
        sb.send(announce(H1, pb, offers("offer-b1", "offer-b2", "offer-b3")));
        assertEquals(reply(0, 2, H1), sb.next(), "counts cover both instances");
        assertEquals(
            offerText("offer-b1", pb, H1), sa.next(), "exactly what a tracker alone sends");
        assertNull(sa.poll(200), "one offer per peer");
        assertNull(sb.poll(50), "the sender never gets its own offers");

        // the answer goes back to the other instance by to_peer_id; its sender gets no reply
        sa.send(
            announce(
                H1,
                pa,
                "\"to_peer_id\":\""
                    + pb
                    + "\",\"offer_id\":\"offer-b1\","
                    + "\"answer\":{\"type\":\"answer\",\"sdp\":\"answer \\u00e9\\n\"}"));
        assertEquals(
            "{\"action\":\"announce\",\"answer\":{\"type\":\"answer\",\"sdp\":\"answer \u00e9\\n\"},"
                + "\"offer_id\":\"offer-b1\",\"peer_id\":\""
                + pa
                + "\",\"info_hash\":\""
                + H1
                + "\"}",
            sb.next());
        assertNull(sa.poll(100));

        // completion crosses instances; scrapes count the whole swarm on either side
        sa.send(announce(H1, pa, "\"event\":\"completed\""));
        assertEquals(reply(1, 1, H1), sa.next());
        awaitCounts(sb, H1, 1, 1);

        // b leaves: a can no longer answer it
        sb.send(announce(H1, pb, "\"event\":\"stopped\""));
        assertEquals(reply(1, 0, H1), sb.next());
        TestTime.await("a's instance saw b leave", () -> a.stats().cluster().remotePeers() == 0);
        sa.send(
            announce(
                H1,
                pa,
                "\"to_peer_id\":\""
                    + pb
                    + "\",\"offer_id\":\"offer-b2\","
                    + "\"answer\":{\"type\":\"answer\",\"sdp\":\"late\"}"));
        assertEquals(
            "{\"action\":\"announce\",\"failure reason\":\"no peer with that `to_peer_id` in this swarm\","
                + "\"info_hash\":\""
                + H1
                + "\"}",
            sa.next());
        assertNull(sb.poll(100));
      }
      TestTime.await(
          "both instances freed the swarm",
          () ->
              a.stats().swarms() == 0
                  && b.stats().swarms() == 0
                  && a.stats().cluster().remotePeers() == 0
                  && b.stats().cluster().remotePeers() == 0);
      assertEquals(1, a.stats().cluster().forwarded(), "the answer");
      assertEquals(1, b.stats().cluster().forwarded(), "the offer");
      assertEquals(1, a.stats().cluster().fromOtherInstances());
      assertEquals(1, b.stats().cluster().fromOtherInstances());
      assertTrue(
          a.server.status().toJson().contains("\"cluster\":{\"remotePeers\":0,\"forwarded\":1,"),
          a.server.status().toJson());
    }
  }

  @Test
  void eachOfferGoesToExactlyOnePeerWhicheverInstanceItIsOn() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Instance a = new Instance(redis, "tracker-a");
        Instance b = new Instance(redis, "tracker-b")) {
      List<TrackerSocket> peers = new ArrayList<>();
      try {
        for (int i = 0; i < 6; i++) {
          Instance on = i < 3 ? a : b; // p0..p2 on a, p3..p5 on b
          TrackerSocket s = on.connect();
          peers.add(s);
          s.send(announce(H1, id("p" + i), ""));
          assertEquals(
              reply(0, i + 1, H1),
              s.next(),
              "p" + i + " sees every earlier peer, on both instances");
        }
        TestTime.await("a knows b's three peers", () -> a.stats().cluster().remotePeers() == 3);
        TrackerSocket sender = peers.get(0);
        Set<Integer> reached = new HashSet<>();
        for (int round = 0; round < 20; round++) {
          sender.send(
              announce(
                  H1, id("p0"), offers("o" + round + "a", "o" + round + "b", "o" + round + "c")));
          assertEquals(reply(0, 6, H1), sender.next());
          Set<String> offerIds = new HashSet<>();
          int receivers = 0;
          Set<Integer> thisRound = new HashSet<>();
          int remote = 0;
          long end = System.currentTimeMillis() + TestTime.seconds(5) * 1000;
          while (receivers < 3 && System.currentTimeMillis() < end) {
            for (int i = 1; i < 6; i++) {
              String m = peers.get(i).poll(2);
              if (m != null) {
                receivers++;
                assertTrue(thisRound.add(i), "p" + i + " got two offers of one announce");
                reached.add(i);
                remote += i >= 3 ? 1 : 0;
                String offerId = m.replaceAll(".*\"offer_id\":\"([^\"]+)\".*", "$1");
                assertTrue(
                    offerIds.add(offerId), "offer " + offerId + " reached more than one peer");
                assertEquals(offerText(offerId, id("p0"), H1), m);
              }
            }
          }
          for (int i = 1; i < 6; i++) {
            assertNull(peers.get(i).poll(i == 1 ? 100 : 10), "one offer per peer and announce");
          }
          assertNull(sender.poll(10), "never the sender");
          assertEquals(3, receivers, "three offers, three different peers");
          assertEquals(Set.of("o" + round + "a", "o" + round + "b", "o" + round + "c"), offerIds);
          assertTrue(
              remote >= 1,
              "two local peers cannot take three offers: the other instance's get the rest");
        }
        assertEquals(
            Set.of(1, 2, 3, 4, 5), reached, "every peer, on either instance, is chosen some time");
        // closing b's sockets removes its peers from a's view
        for (TrackerSocket s : peers.subList(3, 6)) {
          s.close();
        }
        TestTime.await("b's peers gone from a", () -> a.stats().cluster().remotePeers() == 0);
        sender.send(announce(H1, id("p0"), offers("last-a", "last-b", "last-c")));
        assertEquals(reply(0, 3, H1), sender.next());
      } finally {
        for (TrackerSocket s : peers) {
          s.close();
        }
      }
    }
  }

  @Test
  void aRedisRestartIsRepairedAndMalformedMessagesReachNoPeer() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Instance a = new Instance(redis, "tracker-a");
        Instance b = new Instance(redis, "tracker-b")) {
      try (TrackerSocket sa = a.connect();
          TrackerSocket sb = b.connect();
          TrackerSocket sc = a.connect()) {
        sa.send(announce(H1, id("peer-a"), ""));
        assertEquals(reply(0, 1, H1), sa.next());
        sb.send(announce(H1, id("peer-b"), ""));
        assertEquals(reply(0, 2, H1), sb.next());
        TestTime.await("a knows b", () -> a.stats().cluster().remotePeers() == 1);

        // c joins on a while Redis is down: its join is lost; after the restart the instances
        // repair
        redis.kill();
        TestTime.await("a noticed", () -> !a.cluster.status().redisConnected());
        sc.send(announce(H1, id("peer-c"), "\"left\":0"));
        assertEquals(reply(1, 2, H1), sc.next());
        redis.restart();
        awaitCounts(sb, H1, 1, 2);
        TestTime.await(
            "both links back",
            () -> a.cluster.status().redisConnected() && b.cluster.status().redisConnected());

        // malformed or foreign messages on the tracker channels: dropped, counted, delivered to
        // nobody
        String swarm = "hocuspocus#tracker:" + hexOf(H1);
        String direct = "hocuspocus#tracker-to:tracker-a";
        List<Object[]> bad =
            List.of(
                new Object[] {swarm, new byte[] {1}},
                new Object[] {swarm, framed("x", "not json")},
                new Object[] {swarm, framed("x", "{\"no\":\"type\"}")},
                new Object[] {
                  swarm, framed("x", "{\"type\":\"join\",\"peer\":\"short\",\"complete\":false}")
                },
                new Object[] {
                  swarm,
                  framed("x", "{\"type\":\"members\",\"peers\":[[\"" + id("q") + "\",\"yes\"]]}")
                },
                new Object[] {swarm, framed("x", "{\"type\":\"nonsense\"}")},
                new Object[] {
                  direct,
                  framed(
                      "x",
                      "{\"type\":\"forward\",\"info_hash\":\""
                          + H1
                          + "\",\"to\":\""
                          + id("peer-a")
                          + "\"}\n{\"action\":\"scrape\"}")
                },
                new Object[] {
                  direct,
                  framed(
                      "x",
                      "{\"type\":\"forward\",\"info_hash\":\""
                          + H1
                          + "\",\"to\":\""
                          + id("peer-a")
                          + "\"}\nnot json")
                },
                new Object[] {
                  direct,
                  framed(
                      "x",
                      "{\"type\":\"forward\",\"info_hash\":\""
                          + H1
                          + "\",\"to\":\""
                          + id("peer-a")
                          + "\"}")
                });
        long droppedBefore = a.cluster.status().dropped();
        long undeliverableBefore = a.stats().cluster().undeliverable();
        try (RespConnection raw =
            RespConnection.open("127.0.0.1", redis.port(), 3000, p -> {}, e -> {}, "test")) {
          for (Object[] m : bad) {
            raw.command("PUBLISH", m[0], m[1]).get();
          }
          // well formed, for a peer that is not here: not delivered, counted as undeliverable
          raw.command(
                  "PUBLISH",
                  direct,
                  framed(
                      "x",
                      "{\"type\":\"forward\",\"info_hash\":\""
                          + H1
                          + "\",\"to\":\""
                          + id("nobody")
                          + "\"}\n{\"action\":\"announce\",\"offer\":{}}"))
              .get();
        }
        TestTime.await(
            "9 dropped", () -> a.cluster.status().dropped() - droppedBefore == bad.size());
        TestTime.await(
            "1 undeliverable",
            () -> a.stats().cluster().undeliverable() - undeliverableBefore == 1);
        assertNull(sa.poll(300), "no peer got any of it");
        assertNull(sc.poll(10));
        // the swarm still works across the instances
        sb.send(announce(H1, id("peer-b"), offers("after-1", "after-2")));
        assertEquals(reply(1, 2, H1), sb.next());
        String first = sa.poll(TestTime.seconds(5) * 1000);
        String second = sc.poll(TestTime.seconds(5) * 1000);
        assertTrue(
            first != null
                && second != null
                && first.contains("\"offer_id\":\"after-")
                && second.contains("\"offer_id\":\"after-")
                && !first.equals(second),
            first + " / " + second);
      }
    }
  }

  private static String hexOf(String infoHash) {
    StringBuilder sb = new StringBuilder();
    for (char c : infoHash.toCharArray()) {
      sb.append(String.format("%02x", (int) c & 0xff));
    }
    return sb.toString();
  }

  /** The instance-id framing of the cluster: length byte, id, then the message. */
  private static byte[] framed(String instance, String message) {
    byte[] id = instance.getBytes(StandardCharsets.UTF_8);
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[1 + id.length + body.length];
    out[0] = (byte) id.length;
    System.arraycopy(id, 0, out, 1, id.length);
    System.arraycopy(body, 0, out, 1 + id.length, body.length);
    return out;
  }
}
