package nodenogg.sync.server.tracker;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import nodenogg.crdt.Json;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebServer;

/**
 * A WebTorrent tracker (the WebSocket protocol of {@code bittorrent-tracker}'s server, which
 * trystero's torrent strategy and WebTorrent clients speak) as a {@link SocketHandler}: JSON text
 * frames, one swarm per info hash.
 *
 * <ul>
 * <li>{@code {"action":"announce","info_hash":h,"peer_id":p,"offers":[{"offer_id":i,"offer":sdp},...],
 *     "event":e}}: {@code h} and {@code p} are 20-character (binary) strings; {@code event} is
 *     {@code started}, {@code update} (also when missing), {@code completed}, {@code paused} or
 *     {@code stopped}; {@code left: 0} marks a seeder. The sender gets
 *     {@code {"complete":c,"incomplete":n,"action":"announce","interval":s,"info_hash":h}} and
 *     each offer goes to a different, randomly chosen other peer of the swarm as
 *     {@code {"action":"announce","offer":sdp,"offer_id":i,"peer_id":p,"info_hash":h}} (as many
 *     offers as there are other peers, at most 82).
 * <li>An announce carrying {@code answer}, {@code offer_id} and {@code to_peer_id} is routed to that
 *     peer of the swarm as {@code {"action":"announce","answer":sdp,"offer_id":i,"peer_id":p,
 *     "info_hash":h}}; its sender gets no reply.
 * <li>{@code {"action":"scrape","info_hash":h or [h,...]}} answers the swarms' counts.
 * <li>Bad input gets {@code {"failure reason":...}} (with {@code action} and {@code info_hash}
 *     when it concerns one swarm) and the socket stays open; a closed socket leaves all its swarms.
 * </ul>
 *
 * <p>Only these JSON messages pass through the server: SDP offers and answers, relayed as they
 * were sent (trystero encrypts them with the room password), never any application data, which
 * flows peer to peer over WebRTC. Info hashes and peer ids are binary strings: as in
 * bittorrent-tracker, each character stands for its low byte.
 *
 * <p>Where bittorrent-tracker is lax this tracker is strict (see docs/torrent.md): offers and answers
 * must be objects with a string {@code offer_id}; a peer id held in a swarm by another open socket
 * is refused; an answer to a peer not in the swarm gets a failure reason; a scrape must name its
 * info hashes (the tracker never lists its swarms); a full swarm refuses newcomers instead of
 * evicting its oldest peer. Limits: {@link TrackerLimits}.
 *
 * <p>Mount it on a {@link WebServer} ({@code socket("/announce"::equals, tracker)}) and call
 * {@link #sweep()} every second or so (expiry and deadlines), or run {@link TrackerServer}.
 *
 * <p>Thread-safe: callbacks for different connections may run concurrently.
 */
public final class TrackerHandler implements SocketHandler {

  /** bittorrent-tracker's MAX_ANNOUNCE_PEERS: offers forwarded from one announce at most. */
  static final int MAX_OFFERS_FORWARDED = 82;
  private static final long TTL_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final TrackerLimits limits;
  private final Map<String, Swarm> swarms = new ConcurrentHashMap<>();
  private final Map<Client, Boolean> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger swarmCount = new AtomicInteger();
  private final AtomicInteger peerCount = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final LongAdder announces = new LongAdder();
  private final LongAdder offersRelayed = new LongAdder();
  private final LongAdder answersRelayed = new LongAdder();
  private final LongAdder scrapes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder closedByLimit = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private volatile long lastTtlSweep = System.nanoTime();

  public TrackerHandler() {
    this(TrackerLimits.DEFAULT);
  }

  public TrackerHandler(TrackerLimits limits) {
    this.limits = limits;
  }

  public TrackerLimits limits() {
    return limits;
  }

