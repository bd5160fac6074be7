package nodenogg.sync.server.cluster.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nodenogg.sync.server.tracker.TrackerHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebTorrent tracker swarms spanning the instances of a cluster, over Redis pub/sub. A tracker
 * routes each offer to one chosen peer and each answer to one named peer, so instances do not
 * broadcast offers: every instance learns which peers the others hold in the swarms it has local
 * peers in, picks among all of them, and forwards what is meant for another instance's peer to that
 * instance alone.
 *
 * <p>Channels (instance-id framing as the documents; then one line of JSON, and for {@code forward}
 * a newline and the message to deliver, as text):
 *
 * <ul>
 *   <li>{@code <prefix>#tracker:<info hash as 40 hex digits>}, subscribed while the swarm has a
 *       local peer: {@code {"type":"join","peer":p,"complete":b}} (joined, or became a seeder),
 *       {@code {"type":"leave", "peer":p}}, {@code {"type":"members","peers":[[p,b],...]}} (every
 *       local peer; sent every {@link #REFRESH_SECONDS} s and after a Redis reconnect: repairs lost
 *       messages, and peers of an instance that stops sending them are dropped after 100 s), {@code
 *       {"type":"hello"}} (an instance opened the swarm: answer with {@code members} on its own
 *       channel);
 *   <li>{@code <prefix>#tracker-to:<instance id>}: {@code
 *       {"type":"members","info_hash":h,"peers":[...]}} (answers to hello) and {@code
 *       {"type":"forward","info_hash":h,"to":p}} + newline + the offer or answer exactly as the
 *       tracker sends it to peer {@code p}.
 * </ul>
 *
 * Info hashes and peer ids are the tracker's binary strings (each character one byte). When a swarm
 * opens here and {@code PUBSUB NUMSUB} shows other instances in it, its first announces wait until
 * they answered (at most {@link #OPEN_WAIT_MILLIS} ms), so the very first announce already reaches
 * their peers. Malformed messages are dropped with a log line (counted with the document fan-out's)
 * and never reach a client.
 */
public final class TrackerFanout {

  private static final Logger LOG = LoggerFactory.getLogger(TrackerFanout.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a new swarm's announces wait for the other instances' peer lists. */
  static final long OPEN_WAIT_MILLIS = 500;

  /** Every this often each instance publishes the full list of its peers of every swarm it has. */
  static final long REFRESH_SECONDS = 30;

  private final Fanout fanout;
  private final RedisLink link;
  private final ScheduledExecutorService timer;
  private final String swarmPrefix;
  private final String directPrefix;
  private final String directChannel;
  private final TrackerHandler tracker;

  /**
   * Swarms with a local peer: how many swarm objects of the tracker hold the subscription. Guarded
   * by itself.
   */
  private final Map<String, Integer> open = new HashMap<>();

  /** Swarms opening: the instances we still wait for. */
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

  private static final class Waiting {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final AtomicInteger missing;

    Waiting(int others) {
      missing = new AtomicInteger(others);
    }
  }

  public TrackerFanout(
      Fanout fanout,
      RedisLink link,
      ScheduledExecutorService timer,
      String prefix,
      TrackerHandler tracker) {
    this.fanout = fanout;
    this.link = link;
    this.timer = timer;
    this.swarmPrefix = prefix + "#tracker:";
    this.directPrefix = prefix + "#tracker-to:";
    this.directChannel = directPrefix + fanout.id();
    this.tracker = tracker;
  }

  /** Subscribes this instance's channel, wires the tracker and starts the refresh timer. */
  public void start() throws IOException {
    fanout.extraChannels(swarmPrefix, this::onSwarmMessage);
    fanout.extraChannels(directPrefix, this::onDirectMessage);
    try {
      link.subscribe(directChannel).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("cannot subscribe to " + directChannel + ": " + e.getMessage(), e);
    }
    fanout.onResubscribed(this::repair);
    timer.scheduleWithFixedDelay(this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    tracker.relay(
        new TrackerHandler.Relay() {
          @Override
          public CompletableFuture<Void> opened(String infoHash) {
            return openSwarm(infoHash);
          }

          @Override
          public void closed(String infoHash) {
            closeSwarm(infoHash);
          }

          @Override
          public void joined(String infoHash, String peerId, boolean complete) {
            ObjectNode m =
                JSON.createObjectNode()
                    .put("type", "join")
                    .put("peer", peerId)
                    .put("complete", complete);
            publish(swarmChannel(infoHash), m, null);
          }

          @Override
          public void left(String infoHash, String peerId) {
            publish(
                swarmChannel(infoHash),
                JSON.createObjectNode().put("type", "leave").put("peer", peerId),
                null);
          }

          @Override
          public void forward(String instance, String infoHash, String peerId, String text) {
            ObjectNode m =
                JSON.createObjectNode()
                    .put("type", "forward")
                    .put("info_hash", infoHash)
                    .put("to", peerId);
            publish(directPrefix + instance, m, text);
          }
        });
  }

  /** The swarm channel: the info hash's bytes in hex. */
  String swarmChannel(String infoHash) {
    StringBuilder sb = new StringBuilder(swarmPrefix.length() + 40).append(swarmPrefix);
    for (int i = 0; i < infoHash.length(); i++) {
      int b = infoHash.charAt(i) & 0xff;
      sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
    }
    return sb.toString();
  }

  private static String infoHashOf(String hex) {
    if (hex.length() != 40) {
      return null;
    }
    char[] out = new char[20];
    for (int i = 0; i < 20; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (char) (hi << 4 | lo);
    }
    return new String(out);
  }

  private void publish(String channel, ObjectNode header, String text) {
    String line;
    try {
      line = JSON.writeValueAsString(header);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    byte[] bytes = (text == null ? line : line + "\n" + text).getBytes(StandardCharsets.UTF_8);
    link.publish(channel, fanout.frame(bytes)); // at most once: repaired by the next members list
  }

  // ------------------------------------------------------------------------------- swarms opening,
  // closing

  private CompletableFuture<Void> openSwarm(String infoHash) {
    String ch = swarmChannel(infoHash);
    CompletableFuture<Object> subscribed;
    synchronized (open) {
      open.merge(infoHash, 1, Integer::sum);
      subscribed = link.subscribe(ch);
    }
    Waiting w = new Waiting(0);
    subscribed
        .thenCompose(x -> link.command("PUBSUB", "NUMSUB", ch))
        .whenComplete(
            (numsub, e) -> {
              long others = e == null ? subscribers(numsub) - 1 : 0;
              if (others <= 0) {
                w.done.complete(null);
                return;
              }
              w.missing.set((int) Math.min(others, Integer.MAX_VALUE));
              waiting.put(infoHash, w);
              timer.schedule(
                  () -> {
                    waiting.remove(infoHash, w);
                    w.done.complete(null);
                  },
                  OPEN_WAIT_MILLIS,
                  TimeUnit.MILLISECONDS);
              publish(ch, JSON.createObjectNode().put("type", "hello"), null);
            });
    return w.done;
  }

  private static long subscribers(Object numsub) {
    if (numsub instanceof List
        && ((List<?>) numsub).size() >= 2
        && ((List<?>) numsub).get(1) instanceof Long) {
      return (Long) ((List<?>) numsub).get(1);
    }
    return 1;
  }

  private void closeSwarm(String infoHash) {
    synchronized (open) {
      Integer n = open.get(infoHash);
      if (n == null) {
        return;
      }
      if (n > 1) {
        open.put(infoHash, n - 1);
        return;
      }
      open.remove(infoHash);
      link.unsubscribe(swarmChannel(infoHash));
    }
  }

  private List<String> openSwarms() {
    synchronized (open) {
      return new ArrayList<>(open.keySet());
    }
  }

  private ObjectNode members(String infoHash, boolean withHash) {
    ObjectNode m = JSON.createObjectNode().put("type", "members");
    if (withHash) {
      m.put("info_hash", infoHash);
    }
    ArrayNode peers = m.putArray("peers");
    for (Map.Entry<String, Boolean> p : tracker.localPeers(infoHash)) {
      peers.addArray().add(p.getKey()).add(p.getValue());
    }
    return m;
  }

  /** Every open swarm's full list of local peers, on its channel. */
  private void refresh() {
    if (!link.connected()) {
      return;
    }
    try {
      for (String h : openSwarms()) {
        ObjectNode m = members(h, false);
        if (m.get("peers").size() > 0) {
          publish(swarmChannel(h), m, null);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("publishing the tracker's peer lists failed", e);
    }
  }

  /** After a Redis reconnect: what was missed meanwhile, both ways. */
  private void repair() {
    for (String h : openSwarms()) {
      publish(swarmChannel(h), JSON.createObjectNode().put("type", "hello"), null);
      publish(swarmChannel(h), members(h, false), null);
    }
  }

  // ------------------------------------------------------------------------------- incoming
  // (subscriber thread)

  /** A parsed message: header and (for forward) the text after the first newline. */
  private record Message(String sender, JsonNode header, String text) {}

  private Message parse(String channel, byte[] payload) {
    String sender = Fanout.sender(payload);
    String all = new String(Fanout.body(payload), StandardCharsets.UTF_8);
    int nl = all.indexOf('\n');
    JsonNode header;
    try {
      header = JSON.readTree(nl < 0 ? all : all.substring(0, nl));
    } catch (JsonProcessingException e) {
      fanout.drop(channel, "a tracker message from " + sender + " that is not JSON");
      return null;
    }
    if (header == null || !header.isObject() || !header.path("type").isTextual()) {
      fanout.drop(channel, "a tracker message from " + sender + " without a type");
      return null;
    }
    return new Message(sender, header, nl < 0 ? null : all.substring(nl + 1));
  }

  /** A tracker id (info hash, peer id): 20 characters, each one byte. */
  private static String id(JsonNode n) {
    if (n == null || !n.isTextual() || n.textValue().length() != 20) {
      return null;
    }
    String s = n.textValue();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xff) {
        return null;
      }
    }
    return s;
  }

  private List<Map.Entry<String, Boolean>> peers(JsonNode n) {
    if (n == null || !n.isArray()) {
      return null;
    }
    List<Map.Entry<String, Boolean>> out = new ArrayList<>(n.size());
    for (JsonNode p : n) {
      String id = p.isArray() && p.size() == 2 && p.get(1).isBoolean() ? id(p.get(0)) : null;
      if (id == null) {
        return null;
      }
      out.add(Map.entry(id, p.get(1).booleanValue()));
    }
    return out;
  }

  private void onSwarmMessage(String channel, byte[] payload) {
    String infoHash = infoHashOf(channel.substring(swarmPrefix.length()));
    if (infoHash == null) {
      fanout.drop(channel, "a tracker channel that does not name an info hash");
      return;
    }
    Message m = parse(channel, payload);
    if (m == null) {
      return;
    }
    JsonNode h = m.header();
    switch (h.get("type").textValue()) {
      case "join":
        {
          String peer = id(h.get("peer"));
          if (peer == null || !h.path("complete").isBoolean()) {
            fanout.drop(
                channel,
                "a tracker join from " + m.sender() + " without a valid peer id and complete flag");
            return;
          }
          tracker.remoteJoined(infoHash, m.sender(), peer, h.get("complete").booleanValue());
          break;
        }
      case "leave":
        {
          String peer = id(h.get("peer"));
          if (peer == null) {
            fanout.drop(channel, "a tracker leave from " + m.sender() + " without a valid peer id");
            return;
          }
          tracker.remoteLeft(infoHash, m.sender(), peer);
          break;
        }
      case "members":
        {
          List<Map.Entry<String, Boolean>> peers = peers(h.get("peers"));
          if (peers == null) {
            fanout.drop(
                channel,
                "a tracker peer list from "
                    + m.sender()
                    + " that is not [[peer id, complete], ...]");
            return;
          }
          tracker.remoteMembers(infoHash, m.sender(), peers);
          break;
        }
      case "hello":
        publish(directPrefix + m.sender(), members(infoHash, true), null);
        break;
      default:
        fanout.drop(
            channel, "tracker message type '" + h.get("type").textValue() + "' from " + m.sender());
    }
  }

  private void onDirectMessage(String channel, byte[] payload) {
    if (!channel.equals(directChannel)) {
      fanout.drop(channel, "another instance's tracker channel");
      return;
    }
    Message m = parse(channel, payload);
    if (m == null) {
      return;
    }
    JsonNode h = m.header();
    String infoHash = id(h.get("info_hash"));
    if (infoHash == null) {
      fanout.drop(channel, "a tracker message from " + m.sender() + " without a valid info_hash");
      return;
    }
    switch (h.get("type").textValue()) {
      case "members":
        {
          List<Map.Entry<String, Boolean>> peers = peers(h.get("peers"));
          if (peers == null) {
            fanout.drop(
                channel,
                "a tracker peer list from "
                    + m.sender()
                    + " that is not [[peer id, complete], ...]");
            return;
          }
          tracker.remoteMembers(infoHash, m.sender(), peers);
          Waiting w = waiting.get(infoHash);
          if (w != null && w.missing.decrementAndGet() <= 0) {
            waiting.remove(infoHash, w);
            w.done.complete(null);
          }
          break;
        }
      case "forward":
        {
          String to = id(h.get("to"));
          if (to == null || m.text() == null || !isTrackerMessage(m.text())) {
            fanout.drop(
                channel,
                "a forwarded tracker message from "
                    + m.sender()
                    + " without a peer id or a tracker announce to deliver");
            return;
          }
          if (!tracker.deliverRemote(infoHash, to, m.text())) {
            LOG.debug(
                "a forwarded offer or answer from {} found its peer gone; dropped", m.sender());
          }
          break;
        }
      default:
        fanout.drop(
            channel, "tracker message type '" + h.get("type").textValue() + "' from " + m.sender());
    }
  }

  /** What a tracker sends a peer: a JSON object with {@code "action":"announce"}. */
  private static boolean isTrackerMessage(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      return n != null && n.isObject() && "announce".equals(n.path("action").textValue());
    } catch (JsonProcessingException e) {
      return false;
    }
  }
}
