package nodenogg.sync.server.tracker;

import static nodenogg.sync.server.tracker.TrackerHandlerTest.announce;
import static nodenogg.sync.server.tracker.TrackerHandlerTest.id;
import static nodenogg.sync.server.tracker.TrackerHandlerTest.offers;
import static nodenogg.sync.server.tracker.TrackerHandlerTest.reply;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.TestTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input and limits: a failure reason or a closed socket for that client only; others
 * unaffected.
 */
class TrackerLimitsTest {

  private static final String H1 = TrackerHandlerTest.H1;
  private static final String H2 = TrackerHandlerTest.H2;

  private TrackerServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static TrackerLimits limits(
      int perConnection, int perSwarm, double rate, int burst, int maxSwarms, int maxPeers) {
    return new TrackerLimits(
        1024,
        perConnection,
        perSwarm,
        rate,
        burst,
        Duration.ofSeconds(30),
        Duration.ofMinutes(20),
        120,
        maxSwarms,
        maxPeers,
        4);
  }

  private TrackerSocket connect() throws Exception {
    return new TrackerSocket("ws://127.0.0.1:" + server.port() + "/announce");
  }

  private static String refusal(String hash, String reason) {
    return "{\"action\":\"announce\",\"failure reason\":\""
        + reason
        + "\",\"info_hash\":\""
        + hash
        + "\"}";
  }

  /**
   * Every bad message gets its failure reason, the socket stays open, and the swarm next door is
   * untouched.
   */
  @Test
  void badInputGetsAFailureReasonAndTheConnectionStaysUp() throws Exception {
    server = TrackerServer.start("127.0.0.1", 0, List.of(), limits(8, 100, 1000, 1000, 100, 1000));
    String[][] cases = {
      {"not json", "{\"failure reason\":\"invalid JSON at position 0: expected a JSON value\"}"},
      {
        "{\"action\":\"announce\"",
        "{\"failure reason\":\"invalid JSON at position 20: expected '}'\"}"
      },
      {"\"announce\"", "{\"failure reason\":\"tracker messages are JSON objects\"}"},
      {"{}", "{\"failure reason\":\"invalid action in WS request: undefined\"}"},
      {
        "{\"action\":\"connect\"}", "{\"failure reason\":\"invalid action in WS request: connect\"}"
      },
      {"{\"action\":1.5e300}", "{\"failure reason\":\"invalid action in WS request: 1.5e+300\"}"},
      {
        "{\"action\":\"announce\",\"info_hash\":[\"" + H1 + "\"],\"peer_id\":\"" + id("p") + "\"}",
        "{\"failure reason\":\"invalid info_hash\"}"
      },
      {
        "{\"action\":\"announce\",\"info_hash\":\"" + H1 + "x\",\"peer_id\":\"" + id("p") + "\"}",
        "{\"failure reason\":\"invalid info_hash\"}"
      },
      {
        "{\"action\":\"announce\",\"info_hash\":\"" + H1 + "\",\"peer_id\":null}",
        "{\"failure reason\":\"invalid peer_id\"}"
      },
      {
        announce(H1, id("p"), "\"answer\":{\"sdp\":\"x\"},\"offer_id\":\"o\",\"to_peer_id\":7"),
        "{\"failure reason\":\"invalid `to_peer_id` (required with `answer`)\"}"
      },
      {
        announce(
            H1,
            id("p"),
            "\"answer\":\"v=0\",\"offer_id\":\"o\",\"to_peer_id\":\"" + id("q") + "\""),
        "{\"failure reason\":\"invalid answer: an object ({type, sdp}) is expected\"}"
      },
      {
        announce(
            H1,
            id("p"),
            "\"answer\":{\"sdp\":\"x\"},\"offer_id\":3,\"to_peer_id\":\"" + id("q") + "\""),
        "{\"failure reason\":\"invalid offer_id: a string is expected with `answer`\"}"
      },
      {
        announce(H1, id("p"), "\"offers\":{}"),
        "{\"failure reason\":\"invalid offers: an array is expected\"}"
      },
      {
        announce(H1, id("p"), "\"offers\":[{\"offer_id\":\"o\",\"offer\":\"v=0\"}]"),
        "{\"failure reason\":\"invalid offers[0]: {offer_id: string, offer: {type, sdp}} is expected\"}"
      },
      {
        announce(H1, id("p"), "\"offers\":[{\"offer_id\":\"o\",\"offer\":{}},{\"offer\":{}}]"),
        "{\"failure reason\":\"invalid offers[1]: {offer_id: string, offer: {type, sdp}} is expected\"}"
      },
      {announce(H1, id("p"), "\"event\":\"start\""), refusal(H1, "invalid event")},
      {announce(H1, id("p"), "\"event\":7"), refusal(H1, "invalid event")},
      {
        "{\"action\":\"scrape\"}",
        "{\"failure reason\":\"scrape needs info_hash: this tracker does not list its swarms\"}"
      },
      {"{\"action\":\"scrape\",\"info_hash\":{}}", "{\"failure reason\":\"invalid info_hash\"}"},
      {
        "{\"action\":\"scrape\",\"info_hash\":[\""
            + H1
            + "\",\""
            + H1
            + "\",\""
            + H1
            + "\",\""
            + H1
            + "\",\""
            + H1
            + "\"]}",
        "{\"failure reason\":\"scrape of more than 4 info hashes\"}"
      },
      {
        announce(
            H2,
            id("b"),
            "\"answer\":{\"sdp\":\"x\"},\"offer_id\":\"o\",\"to_peer_id\":\""
                + id("nobody")
                + "\""),
        refusal(H2, "no peer with that `to_peer_id` in this swarm")
      },
    };
    try (TrackerSocket bystander = connect();
        TrackerSocket bad = connect()) {
      bystander.send(announce(H1, id("bystander"), ""));
      assertEquals(reply(0, 1, H1), bystander.next());
      for (String[] c : cases) {
        bad.send(c[0]);
        assertEquals(c[1], bad.next(), "for " + c[0]);
      }
      bad.sendBinary(new byte[] {'{', (byte) 0xC3, '}'});
      assertEquals("{\"failure reason\":\"invalid JSON: the message is not UTF-8\"}", bad.next());
      assertTrue(bad.isOpen(), "bad input keeps the connection");
      bad.send(announce(H1, id("now-good"), offers("o1")));
      assertEquals(reply(0, 2, H1), bad.next());
      assertTrue(
          bystander.next().contains("\"offer_id\":\"o1\""), "the bystander's swarm works on");
      assertNull(bystander.poll(100), "and saw nothing of the bad input");
      assertEquals(cases.length + 1, server.handler().stats().failures());
      // the answer to nobody still joined its sender (as bittorrent-tracker does), nothing else was
      // created
      assertEquals(2, server.handler().stats().swarms());
    }
  }