  /** The counters now. */
  public TrackerStats stats() {
    return new TrackerStats(connections.get(), swarmCount.get(), peerCount.get(), announces.sum(),
        offersRelayed.sum(), answersRelayed.sum(), scrapes.sum(), failures.sum(), closedByLimit.sum(),
        expired.sum());
  }

  /** Peers in the swarm of this info hash right now (0 when there is none). */
  public int swarmSize(String infoHash) {
    Swarm s = swarms.get(binary(infoHash));
    if (s == null) {
      return 0;
    }
    synchronized (s) {
      return s.dead ? 0 : s.size();
    }
  }

  /** Per-connection state. Its memberships are guarded by its monitor (lock order: swarm, then client). */
  static final class Client {
    final Connection connection;
    final long openedNanos;
    private final List<Swarm.Member> memberships = new ArrayList<>(2);
    private double tokens;
    private long lastTokenNanos;
    boolean active;

    Client(Connection connection, long now, int burst) {
      this.connection = connection;
      this.openedNanos = now;
      this.tokens = burst;
      this.lastTokenNanos = now;
    }
  }

  /** A refused message: the failure reason, and the swarm it concerns (null for malformed input). */
  private static final class Refusal extends RuntimeException {
    final String infoHash;

    Refusal(String reason, String infoHash) {
      super(reason, null, false, false);
      this.infoHash = infoHash;
    }
  }

  @Override
  public void onOpen(Connection connection) {
    long now = System.nanoTime();
    Client c = new Client(connection, now, limits.burst());
    connection.attach(c);
    connections.incrementAndGet();
    waiting.put(c, Boolean.TRUE);
  }

  @Override
  public void onText(Connection connection, String message) {
    if (message.length() > limits.maxMessageBytes()
        || (message.length() * 3L > limits.maxMessageBytes()
            && message.getBytes(StandardCharsets.UTF_8).length > limits.maxMessageBytes())) {
      closeForLimit(connection, 1009, "tracker message larger than " + limits.maxMessageBytes() + " bytes");
      return;
    }
    handle(connection, message);
  }

  /** bittorrent-tracker (Node {@code ws}) reads binary frames as UTF-8 JSON too; so do we. */
  @Override
  public void onBinary(Connection connection, ByteBuffer message) {
    if (message.remaining() > limits.maxMessageBytes()) {
      closeForLimit(connection, 1009, "tracker message larger than " + limits.maxMessageBytes() + " bytes");
      return;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(message).toString();
    } catch (CharacterCodingException e) {
      fail(connection, null, "invalid JSON: the message is not UTF-8");
      return;
    }
    handle(connection, text);
  }

  private void closeForLimit(Connection connection, int code, String reason) {
    closedByLimit.increment();
    connection.close(code, reason);
  }

  private void handle(Connection connection, String text) {
    Object state = connection.attachment();
    if (!(state instanceof Client) || !connection.isOpen()) {
      return;
    }
    Client client = (Client) state;
    long now = System.nanoTime();
    if (!takeToken(client, now)) {
      closeForLimit(connection, 1008, "too many tracker messages; at most "
          + Json.numberToString(limits.messagesPerSecond()) + " per second");
      return;
    }
    try {
      Object parsed;
      try {
        parsed = TrackerJson.parse(text);
      } catch (TrackerJson.Malformed e) {
        throw new Refusal("invalid JSON " + e.getMessage(), null);
      }
      if (parsed instanceof List) {
        // an array is a JS object without an action, as bittorrent-tracker reads it
        throw new Refusal("invalid action in WS request: undefined", null);
      }
      if (!(parsed instanceof Map)) {
        throw new Refusal("tracker messages are JSON objects", null);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) parsed;
      Object action = m.get("action");
      if ("announce".equals(action)) {
        announce(client, m, now);
      } else if ("scrape".equals(action)) {
        scrape(client, m);
      } else {
        throw new Refusal("invalid action in WS request: "
            + (m.containsKey("action") ? jsString(action) : "undefined"), null);
      }
      if (!client.active) {
        client.active = true;
        waiting.remove(client);
      }
    } catch (Refusal r) {
      fail(connection, r.infoHash, r.getMessage());
    }
  }

