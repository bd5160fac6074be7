package nodenogg.sync.server.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import nodenogg.sync.server.SyncServer;
import org.junit.jupiter.api.Test;

/**
 * The npm bittorrent-tracker 11.2.3 client library, and raw frames, against our tracker on {@code
 * /announce} of the main server and against bittorrent-tracker's own server in the same run
 * (js/torrent/tracker-diff.mjs). Both transcripts must be identical, except for the steps where we
 * refuse on purpose what the reference accepts or words a failure differently; those are asserted
 * one by one below, both sides exactly.
 */
class TrackerInteropTest {

  private static final String H1 = "swarm-one...........";

  @Test
  void sameTranscriptAsBittorrentTrackersServer() throws Exception {
    TorrentNode.dir();
    JsonNode result;
    try (SyncServer server = SyncServer.builder().host("127.0.0.1").port(0).build().start()) {
      TorrentNode.Result r =
          TorrentNode.run(
              180, "tracker-diff.mjs", "--ours", "ws://127.0.0.1:" + server.port() + "/announce");
      assertEquals(0, r.exitCode(), "tracker-diff.mjs failed: " + r.stderr() + r.stdout());
      result = new ObjectMapper().readTree(r.stdout());
      TrackerStats stats = server.tracker().stats();
      assertTrue(stats.offersRelayed() > 0 && stats.answersRelayed() > 0, stats.toString());
    }
    JsonNode ref = result.get("reference");
    JsonNode ours = result.get("ours");

    // 1. the client library: what each client emitted, phase by phase
    assertEquals(
        0,
        ref.get("client").get("problems").size(),
        "reference: " + ref.get("client").get("problems"));
    assertEquals(ref.get("client").get("phases").size(), ours.get("client").get("phases").size());
    for (int i = 0; i < ref.get("client").get("phases").size(); i++) {
      JsonNode expected = ref.get("client").get("phases").get(i);
      assertEquals(
          expected,
          ours.get("client").get("phases").get(i),
          "client phase: " + expected.get("label"));
    }
    assertEquals(ref.get("client").get("problems"), ours.get("client").get("problems"));
    // and the scenario did what it says: offers and answers crossed (peer events on every side)
    String phases = ours.get("client").get("phases").toString();
    assertTrue(
        phases.contains("\\\"type\\\":\\\"peer\\\",\\\"id\\\":\\\"" + "b".repeat(40)), phases);
    assertTrue(
        phases.contains("\\\"type\\\":\\\"peer\\\",\\\"id\\\":\\\"" + "c".repeat(40)), phases);

    // 2. raw frames, step by step
    Map<String, String[]> differences = new LinkedHashMap<>();
    // label -> {reference's frame (exact, or a prefix ending in '*'), ours (exact)}; on socket 3
    differences.put(
        "3 sends text that is not JSON",
        new String[] {
          "{\"failure reason\":*",
          "{\"failure reason\":\"invalid JSON at position 0: expected a JSON value\"}"
        });
    differences.put(
        "3 sends the JSON number 5",
        new String[] {
          "{\"failure reason\":\"Cannot create property 'type' on number '5'\"}",
          "{\"failure reason\":\"tracker messages are JSON objects\"}"
        });
    differences.put(
        "3 sends JSON null",
        new String[] {
          "{\"failure reason\":\"Cannot set properties of null (setting 'type')\"}",
          "{\"failure reason\":\"tracker messages are JSON objects\"}"
        });
    differences.put(
        "3 answers a peer that is not in the swarm",
        new String[] {
          null,
          "{\"action\":\"announce\",\"failure reason\":\"no peer with that `to_peer_id` in this swarm\",\"info_hash\":\""
              + H1
              + "\"}"
        });
    differences.put(
        "3 scrapes without info_hash",
        new String[] {
          "{\"action\":\"scrape\",\"files\":{*",
          "{\"failure reason\":\"scrape needs info_hash: this tracker does not list its swarms\"}"
        });
    differences.put(
        "3 sends offers that are not an array",
        new String[] {
          "{\"complete\":1,\"incomplete\":1,\"action\":\"announce\",\"interval\":120,\"info_hash\":\""
              + H1
              + "\"}",
          "{\"failure reason\":\"invalid offers: an array is expected\"}"
        });
    differences.put(
        "3 sends an offer that is not an object",
        new String[] {
          "{\"complete\":1,\"incomplete\":1,\"action\":\"announce\",\"interval\":120,\"info_hash\":\""
              + H1
              + "\"}",
          "{\"failure reason\":\"invalid offers[0]: {offer_id: string, offer: {type, sdp}} is expected\"}"
        });
    differences.put(
        "3 announces with the peer_id 2 holds",
        new String[] {
          "{\"complete\":1,\"incomplete\":1,\"action\":\"announce\",\"interval\":120,\"info_hash\":\""
              + H1
              + "\"}",
          "{\"action\":\"announce\",\"failure reason\":\"peer_id is already announced in this swarm by another connection\","
              + "\"info_hash\":\""
              + H1
              + "\"}"
        });

    JsonNode refRaw = ref.get("raw");
    JsonNode ourRaw = ours.get("raw");
    assertEquals(refRaw.size(), ourRaw.size());
    int same = 0;
    for (int i = 0; i < refRaw.size(); i++) {
      String label = refRaw.get(i).get("label").asText();
      assertEquals(label, ourRaw.get(i).get("label").asText());
      String[] expected = differences.get(label);
      if (expected == null) {
        assertEquals(refRaw.get(i), ourRaw.get(i), "raw step: " + label);
        same++;
        continue;
      }
      JsonNode refBox = refRaw.get(i).get("received").get(3);
      JsonNode ourBox = ourRaw.get(i).get("received").get(3);
      if (expected[0] == null) {
        assertEquals(0, refBox.size(), label + ": the reference answers nothing");
      } else {
        assertEquals(1, refBox.size(), label + ": " + refBox);
        String got = refBox.get(0).asText();
        if (expected[0].endsWith("*")) {
          assertTrue(
              got.startsWith(expected[0].substring(0, expected[0].length() - 1)),
              label + ": " + got);
        } else {
          assertEquals(expected[0], got, label + " (reference)");
        }
      }
      assertEquals(1, ourBox.size(), label + ": " + ourBox);
      assertEquals(expected[1], ourBox.get(0).asText(), label + " (ours)");
      for (int s = 0; s < 3; s++) {
        assertEquals(
            0,
            ourRaw.get(i).get("received").get(s).size(),
            label + ": nothing reaches socket " + s);
      }
    }
    assertEquals(refRaw.size() - differences.size(), same, "every other step compared exactly");
  }
}
