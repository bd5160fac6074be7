package nodenogg.sync.server.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nodenogg.sync.server.TestTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tracker protocol against a standalone TrackerServer, message by message, exactly. */
class TrackerHandlerTest {

  static final String H1 = id("room-one");
  static final String H2 = id("room-two");

  private TrackerServer server;

  /** A 20-character id from a readable prefix. */
  static String id(String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    while (sb.length() < 20) {
      sb.append('.');
    }
    return sb.substring(0, 20);
  }

  static String announce(String hash, String peer, String extra) {
    return "{\"action\":\"announce\",\"info_hash\":\""
        + hash
        + "\",\"peer_id\":\""
        + peer
        + "\""
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  static String offers(String... ids) {
    StringBuilder sb = new StringBuilder("\"numwant\":" + ids.length + ",\"offers\":[");
    for (int i = 0; i < ids.length; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"offer_id\":\"")
          .append(ids[i])
          .append("\",\"offer\":{\"type\":\"offer\",\"sdp\":\"sdp-")
          .append(ids[i])
          .append("\"}}");
    }
    return sb.append(']').toString();
  }

  static String reply(int complete, int incomplete, String hash) {
    return "{\"complete\":"
        + complete
        + ",\"incomplete\":"
        + incomplete
        + ",\"action\":\"announce\",\"interval\":120,\"info_hash\":\""
        + hash
        + "\"}";
  }

  private void start(TrackerLimits limits) throws Exception {
    server = TrackerServer.start("127.0.0.1", 0, List.of(), limits);
  }

