package nodenogg.sync.server.tracker;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 *   <li>{@code
 *       {"action":"announce","info_hash":h,"peer_id":p,"offers":[{"offer_id":i,"offer":sdp},...],
 *       "event":e}}: {@code h} and {@code p} are 20-character (binary) strings; {@code event} is
 *       {@code started}, {@code update} (also when missing), {@code completed}, {@code paused} or
 *       {@code stopped}; {@code left: 0} marks a seeder. The sender gets {@code
 *       {"complete":c,"incomplete":n,"action":"announce","interval":s,"info_hash":h}} and each
 *       offer goes to a different, randomly chosen other peer of the swarm as {@code
 *       {"action":"announce","offer":sdp,"offer_id":i,"peer_id":p,"info_hash":h}} (as many offers
 *       as there are other peers, at most 82).
 *   <li>An announce carrying {@code answer}, {@code offer_id} and {@code to_peer_id} is routed to
 *       that peer of the swarm as {@code
 *       {"action":"announce","answer":sdp,"offer_id":i,"peer_id":p, "info_hash":h}}; its sender
 *       gets no reply.
 *   <li>{@code {"action":"scrape","info_hash":h or [h,...]}} answers the swarms' counts.
 *   <li>Bad input gets {@code {"failure reason":...}} (with {@code action} and {@code info_hash}
 *       when it concerns one swarm) and the socket stays open; a closed socket leaves all its
 *       swarms.
 * </ul>
 *
 * <p>Only these JSON messages pass through the server: SDP offers and answers, relayed as they were
 * sent (trystero encrypts them with the room password), never any application data, which flows
 * peer to peer over WebRTC. Info hashes and peer ids are binary strings: as in bittorrent-tracker,
 * each character stands for its low byte.
 *
 * <p>Where bittorrent-tracker is lax this tracker is strict (see docs/torrent.md): offers and
 * answers must be objects with a string {@code offer_id}; a peer id held in a swarm by another open
 * socket is refused; an answer to a peer not in the swarm gets a failure reason; a scrape must name
 * its info hashes (the tracker never lists its swarms); a full swarm refuses newcomers instead of
 * evicting its oldest peer. Limits: {@link TrackerLimits}.
 *
 * <p>Mount it on a {@link WebServer} ({@code socket("/announce"::equals, tracker)}) and call {@link
 * #sweep()} every second or so (expiry and deadlines), or run {@link TrackerServer}.
 *
 * <p>In a cluster ({@link #relay(Relay)}) a swarm spans the instances: each instance knows the
 * peers the others hold in the swarms it has local peers in, picks offer targets among all of them,
 * and forwards an offer or answer for a peer of another instance to that instance, which sends it
 * to the peer's socket (see docs/scale-out.md).
 *
 * <p>Thread-safe: callbacks for different connections may run concurrently.
 */
public final class TrackerHandler implements SocketHandler {

  /** bittorrent-tracker's MAX_ANNOUNCE_PEERS: offers forwarded from one announce at most. */
  static final int MAX_OFFERS_FORWARDED = 82;

  private static final long TTL_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * A peer of another instance not announced again for this long is dropped (its instance died).
   */
  static final long REMOTE_STALE_NANOS = TimeUnit.SECONDS.toNanos(100);

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
  private final AtomicInteger remotePeers = new AtomicInteger();
  private final LongAdder forwarded = new LongAdder();
  private final LongAdder fromOtherInstances = new LongAdder();
  private final LongAdder undeliverable = new LongAdder();
  private volatile Relay relay;
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
    return new TrackerStats(
        connections.get(),
        swarmCount.get(),
        peerCount.get(),
        announces.sum(),
        offersRelayed.sum(),
        answersRelayed.sum(),
        scrapes.sum(),
        failures.sum(),
        closedByLimit.sum(),
        expired.sum(),
        relay == null
            ? null
            : new TrackerStats.Cluster(
                remotePeers.get(), forwarded.sum(), fromOtherInstances.sum(), undeliverable.sum()));
  }

  /**
   * Where swarms span the instances of a cluster (null: this tracker alone). Its methods are called
   * while a swarm is locked: they must not block. Every instance with local peers in a swarm tells
   * the others who they are ({@link #joined}, {@link #left}, and the whole list at least every 30
   * s, from {@link TrackerHandler#localPeers}); the others feed that to {@link
   * TrackerHandler#remoteJoined}, {@link TrackerHandler#remoteLeft} and {@link
   * TrackerHandler#remoteMembers}.
   */
  public interface Relay {
    /**
     * The first local peer is joining the swarm of {@code infoHash}. The returned future completes
     * once the peers other instances hold in it are known (or a short timeout passed); announces in
     * that swarm wait until then, so the first one already reaches peers of other instances.
     */
    CompletableFuture<Void> opened(String infoHash);

    /** The swarm has no local peer any more. */
    void closed(String infoHash);

    /** A local peer joined the swarm, or became complete. */
    void joined(String infoHash, String peerId, boolean complete);

    /** A local peer left the swarm. */
    void left(String infoHash, String peerId);

    /**
     * An offer or answer ({@code text}, ready to send) for {@code peerId}, a peer of {@code
     * instance}.
     */
    void forward(String instance, String infoHash, String peerId, String text);
  }

  /** Makes swarms span a cluster through {@code relay} (set once, before clients connect). */
  public void relay(Relay relay) {
    this.relay = relay;
  }

  /**
   * Cluster: the local peers of a swarm (peer id, complete), for the other instances; empty when
   * none.
   */
  public List<Map.Entry<String, Boolean>> localPeers(String infoHash) {
    Swarm s = swarms.get(infoHash);
    if (s == null) {
      return List.of();
    }
    synchronized (s) {
      return s.dead ? List.of() : s.localPeers();
    }
  }

  /**
   * Cluster: {@code instance} has peer {@code peerId} in the swarm (ignored when the swarm has no
   * local peer).
   */
  public void remoteJoined(String infoHash, String instance, String peerId, boolean complete) {
    withSwarm(infoHash, s -> addRemote(s, instance, peerId, complete, System.nanoTime()));
  }

  /** Cluster: peer {@code peerId} of {@code instance} left the swarm. */
  public void remoteLeft(String infoHash, String instance, String peerId) {
    withSwarm(
        infoHash,
        s -> {
          Swarm.Remote r = s.getRemote(peerId);
          if (r != null && r.instance.equals(instance) && s.removeRemote(r)) {
            remotePeers.decrementAndGet();
          }
        });
  }

  /**
   * Cluster: every peer {@code instance} has in the swarm now (its earlier entries not listed are
   * dropped).
   */
  public void remoteMembers(
      String infoHash, String instance, List<Map.Entry<String, Boolean>> peers) {
    withSwarm(
        infoHash,
        s -> {
          long now = System.nanoTime();
          java.util.Set<String> listed = new java.util.HashSet<>();
          for (Map.Entry<String, Boolean> p : peers) {
            listed.add(p.getKey());
            addRemote(s, instance, p.getKey(), p.getValue(), now);
          }
          for (Swarm.Remote r : s.remotesOf(instance, listed)) {
            if (s.removeRemote(r)) {
              remotePeers.decrementAndGet();
            }
          }
        });
  }

  /**
   * Cluster: sends an offer or answer another instance forwarded to local peer {@code peerId}.
   *
   * @return false when that peer is not here (any more): the message is dropped, as for a closed
   *     socket
   */
  public boolean deliverRemote(String infoHash, String peerId, String text) {
    Swarm s = swarms.get(infoHash);
    Connection to = null;
    if (s != null) {
      synchronized (s) {
        Swarm.Member m = s.dead ? null : s.get(peerId);
        if (m != null && m.owner.connection.isOpen()) {
          to = m.owner.connection;
        }
      }
    }
    if (to == null) {
      undeliverable.increment();
      return false;
    }
    fromOtherInstances.increment();
    to.send(text);
    return true;
  }

  private void withSwarm(String infoHash, java.util.function.Consumer<Swarm> action) {
    Swarm s = swarms.get(infoHash);
    if (s == null) {
      return; // no local peer in it: this instance does not track it
    }
    synchronized (s) {
      if (!s.dead) {
        action.accept(s);
      }
    }
  }

  /** Adds a peer of another instance within the caps (caller holds the swarm's monitor). */
  private void addRemote(Swarm s, String instance, String peerId, boolean complete, long now) {
    if (s.getRemote(peerId) == null
        && (s.size() + s.remoteSize() >= limits.maxPeersPerSwarm()
            || remotePeers.get() >= limits.maxPeers())) {
      return; // full: offers go to the peers already known
    }
    remotePeers.addAndGet(s.putRemote(peerId, instance, complete, now));
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

  /**
   * Per-connection state. Its memberships are guarded by its monitor (lock order: swarm, then
   * client).
   */
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

  /**
   * A refused message: the failure reason, and the swarm it concerns (null for malformed input).
   */
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
      closeForLimit(
          connection, 1009, "tracker message larger than " + limits.maxMessageBytes() + " bytes");
      return;
    }
    handle(connection, message);
  }

  /** bittorrent-tracker (Node {@code ws}) reads binary frames as UTF-8 JSON too; so do we. */
  @Override
  public void onBinary(Connection connection, ByteBuffer message) {
    if (message.remaining() > limits.maxMessageBytes()) {
      closeForLimit(
          connection, 1009, "tracker message larger than " + limits.maxMessageBytes() + " bytes");
      return;
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(message)
              .toString();
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
      closeForLimit(
          connection,
          1008,
          "too many tracker messages; at most "
              + Json.numberToString(limits.messagesPerSecond())
              + " per second");
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
        throw new Refusal(
            "invalid action in WS request: "
                + (m.containsKey("action") ? jsString(action) : "undefined"),
            null);
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
    c.tokens =
        Math.min(
            limits.burst(), c.tokens + (now - c.lastTokenNanos) * limits.messagesPerSecond() / 1e9);
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
      connection.send(
          "{\"action\":\"announce\",\"failure reason\":"
              + TrackerJson.stringify(reason)
              + ",\"info_hash\":"
              + TrackerJson.stringify(infoHash)
              + "}");
    }
  }

  private enum Event {
    STARTED,
    UPDATE,
    COMPLETED,
    STOPPED
  }

  /**
   * A message to send once the swarm's lock is released: to a local socket, or forwarded to another
   * instance.
   */
  private record Outgoing(
      Connection to, String text, String instance, String peerId, String infoHash) {
    Outgoing(Connection to, String text) {
      this(to, text, null, null, null);
    }
  }

  private void announce(Client client, Map<String, Object> m, long now) {
    String infoHash = id(m.get("info_hash"), "invalid info_hash");
    String peerId = id(m.get("peer_id"), "invalid peer_id");
    Object answer = m.get("answer");
    boolean answering = truthy(answer);
    String toPeer =
        answering ? id(m.get("to_peer_id"), "invalid `to_peer_id` (required with `answer`)") : null;
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
    for (; ; ) {
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
        if (swarm.opening != null) {
          // cluster: the other instances' peers of this new swarm are not known yet; answer once
          // they are
          if (swarm.parked == null) {
            swarm.parked = new ArrayList<>(2);
          }
          swarm.parked.add(() -> announceLater(client, m));
          return;
        }
        try {
          join(swarm, client, peerId, event, seeder, now);
          if (!answering) {
            out.add(
                new Outgoing(
                    client.connection,
                    reply(swarm.totalComplete(), swarm.totalIncomplete(), hashJson)));
          }
          if (want > 0) {
            List<Object> targets = swarm.pick(want, peerId);
            for (int i = 0; i < targets.size(); i++) {
              Map<String, Object> offer = offers.get(i);
              String text =
                  relay("offer", offer.get("offer"), offer.get("offer_id"), peerJson, hashJson);
              out.add(to(targets.get(i), text, infoHash));
            }
          }
          if (answering) {
            Swarm.Member target = swarm.get(toPeer);
            Object to =
                target != null && !expiredNow(target, now) ? target : swarm.getRemote(toPeer);
            if (to == null) {
              throw new Refusal("no peer with that `to_peer_id` in this swarm", infoHash);
            }
            out.add(to(to, relay("answer", answer, offerId, peerJson, hashJson), infoHash));
          }
        } finally {
          dropIfEmpty(swarm);
        }
      }
      break;
    }
    announces.increment();
    Relay r = relay;
    for (Outgoing o : out) {
      if (o.to != null) {
        o.to.send(o.text);
      } else if (r != null) {
        forwarded.increment();
        r.forward(o.instance, o.infoHash, o.peerId, o.text);
      }
      if (o.to != client.connection) {
        if (answering) {
          answersRelayed.increment();
        } else {
          offersRelayed.increment();
        }
      }
    }
  }

  private static Outgoing to(Object target, String text, String infoHash) {
    if (target instanceof Swarm.Member) {
      return new Outgoing(((Swarm.Member) target).owner.connection, text);
    }
    Swarm.Remote r = (Swarm.Remote) target;
    return new Outgoing(null, text, r.instance, r.peerId, infoHash);
  }

  /** An announce that waited for a new swarm's peers on other instances. */
  private void announceLater(Client client, Map<String, Object> m) {
    if (!client.connection.isOpen()) {
      return;
    }
    try {
      announce(client, m, System.nanoTime());
    } catch (Refusal r) {
      fail(client.connection, r.infoHash, r.getMessage());
    } catch (RuntimeException e) {
      fail(client.connection, null, "internal error: " + e);
    }
  }

  /**
   * Cluster: the other instances' peers of a new swarm are known; the announces that waited run
   * now.
   */
  private void finishOpening(Swarm swarm) {
    List<Runnable> waiting;
    synchronized (swarm) {
      swarm.opening = null;
      waiting = swarm.parked;
      swarm.parked = null;
    }
    if (waiting == null || waiting.isEmpty()) {
      return; // the announce that created the swarm has not joined it yet; it will
    }
    for (Runnable r : waiting) {
      r.run();
    }
    synchronized (swarm) {
      dropIfEmpty(swarm); // every waiting announce may have been refused or stopped
    }
  }

  private Swarm createSwarm(String infoHash) {
    Swarm existing = swarms.get(infoHash);
    if (existing != null) {
      return existing;
    }
    if (swarmCount.incrementAndGet() > limits.maxSwarms()) {
      swarmCount.decrementAndGet();
      throw new Refusal(
          "tracker is full: it holds " + limits.maxSwarms() + " swarms; try again later", infoHash);
    }
    Swarm fresh = new Swarm(infoHash);
    Relay r = relay;
    CompletableFuture<Void> open = r == null ? null : new CompletableFuture<>();
    fresh.opening = open;
    existing = swarms.putIfAbsent(infoHash, fresh);
    if (existing != null) {
      swarmCount.decrementAndGet();
      return existing;
    }
    if (r != null) {
      CompletableFuture<Void> known;
      try {
        known = r.opened(infoHash);
      } catch (RuntimeException e) {
        known = CompletableFuture.completedFuture(null);
      }
      open.whenComplete((x, e) -> finishOpening(fresh));
      known.whenComplete((x, e) -> open.complete(null));
    }
    return fresh;
  }

  private boolean expiredNow(Swarm.Member member, long now) {
    return now - member.lastAnnounceNanos > limits.peerTtl().toNanos();
  }

  /** Applies an announce's event to the swarm (caller holds the swarm's monitor). */
  private void join(
      Swarm swarm, Client client, String peerId, Event event, boolean seeder, long now) {
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
      throw new Refusal(
          "peer_id is already announced in this swarm by another connection", swarm.infoHash);
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
          throw new Refusal(
              "more than " + limits.maxSwarmsPerConnection() + " swarms on one connection",
              swarm.infoHash);
        }
        if (swarm.size() + swarm.remoteSize() >= limits.maxPeersPerSwarm()) {
          throw new Refusal(
              "swarm is full: it holds " + limits.maxPeersPerSwarm() + " peers", swarm.infoHash);
        }
        if (peerCount.incrementAndGet() > limits.maxPeers()) {
          peerCount.decrementAndGet();
          throw new Refusal(
              "tracker is full: it holds " + limits.maxPeers() + " peers; try again later",
              swarm.infoHash);
        }
        member = new Swarm.Member(peerId, swarm, client, seeder, now);
        if (swarm.add(member)) {
          remotePeers.decrementAndGet(); // it was known on another instance; now it is here
        }
        client.memberships.add(member);
      }
      Relay r = relay;
      if (r != null) {
        r.joined(swarm.infoHash, peerId, seeder);
      }
      return;
    }
    member.lastAnnounceNanos = now;
    if ((event == Event.COMPLETED || seeder) && !member.complete) {
      swarm.markComplete(member);
      Relay r = relay;
      if (r != null) {
        r.joined(swarm.infoHash, peerId, true);
      }
    }
  }

  /** Removes a member from its swarm and its owner (caller holds the swarm's monitor). */
  private void leave(Swarm swarm, Swarm.Member member) {
    if (swarm.remove(member)) {
      peerCount.decrementAndGet();
      synchronized (member.owner) {
        member.owner.memberships.remove(member);
      }
      Relay r = relay;
      if (r != null) {
        r.left(swarm.infoHash, member.peerId);
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
            counts[0] = s.totalComplete();
            counts[1] = s.totalIncomplete();
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
      sb.append(":{\"complete\":")
          .append(c[0])
          .append(",\"incomplete\":")
          .append(c[1])
          .append(",\"downloaded\":")
          .append(c[0])
          .append('}');
    }
    sb.append("},\"flags\":{\"min_request_interval\":")
        .append(5L * limits.announceIntervalSeconds())
        .append("}}");
    scrapes.increment();
    client.connection.send(sb.toString());
  }

  /** {@code {"action":"announce","offer"|"answer":sdp,"offer_id":i,"peer_id":p,"info_hash":h}}. */
  private static String relay(
      String kind, Object sdp, Object offerId, String peerJson, String hashJson) {
    int size =
        sdp instanceof TrackerJson.Spanned
            ? ((TrackerJson.Spanned) sdp).end() - ((TrackerJson.Spanned) sdp).start() + 160
            : 2048;
    StringBuilder sb = new StringBuilder(size);
    sb.append("{\"action\":\"announce\",\"").append(kind).append("\":");
    TrackerJson.write(sb, sdp);
    sb.append(",\"offer_id\":");
    TrackerJson.write(sb, offerId);
    return sb.append(",\"peer_id\":")
        .append(peerJson)
        .append(",\"info_hash\":")
        .append(hashJson)
        .append('}')
        .toString();
  }

  private String reply(int complete, int incomplete, String hashJson) {
    return "{\"complete\":"
        + complete
        + ",\"incomplete\":"
        + incomplete
        + ",\"action\":\"announce\",\"interval\":"
        + limits.announceIntervalSeconds()
        + ",\"info_hash\":"
        + hashJson
        + "}";
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
      if (!(o instanceof Map)
          || !(((Map<String, Object>) o).get("offer") instanceof Map)
          || !(((Map<String, Object>) o).get("offer_id") instanceof String)) {
        throw new Refusal(
            "invalid offers[" + i + "]: {offer_id: string, offer: {type, sdp}} is expected", null);
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
        case "started":
          return Event.STARTED;
        case "update":
        case "paused":
        case "empty":
          return Event.UPDATE;
        case "completed":
          return Event.COMPLETED;
        case "stopped":
          return Event.STOPPED;
        default:
          break;
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
    if (!swarm.dead && swarm.size() == 0 && swarm.opening == null) {
      swarm.dead = true;
      swarms.remove(swarm.infoHash, swarm);
      swarmCount.decrementAndGet();
      Relay r = relay;
      if (r != null) {
        remotePeers.addAndGet(-swarm.clearRemotes());
        r.closed(swarm.infoHash);
      }
    }
  }

  /**
   * Housekeeping: closes sockets that have not announced within the deadline (1008) and, every ten
   * seconds, drops peers past their TTL. Call it about once a second from any thread.
   */
  public void sweep() {
    sweep(System.nanoTime());
  }

  void sweep(long now) {
    long deadline = limits.firstAnnounceDeadline().toNanos();
    for (Client c : waiting.keySet()) {
      if (now - c.openedNanos > deadline) {
        waiting.remove(c);
        closeForLimit(
            c.connection,
            1008,
            "no tracker announce within " + limits.firstAnnounceDeadline().toSeconds() + " s");
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
        Relay r = relay;
        for (Swarm.Member m : swarm.expire(now, ttl)) {
          expired.increment();
          peerCount.decrementAndGet();
          synchronized (m.owner) {
            m.owner.memberships.remove(m);
          }
          if (r != null) {
            r.left(swarm.infoHash, m.peerId);
          }
        }
        remotePeers.addAndGet(-swarm.expireRemotes(now, REMOTE_STALE_NANOS));
        dropIfEmpty(swarm);
      }
    }
  }
}