  private boolean takeToken(Client c, long now) {
    c.tokens = Math.min(limits.burst(), c.tokens + (now - c.lastTokenNanos) * limits.messagesPerSecond() / 1e9);
    c.lastTokenNanos = now;
    if (c.tokens >= 1) {
      c.tokens -= 1;
      return true;
    }
    return false;
  }

  private void fail(Connection connection, String infoHash, String reason) {
    failures.increment();
    if (infoHash == null) {
      connection.send("{\"failure reason\":" + TrackerJson.stringify(reason) + "}");
    } else {
      connection.send("{\"action\":\"announce\",\"failure reason\":" + TrackerJson.stringify(reason)
          + ",\"info_hash\":" + TrackerJson.stringify(infoHash) + "}");
    }
  }

  private enum Event { STARTED, UPDATE, COMPLETED, STOPPED }

  /** A message to send once the swarm's lock is released. */
  private record Outgoing(Connection to, String text) {}

  private void announce(Client client, Map<String, Object> m, long now) {
    String infoHash = id(m.get("info_hash"), "invalid info_hash");
    String peerId = id(m.get("peer_id"), "invalid peer_id");
    Object answer = m.get("answer");
    boolean answering = truthy(answer);
    String toPeer = answering ? id(m.get("to_peer_id"), "invalid `to_peer_id` (required with `answer`)") : null;
    List<Map<String, Object>> offers = offers(m.get("offers"));
    if (answering && !(answer instanceof Map)) {
      throw new Refusal("invalid answer: an object ({type, sdp}) is expected", null);
    }
    Object offerId = m.get("offer_id");
    if (answering && !(offerId instanceof String)) {
      throw new Refusal("invalid offer_id: a string is expected with `answer`", null);
    }
    Event event = event(m.get("event"), infoHash);
    boolean seeder = isJsZero(m.containsKey("left"), m.get("left"));
    int want = Math.min(offers.size(), MAX_OFFERS_FORWARDED);

    List<Outgoing> out = new ArrayList<>(want + 1);
    String hashJson = TrackerJson.stringify(infoHash);
    String peerJson = TrackerJson.stringify(peerId);
    for (;;) {
      Swarm swarm = swarms.get(infoHash);
      if (swarm == null) {
        if (event == Event.STOPPED) {
          if (!answering) {
            out.add(new Outgoing(client.connection, reply(0, 0, hashJson)));
          }
          break;
        }
        swarm = createSwarm(infoHash);
      }
      synchronized (swarm) {
        if (swarm.dead) {
          continue;
        }
        try {
          join(swarm, client, peerId, event, seeder, now);
          if (!answering) {
            out.add(new Outgoing(client.connection, reply(swarm.complete, swarm.incomplete, hashJson)));
          }
          if (want > 0) {
            List<Swarm.Member> targets = swarm.pick(want, peerId);
            for (int i = 0; i < targets.size(); i++) {
              Map<String, Object> offer = offers.get(i);
              out.add(new Outgoing(targets.get(i).owner.connection,
                  relay("offer", offer.get("offer"), offer.get("offer_id"), peerJson, hashJson)));
            }
          }
          if (answering) {
            Swarm.Member target = swarm.get(toPeer);
            if (target == null || expiredNow(target, now)) {
              throw new Refusal("no peer with that `to_peer_id` in this swarm", infoHash);
            }
            out.add(new Outgoing(target.owner.connection, relay("answer", answer, offerId, peerJson, hashJson)));
          }
        } finally {
          dropIfEmpty(swarm);
        }
      }
      break;
    }
    announces.increment();
    for (Outgoing o : out) {
      o.to.send(o.text);
      if (o.to != client.connection) {
        if (answering) {
          answersRelayed.increment();
        } else {
          offersRelayed.increment();
        }
      }
    }
  }