  private TrackerSocket connect() throws Exception {
    return new TrackerSocket("ws://127.0.0.1:" + server.port() + "/announce");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void announceOfferAnswerAndScrape() throws Exception {
    start(TrackerLimits.DEFAULT);
    String pa = id("peer-a");
    String pb = id("peer-b");
    try (TrackerSocket a = connect();
        TrackerSocket b = connect()) {
      a.send(announce(H1, pa, "\"event\":\"started\"," + offers("offer-a1", "offer-a2")));
      assertEquals(reply(0, 1, H1), a.next(), "alone in the swarm: no one to send offers to");
      b.send(announce(H1, pb, offers("offer-b1", "offer-b2", "offer-b3")));
      assertEquals(reply(0, 2, H1), b.next());
      // exactly one offer reaches the only other peer, as JSON.stringify writes it
      assertEquals(
          "{\"action\":\"announce\",\"offer\":{\"type\":\"offer\",\"sdp\":\"sdp-offer-b1\"},"
              + "\"offer_id\":\"offer-b1\",\"peer_id\":\""
              + pb
              + "\",\"info_hash\":\""
              + H1
              + "\"}",
          a.next());
      assertNull(a.poll(100));
      assertNull(b.poll(50), "the sender never gets its own offers");

      // the answer is routed by to_peer_id; its sender gets no reply
      a.send(
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
          b.next());
      assertNull(a.poll(100));

      a.send(announce(H1, pa, "\"event\":\"completed\""));
      assertEquals(reply(1, 1, H1), a.next());
      b.send(
          "{\"action\":\"scrape\",\"info_hash\":[\"" + H1 + "\",\"" + H2 + "\",\"" + H1 + "\"]}");
      assertEquals(
          "{\"action\":\"scrape\",\"files\":{\""
              + H1
              + "\":{\"complete\":1,\"incomplete\":1,\"downloaded\":1},\""
              + H2
              + "\":{\"complete\":0,\"incomplete\":0,\"downloaded\":0}},\"flags\":{\"min_request_interval\":600}}",
          b.next());
      b.send("{\"action\":\"scrape\",\"info_hash\":\"" + H2 + "\"}");
      assertEquals(
          "{\"action\":\"scrape\",\"files\":{\""
              + H2
              + "\":{\"complete\":0,\"incomplete\":0,\"downloaded\":0}},"
              + "\"flags\":{\"min_request_interval\":600}}",
          b.next());

      // stopped leaves; a closed socket counts as stopped
      b.send(announce(H1, pb, "\"event\":\"stopped\""));
      assertEquals(reply(1, 0, H1), b.next());
      assertEquals(1, server.handler().swarmSize(H1));
      a.close();
      TestTime.await(
          "a's swarm freed",
          () -> server.handler().swarmSize(H1) == 0 && server.handler().stats().swarms() == 0);
      TrackerStats stats = server.handler().stats();
      assertEquals(0, stats.peers());
      assertEquals(1, stats.offersRelayed());
      assertEquals(1, stats.answersRelayed());
      assertEquals(2, stats.scrapes());
    }
  }

  @Test
  void eachOfferGoesToADifferentOtherPeer() throws Exception {
    start(TrackerLimits.DEFAULT);
    List<TrackerSocket> peers = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        TrackerSocket s = connect();
        peers.add(s);
        s.send(announce(H1, id("p" + i), ""));
        assertEquals(reply(0, i + 1, H1), s.next());
      }
      TrackerSocket sender = peers.get(0);
      for (int round = 0; round < 20; round++) {
        sender.send(
            announce(
                H1, id("p0"), offers("o" + round + "a", "o" + round + "b", "o" + round + "c")));
        assertEquals(reply(0, 6, H1), sender.next());
        Set<String> offerIds = new HashSet<>();
        int receivers = 0;
        for (TrackerSocket s : peers.subList(1, 6)) {
          String m = s.poll(200);
          if (m != null) {
            receivers++;
            offerIds.add(m.replaceAll(".*\"offer_id\":\"([^\"]+)\".*", "$1"));
            assertNull(s.poll(20), "one offer per peer and announce");
          }
        }
        assertEquals(3, receivers, "three offers, three different peers");
        assertEquals(Set.of("o" + round + "a", "o" + round + "b", "o" + round + "c"), offerIds);
        assertNull(sender.poll(20));
      }
    } finally {
      for (TrackerSocket s : peers) {
        s.close();
      }
    }
  }

  @Test
  void binaryStringsStandForTheirLowBytesAndTravelAsJsonStringifyWritesThem() throws Exception {
    start(TrackerLimits.DEFAULT);
    // bittorrent-tracker reads info_hash as a 'binary' string: U+0141 is byte 0x41 ('A')
    String wide = "\u0141" + id("wide").substring(1);
    String narrow = "A" + id("wide").substring(1);
    String control = "\u0000\u001f\u007f\u00ff\"\\" + id("ctl").substring(6);
    try (TrackerSocket a = connect();
        TrackerSocket b = connect()) {
      a.send(announce(wide, id("pa"), ""));
      assertEquals(reply(0, 1, narrow), a.next());
      b.send(
          "{\"action\":\"announce\",\"info_hash\":\""
              + narrow
              + "\",\"peer_id\":\""
              + id("pb")
              + "\"}");
      assertEquals(reply(0, 2, narrow), b.next(), "the same swarm");
      a.send(
          "{\"action\":\"announce\",\"info_hash\":\"\\u0000\\u001f\u007f\u00ff\\\"\\\\"
              + id("ctl").substring(6)
              + "\",\"peer_id\":\""
              + id("pa")
              + "\"}");
      assertEquals(
          "{\"complete\":0,\"incomplete\":1,\"action\":\"announce\",\"interval\":120,\"info_hash\":"
              + "\"\\u0000\\u001f\u007f\u00ff\\\"\\\\"
              + id("ctl").substring(6)
              + "\"}",
          a.next());
      assertEquals(1, server.handler().swarmSize(control));
    }
  }

  @Test
  void seedersAndEventsCountAsBittorrentTrackerCountsThem() throws Exception {
    start(TrackerLimits.DEFAULT);
    try (TrackerSocket a = connect()) {
      a.send(announce(H1, id("s1"), "\"left\":0"));
      assertEquals(reply(1, 0, H1), a.next(), "left 0 is a seeder");
      a.send(announce(H1, id("s2"), "\"left\":\"\""));
      assertEquals(reply(2, 0, H1), a.next(), "Number('') is 0");
      a.send(announce(H1, id("l1"), "\"left\":5,\"event\":\"started\""));
      assertEquals(reply(2, 1, H1), a.next());
      a.send(announce(H1, id("l1"), "\"left\":0,\"event\":\"paused\""));
      assertEquals(reply(3, 0, H1), a.next(), "an update with left 0 completes");
      a.send(announce(H1, id("l2"), "\"event\":\"\""));
      assertEquals(reply(3, 1, H1), a.next(), "an empty event is an update");
      a.send(announce(H1, id("l2"), "\"event\":\"completed\""));
      assertEquals(reply(4, 0, H1), a.next());
      a.send(announce(H2, id("x"), "\"event\":\"stopped\""));
      assertEquals(reply(0, 0, H2), a.next(), "stopping in a swarm one never joined");
      assertEquals(0, server.handler().swarmSize(H2));
    }
  }
}