  @Test
  void perConnectionPerSwarmAndServerWideCaps() throws Exception {
    server = TrackerServer.start("127.0.0.1", 0, List.of(), limits(3, 2, 1000, 1000, 4, 6));
    try (TrackerSocket a = connect();
        TrackerSocket b = connect();
        TrackerSocket c = connect()) {
      for (int i = 0; i < 3; i++) {
        a.send(announce(id("s" + i), id("a"), ""));
        assertEquals(reply(0, 1, id("s" + i)), a.next());
      }
      a.send(announce(id("s3"), id("a"), ""));
      assertEquals(refusal(id("s3"), "more than 3 swarms on one connection"), a.next());
      a.send(announce(id("s0"), id("a"), "\"event\":\"completed\""));
      assertEquals(reply(1, 0, id("s0")), a.next(), "its existing swarms still work");
      a.send(announce(id("s1"), id("a"), "\"event\":\"stopped\""));
      assertEquals(reply(0, 0, id("s1")), a.next());
      a.send(announce(id("s3"), id("a"), ""));
      assertEquals(reply(0, 1, id("s3")), a.next(), "leaving one makes room");

      b.send(announce(id("s0"), id("b"), ""));
      assertEquals(reply(1, 1, id("s0")), b.next());
      c.send(announce(id("s0"), id("c"), ""));
      assertEquals(refusal(id("s0"), "swarm is full: it holds 2 peers"), c.next());

      // server-wide: 4 swarms (s0, s2, s3 exist), 6 memberships (a:3, b:1)
      c.send(announce(id("t0"), id("c"), ""));
      assertEquals(reply(0, 1, id("t0")), c.next());
      c.send(announce(id("t1"), id("c"), ""));
      assertEquals(
          refusal(id("t1"), "tracker is full: it holds 4 swarms; try again later"), c.next());
      b.send(announce(id("t0"), id("b"), ""));
      assertEquals(reply(0, 2, id("t0")), b.next());
      b.send(announce(id("s2"), id("b"), ""));
      assertEquals(
          refusal(id("s2"), "tracker is full: it holds 6 peers; try again later"), b.next());
      TrackerStats stats = server.handler().stats();
      assertEquals(4, stats.swarms());
      assertEquals(6, stats.peers());
      assertEquals(3, stats.connections());
    }
    TestTime.await(
        "every swarm freed",
        () ->
            server.handler().stats().swarms() == 0
                && server.handler().stats().peers() == 0
                && server.handler().stats().connections() == 0);
  }