  private Swarm createSwarm(String infoHash) {
    Swarm existing = swarms.get(infoHash);
    if (existing != null) {
      return existing;
    }
    if (swarmCount.incrementAndGet() > limits.maxSwarms()) {
      swarmCount.decrementAndGet();
      throw new Refusal("tracker is full: it holds " + limits.maxSwarms() + " swarms; try again later", infoHash);
    }
    Swarm fresh = new Swarm(infoHash);
    existing = swarms.putIfAbsent(infoHash, fresh);
    if (existing != null) {
      swarmCount.decrementAndGet();
      return existing;
    }
    return fresh;
  }

  private boolean expiredNow(Swarm.Member member, long now) {
    return now - member.lastAnnounceNanos > limits.peerTtl().toNanos();
  }

  /** Applies an announce's event to the swarm (caller holds the swarm's monitor). */
  private void join(Swarm swarm, Client client, String peerId, Event event, boolean seeder, long now) {
    Swarm.Member member = swarm.get(peerId);
    if (member != null && (expiredNow(member, now) || !member.owner.connection.isOpen())) {
      // gone stale (TTL) or its socket is closing: it leaves before this announce is applied
      if (expiredNow(member, now)) {
        expired.increment();
      }
      leave(swarm, member);
      member = null;
    }
    if (member != null && member.owner != client) {
      throw new Refusal("peer_id is already announced in this swarm by another connection", swarm.infoHash);
    }
    if (event == Event.STOPPED) {
      if (member != null) {
        leave(swarm, member);
      }
      return;
    }
    if (member == null) {
      synchronized (client) {
        if (client.memberships.size() >= limits.maxSwarmsPerConnection()) {
          throw new Refusal("more than " + limits.maxSwarmsPerConnection()
              + " swarms on one connection", swarm.infoHash);
        }
        if (swarm.size() >= limits.maxPeersPerSwarm()) {
          throw new Refusal("swarm is full: it holds " + limits.maxPeersPerSwarm() + " peers", swarm.infoHash);
        }
        if (peerCount.incrementAndGet() > limits.maxPeers()) {
          peerCount.decrementAndGet();
          throw new Refusal("tracker is full: it holds " + limits.maxPeers() + " peers; try again later",
              swarm.infoHash);
        }
        member = new Swarm.Member(peerId, swarm, client, seeder, now);
        swarm.add(member);
        client.memberships.add(member);
      }
      return;
    }
    member.lastAnnounceNanos = now;
    if (event == Event.COMPLETED || seeder) {
      swarm.markComplete(member);
    }
  }

  /** Removes a member from its swarm and its owner (caller holds the swarm's monitor). */
  private void leave(Swarm swarm, Swarm.Member member) {
    if (swarm.remove(member)) {
      peerCount.decrementAndGet();
      synchronized (member.owner) {
        member.owner.memberships.remove(member);
      }
    }
  }

  private void scrape(Client client, Map<String, Object> m) {
    Object requested = m.get("info_hash");
    List<String> hashes = new ArrayList<>();
    if (requested instanceof String) {
      hashes.add(id(requested, "invalid info_hash"));
    } else if (requested instanceof List) {
      for (Object h : (List<?>) requested) {
        hashes.add(id(h, "invalid info_hash"));
      }
    } else if (requested == null) {
      throw new Refusal("scrape needs info_hash: this tracker does not list its swarms", null);
    } else {
      throw new Refusal("invalid info_hash", null);
    }
    if (hashes.size() > limits.maxScrapeHashes()) {
      throw new Refusal("scrape of more than " + limits.maxScrapeHashes() + " info hashes", null);
    }
    Map<String, int[]> files = new LinkedHashMap<>();
    for (String h : hashes) {
      Swarm s = swarms.get(h);
      int[] counts = {0, 0};
      if (s != null) {
        synchronized (s) {
          if (!s.dead) {
            counts[0] = s.complete;
            counts[1] = s.incomplete;
          }
        }
      }
      files.put(h, counts);
    }
    StringBuilder sb = new StringBuilder("{\"action\":\"scrape\",\"files\":{");
    boolean first = true;
    for (Map.Entry<String, int[]> e : files.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      int[] c = e.getValue();
      TrackerJson.quote(sb, e.getKey());
      sb.append(":{\"complete\":").append(c[0])
          .append(",\"incomplete\":").append(c[1]).append(",\"downloaded\":").append(c[0]).append('}');
    }
    sb.append("},\"flags\":{\"min_request_interval\":").append(5L * limits.announceIntervalSeconds()).append("}}");
    scrapes.increment();
    client.connection.send(sb.toString());
  }

