package nodenogg.sync.server.tracker;

/**
 * A snapshot of the tracker's counters, as {@code GET /status} reports them under {@code "tracker"}.
 * Gauges (now): {@code connections}, {@code swarms}, {@code peers} (swarm memberships). Totals since
 * start: {@code announces} (announce messages accepted, answers included), {@code offersRelayed},
 * {@code answersRelayed}, {@code scrapes}, {@code failures} (failure reasons sent: bad input and
 * refusals by a limit), {@code closedByLimit} (sockets closed for frame size, rate or the
 * first-announce deadline), {@code expired} (peers dropped by the TTL).
 */
public record TrackerStats(int connections, int swarms, int peers, long announces, long offersRelayed,
    long answersRelayed, long scrapes, long failures, long closedByLimit, long expired) {

  /** The counters as a JSON object. */
  public String toJson() {
    return "{\"connections\":" + connections + ",\"swarms\":" + swarms + ",\"peers\":" + peers
        + ",\"announces\":" + announces + ",\"offersRelayed\":" + offersRelayed
        + ",\"answersRelayed\":" + answersRelayed + ",\"scrapes\":" + scrapes
        + ",\"failures\":" + failures + ",\"closedByLimit\":" + closedByLimit
        + ",\"expired\":" + expired + "}";
  }
}
