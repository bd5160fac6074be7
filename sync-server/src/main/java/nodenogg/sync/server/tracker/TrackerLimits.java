package nodenogg.sync.server.tracker;

import java.time.Duration;
import java.util.Objects;

/**
 * Caps and timings of the WebTorrent tracker. Immutable; {@link #DEFAULT} suits trystero rooms and
 * WebTorrent clients. Per-connection caps answer with a {@code failure reason} and keep the socket;
 * only a frame over {@code maxMessageBytes} (1009), a rate over {@code messagesPerSecond} (1008)
 * and no announce within {@code firstAnnounceDeadline} (1008) close it.
 *
 * @param maxMessageBytes largest accepted tracker message in UTF-8 bytes (larger closes, 1009)
 * @param maxSwarmsPerConnection swarm memberships (info hash, peer id) one socket may hold
 * @param maxPeersPerSwarm peers one swarm holds; a new peer past it gets a failure reason
 * @param messagesPerSecond sustained messages per socket (announces, answers, scrapes)
 * @param burst messages a socket may send at once before the rate applies
 * @param firstAnnounceDeadline a socket that has not sent a valid announce or scrape by then is
 *     closed (the time a socket may sit in the tracker without taking part)
 * @param peerTtl a peer that has not announced for this long leaves its swarm (as
 *     bittorrent-tracker's 20 minutes); a closed socket leaves at once
 * @param announceIntervalSeconds the {@code interval} sent in announce replies (clients announce
 *     again after it); scrape replies carry five times it as {@code min_request_interval}, as
 *     bittorrent-tracker's WebSocket tracker does
 * @param maxSwarms swarms the whole tracker holds; past it new swarms get a failure reason
 * @param maxPeers swarm memberships the whole tracker holds; past it new ones get a failure reason
 * @param maxScrapeHashes info hashes one scrape may ask about
 */
public record TrackerLimits(
    int maxMessageBytes,
    int maxSwarmsPerConnection,
    int maxPeersPerSwarm,
    double messagesPerSecond,
    int burst,
    Duration firstAnnounceDeadline,
    Duration peerTtl,
    int announceIntervalSeconds,
    int maxSwarms,
    int maxPeers,
    int maxScrapeHashes) {

  /**
   * 64 KiB messages (an announce with a few SDP offers is 3–15 KiB), 256 swarms per socket (a
   * WebTorrent client shares one socket between its torrents), 1,000 peers per swarm (as
   * bittorrent-tracker), 20 messages/s with a burst of 200, 30 s to the first announce, a 20 minute
   * peer TTL, a 120 s announce interval (as bittorrent-tracker's WebSocket tracker), and
   * server-wide 50,000 swarms and 100,000 memberships (at most about 45 MB of tracker state, at the
   * ~440 bytes a membership measured in TrackerMemoryTest).
   */
  public static final TrackerLimits DEFAULT =
      new TrackerLimits(
          64 * 1024,
          256,
          1000,
          20,
          200,
          Duration.ofSeconds(30),
          Duration.ofMinutes(20),
          120,
          50_000,
          100_000,
          82);

  public TrackerLimits {
    Objects.requireNonNull(firstAnnounceDeadline, "firstAnnounceDeadline");
    Objects.requireNonNull(peerTtl, "peerTtl");
    if (maxMessageBytes < 256
        || maxSwarmsPerConnection < 1
        || maxPeersPerSwarm < 1
        || !(messagesPerSecond > 0)
        || burst < 1
        || announceIntervalSeconds < 1
        || maxSwarms < 1
        || maxPeers < 1
        || maxScrapeHashes < 1
        || firstAnnounceDeadline.isNegative()
        || firstAnnounceDeadline.isZero()
        || peerTtl.isNegative()
        || peerTtl.isZero()) {
      throw new IllegalArgumentException(
          "tracker limits must be positive (maxMessageBytes >= 256)");
    }
  }

  /** A copy with other server-wide caps (swarms, memberships). */
  public TrackerLimits withServerCaps(int swarms, int peers) {
    return new TrackerLimits(
        maxMessageBytes,
        maxSwarmsPerConnection,
        maxPeersPerSwarm,
        messagesPerSecond,
        burst,
        firstAnnounceDeadline,
        peerTtl,
        announceIntervalSeconds,
        swarms,
        peers,
        maxScrapeHashes);
  }
}
