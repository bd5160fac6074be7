package nodenogg.sync.server.tracker;

/**
 * A snapshot of the tracker's counters, as {@code GET /status} reports them under {@code
 * "tracker"}. Gauges (now): {@code connections}, {@code swarms}, {@code peers} (swarm memberships).
 * Totals since start: {@code announces} (announce messages accepted, answers included), {@code
 * offersRelayed}, {@code answersRelayed}, {@code scrapes}, {@code failures} (failure reasons sent:
 * bad input and refusals by a limit), {@code closedByLimit} (sockets closed for frame size, rate or
 * the first-announce deadline), {@code expired} (peers dropped by the TTL); {@code cluster} when
 * swarms span the instances of a cluster, else null.
 */
public record TrackerStats(
    int connections,
    int swarms,
    int peers,
    long announces,
    long offersRelayed,
    long answersRelayed,
    long scrapes,
    long failures,
    long closedByLimit,
    long expired,
    Cluster cluster) {

  /** The counters of a tracker alone. */
  public TrackerStats(
      int connections,
      int swarms,
      int peers,
      long announces,
      long offersRelayed,
      long answersRelayed,
      long scrapes,
      long failures,
      long closedByLimit,
      long expired) {
    this(
        connections,
        swarms,
        peers,
        announces,
        offersRelayed,
        answersRelayed,
        scrapes,
        failures,
        closedByLimit,
        expired,
        null);
  }

  /**
   * Swarms spanning a cluster.
   *
   * @param remotePeers peers of other instances known in the swarms that have local peers (gauge)
   * @param forwarded offers and answers sent to other instances for their peers
   * @param fromOtherInstances offers and answers other instances sent here, delivered to local
   *     peers
   * @param undeliverable those whose peer was no longer here (dropped, as for a closed socket)
   */
  public record Cluster(
      int remotePeers, long forwarded, long fromOtherInstances, long undeliverable) {}

  /** The counters as a JSON object. */
  public String toJson() {
    return "{\"connections\":"
        + connections
        + ",\"swarms\":"
        + swarms
        + ",\"peers\":"
        + peers
        + ",\"announces\":"
        + announces
        + ",\"offersRelayed\":"
        + offersRelayed
        + ",\"answersRelayed\":"
        + answersRelayed
        + ",\"scrapes\":"
        + scrapes
        + ",\"failures\":"
        + failures
        + ",\"closedByLimit\":"
        + closedByLimit
        + ",\"expired\":"
        + expired
        + (cluster == null
            ? ""
            : ",\"cluster\":{\"remotePeers\":"
                + cluster.remotePeers()
                + ",\"forwarded\":"
                + cluster.forwarded()
                + ",\"fromOtherInstances\":"
                + cluster.fromOtherInstances()
                + ",\"undeliverable\":"
                + cluster.undeliverable()
                + "}")
        + "}";
  }
}