  @Test
  void floodsAndOversizedFramesCloseOnlyThatSocket() throws Exception {
    server = TrackerServer.start("127.0.0.1", 0, List.of(), limits(8, 100, 1, 5, 100, 1000));
    try (TrackerSocket calm = connect();
        TrackerSocket flood = connect();
        TrackerSocket big = connect()) {
      calm.send(announce(H1, id("calm"), ""));
      assertEquals(reply(0, 1, H1), calm.next());
      for (int i = 0; i < 20; i++) {
        flood.send(announce(H1, id("flood"), ""));
      }
      assertEquals(1008, flood.awaitClose(), "over the message rate: closed");
      big.send(announce(H1, id("big"), "\"pad\":\"" + "x".repeat(1100) + "\""));
      assertEquals(1009, big.awaitClose(), "over the frame size: closed");
      TestTime.await("the flooder left its swarm", () -> server.handler().swarmSize(H1) == 1);
      calm.send(announce(H1, id("calm"), ""));
      assertEquals(reply(0, 1, H1), calm.next(), "the calm socket is untouched");
      assertTrue(calm.isOpen());
      // the rate close is the tracker's; the standalone server's WebSocket layer has the same frame
      // cap and
      // closed the oversized frame before the tracker saw it (on the main port the tracker closes
      // it)
      assertEquals(1, server.handler().stats().closedByLimit());
    }
  }

  @Test
  void silentSocketsAreClosedAtTheDeadlineAndStalePeersExpire() throws Exception {
    server = TrackerServer.start("127.0.0.1", 0, List.of(), limits(8, 100, 1000, 1000, 100, 1000));
    try (TrackerSocket silent = connect();
        TrackerSocket onlyBad = connect();
        TrackerSocket active = connect()) {
      onlyBad.send("{}");
      assertTrue(onlyBad.next().contains("failure reason"));
      active.send(announce(H1, id("active"), ""));
      assertEquals(reply(0, 1, H1), active.next());
      TestTime.await("three tracker sockets", () -> server.handler().stats().connections() == 3);
      long now = System.nanoTime();
      server.handler().sweep(now + TimeUnit.SECONDS.toNanos(29));
      assertNull(silent.poll(100), "not yet");
      assertTrue(silent.isOpen());
      server.handler().sweep(now + TimeUnit.SECONDS.toNanos(31));
      assertEquals(1008, silent.awaitClose(), "no announce within the deadline");
      assertEquals(1008, onlyBad.awaitClose(), "bad input alone does not count as taking part");
      assertTrue(active.isOpen());
      assertEquals(1, server.handler().swarmSize(H1));
      // 20 minutes without an announce: the peer leaves its swarm, the socket stays
      server.handler().sweep(now + TimeUnit.MINUTES.toNanos(21));
      assertEquals(0, server.handler().swarmSize(H1));
      assertEquals(0, server.handler().stats().swarms());
      assertEquals(1, server.handler().stats().expired());
      assertTrue(active.isOpen());
    }
  }

  @Test
  void mainServerServesTheTrackerOnAnnounceWithCountersInStatus() throws Exception {
    try (SyncServer sync = SyncServer.builder().host("127.0.0.1").port(0).build().start();
        TrackerSocket a =
            new TrackerSocket("ws://127.0.0.1:" + sync.port() + "/announce?from=test")) {
      a.send(announce(H1, id("a"), ""));
      assertEquals(reply(0, 1, H1), a.next());
      HttpResponse<String> status =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sync.port() + "/status"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, status.statusCode());
      assertTrue(
          status
              .body()
              .contains("\"tracker\":{\"connections\":1,\"swarms\":1,\"peers\":1,\"announces\":1,"),
          status.body());
      // the main port takes 16 MiB messages; the tracker's own 64 KiB cap closes this one
      try (TrackerSocket big = new TrackerSocket("ws://127.0.0.1:" + sync.port() + "/announce")) {
        big.send(announce(H1, id("big"), "\"pad\":\"" + "x".repeat(70_000) + "\""));
        assertEquals(1009, big.awaitClose());
      }
      assertEquals(1, sync.tracker().stats().closedByLimit());
      assertEquals(1, sync.tracker().swarmSize(H1));
    }
    try (SyncServer sync =
        SyncServer.builder().host("127.0.0.1").port(0).tracker(null).build().start()) {
      assertNull(sync.tracker());
      HttpResponse<String> status =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sync.port() + "/status"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertTrue(!status.body().contains("tracker"), status.body());
    }
  }
}