  /** {@code {"action":"announce","offer"|"answer":sdp,"offer_id":i,"peer_id":p,"info_hash":h}}. */
  private static String relay(String kind, Object sdp, Object offerId, String peerJson, String hashJson) {
    int size = sdp instanceof TrackerJson.Spanned
        ? ((TrackerJson.Spanned) sdp).end() - ((TrackerJson.Spanned) sdp).start() + 160 : 2048;
    StringBuilder sb = new StringBuilder(size);
    sb.append("{\"action\":\"announce\",\"").append(kind).append("\":");
    TrackerJson.write(sb, sdp);
    sb.append(",\"offer_id\":");
    TrackerJson.write(sb, offerId);
    return sb.append(",\"peer_id\":").append(peerJson).append(",\"info_hash\":").append(hashJson).append('}')
        .toString();
  }

  private String reply(int complete, int incomplete, String hashJson) {
    return "{\"complete\":" + complete + ",\"incomplete\":" + incomplete
        + ",\"action\":\"announce\",\"interval\":" + limits.announceIntervalSeconds()
        + ",\"info_hash\":" + hashJson + "}";
  }

  /** A 20-character info hash or peer id, as the binary string it stands for. */
  private static String id(Object value, String failure) {
    if (!(value instanceof String) || ((String) value).length() != 20) {
      throw new Refusal(failure, null);
    }
    return binary((String) value);
  }

  /** Each character as its low byte (bittorrent-tracker reads these strings as 'binary'). */
  static String binary(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        char[] chars = s.toCharArray();
        for (int j = i; j < chars.length; j++) {
          chars[j] = (char) (chars[j] & 0xFF);
        }
        return new String(chars);
      }
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> offers(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List)) {
      throw new Refusal("invalid offers: an array is expected", null);
    }
    List<?> list = (List<?>) value;
    for (int i = 0; i < list.size(); i++) {
      Object o = list.get(i);
      if (!(o instanceof Map) || !(((Map<String, Object>) o).get("offer") instanceof Map)
          || !(((Map<String, Object>) o).get("offer_id") instanceof String)) {
        throw new Refusal("invalid offers[" + i + "]: {offer_id: string, offer: {type, sdp}} is expected", null);
      }
    }
    return (List<Map<String, Object>>) list;
  }

  private static Event event(Object value, String infoHash) {
    if (!truthy(value)) {
      return Event.UPDATE;
    }
    if (value instanceof String) {
      switch ((String) value) {
        case "started": return Event.STARTED;
        case "update":
        case "paused":
        case "empty":
          return Event.UPDATE;
        case "completed": return Event.COMPLETED;
        case "stopped": return Event.STOPPED;
        default: break;
      }
    }
    throw new Refusal("invalid event", infoHash);
  }

  /** JavaScript truthiness of a parsed JSON value. */
  static boolean truthy(Object v) {
    if (v == null || Boolean.FALSE.equals(v)) {
      return false;
    }
    if (v instanceof String) {
      return !((String) v).isEmpty();
    }
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      return d != 0 && !Double.isNaN(d);
    }
    return true;
  }

  /** Whether JavaScript's {@code Number(v) === 0} (how bittorrent-tracker reads {@code left}). */
  static boolean isJsZero(boolean present, Object v) {
    if (!present) {
      return false; // Number(undefined) is NaN
    }
    if (v == null || Boolean.FALSE.equals(v)) {
      return true;
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue() == 0;
    }
    if (v instanceof String) {
      return jsStringIsZero((String) v);
    }
    if (v instanceof List) {
      List<?> l = (List<?>) v;
      if (l.isEmpty()) {
        return true;
      }
      if (l.size() > 1) {
        return false;
      }
      Object only = l.get(0);
      return only == null || (!(only instanceof Map) && jsStringIsZero(jsString(only)));
    }
    return false;
  }

  private static boolean jsStringIsZero(String s) {
    String t = s.strip();
    if (t.isEmpty()) {
      return true;
    }
    if (t.length() > 2 && t.charAt(0) == '0' && "xXoObB".indexOf(t.charAt(1)) >= 0) {
      String digits = t.substring(2);
      int radix = "xX".indexOf(t.charAt(1)) >= 0 ? 16 : "oO".indexOf(t.charAt(1)) >= 0 ? 8 : 2;
      for (int i = 0; i < digits.length(); i++) {
        if (Character.digit(digits.charAt(i), radix) < 0) {
          return false;
        }
      }
      return digits.chars().allMatch(c -> c == '0');
    }
    if (!t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return false;
    }
    return Double.parseDouble(t) == 0;
  }

  /** JavaScript's {@code String(v)} of a parsed JSON value. */
  static String jsString(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof Integer || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Number) {
      return Json.numberToString(((Number) v).doubleValue());
    }
    if (v instanceof List) {
      StringBuilder sb = new StringBuilder();
      List<?> l = (List<?>) v;
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        if (l.get(i) != null) {
          sb.append(jsString(l.get(i)));
        }
      }
      return sb.toString();
    }
    return "[object Object]";
  }

  @Override
  public void onClose(Connection connection, int code, String reason, boolean remote) {
    Object state = connection.attachment();
    if (!(state instanceof Client)) {
      return;
    }
    Client client = (Client) state;
    waiting.remove(client);
    connections.decrementAndGet();
    List<Swarm.Member> mine;
    synchronized (client) {
      mine = new ArrayList<>(client.memberships);
    }
    for (Swarm.Member member : mine) {
      Swarm swarm = member.swarm;
      synchronized (swarm) {
        leave(swarm, member);
        dropIfEmpty(swarm);
      }
    }
  }

  private void dropIfEmpty(Swarm swarm) {
    if (!swarm.dead && swarm.size() == 0) {
      swarm.dead = true;
      swarms.remove(swarm.infoHash, swarm);
      swarmCount.decrementAndGet();
    }
  }

  /**
   * Housekeeping: closes sockets that have not announced within the deadline (1008) and, every
   * ten seconds, drops peers past their TTL. Call it about once a second from any thread.
   */
  public void sweep() {
    sweep(System.nanoTime());
  }

  void sweep(long now) {
    long deadline = limits.firstAnnounceDeadline().toNanos();
    for (Client c : waiting.keySet()) {
      if (now - c.openedNanos > deadline) {
        waiting.remove(c);
        closeForLimit(c.connection, 1008, "no tracker announce within "
            + limits.firstAnnounceDeadline().toSeconds() + " s");
      }
    }
    if (now - lastTtlSweep < TTL_SWEEP_NANOS) {
      return;
    }
    lastTtlSweep = now;
    long ttl = limits.peerTtl().toNanos();
    for (Swarm swarm : swarms.values()) {
      synchronized (swarm) {
        if (swarm.dead) {
          continue;
        }
        for (Swarm.Member m : swarm.expire(now, ttl)) {
          expired.increment();
          peerCount.decrementAndGet();
          synchronized (m.owner) {
            m.owner.memberships.remove(m);
          }
        }
        dropIfEmpty(swarm);
      }
    }
  }
}
