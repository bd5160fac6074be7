package nodenogg.sync.server.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.HttpHandler;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.sync.server.websocket.WebServer;

/**
 * The y-webrtc signalling protocol as a {@link SocketHandler}: JSON text frames {@code
 * subscribe}/{@code unsubscribe} (topics), {@code publish} (relayed to every subscriber of the
 * topic, the sender included, with {@code "clients": <subscriber count>} added) and {@code ping}
 * (answered {@code pong}); anything else is ignored. Topics with no subscribers are freed.
 *
 * <p>The {@code data} of a publish is relayed byte for byte: the server never decodes, decrypts or
 * rewrites it, so y-webrtc room passwords stay end-to-end. Hardening: malformed JSON closes that
 * socket (1007); caps on topics per socket, topic length, message size and message rate (see {@link
 * SignalingLimits}) close only the offending socket.
 *
 * <p>Mount it on a {@link WebServer}; being also an {@link HttpHandler}, the same mount answers the
 * JSON status page ({@code {"status":"ok"}}) that nodenogg.in clients fetch with a plain GET on the
 * signalling URL before connecting:
 *
 * <pre>{@code
 * SignalingHandler signaling = new SignalingHandler();
 * WebServer server = WebServer.builder()
 *     .bind("0.0.0.0", 8787)
 *     .socket("/signal"::equals, signaling)
 *     .build()
 *     .start();
 * }</pre>
 *
 * or run it standalone with {@link SignalingServer}.
 *
 * <p>Thread-safe: callbacks for different connections may run concurrently.
 */
public final class SignalingHandler implements SocketHandler, HttpHandler {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String PONG = "{\"type\":\"pong\"}";
  private static final String STATUS_JSON = "{\"status\":\"ok\"}";

  private final SignalingLimits limits;
  private final Map<String, Set<Connection>> topics = new ConcurrentHashMap<>();

  public SignalingHandler() {
    this(SignalingLimits.DEFAULT);
  }

  public SignalingHandler(SignalingLimits limits) {
    this.limits = limits;
  }

  /** The status page y-microcosm clients check before connecting: JSON {@code {"status":"ok"}}. */
  public static HttpHandler statusPage() {
    return (method, path, headers) -> HttpHandler.Response.json(200, STATUS_JSON);
  }

  /**
   * Plain HTTP on the signalling path answers the status JSON, so mounting only the socket route
   * ({@code socket("/signal"::equals, handler)}) already serves {@code GET /signal} (see {@link
   * WebServer}).
   */
  @Override
  public Response handle(String method, String path, Map<String, String> headers) {
    return Response.json(200, STATUS_JSON);
  }

  /** Where topics fan out to other instances of a cluster (null: this server alone). */
  public interface Relay {
    /** The first local subscriber joined {@code topic}. */
    void subscribed(String topic);

    /** The last local subscriber left {@code topic}. */
    void unsubscribed(String topic);

    /** A local client published {@code text} (a JSON object) to {@code topic}. */
    void published(String topic, String text);
  }

  private volatile Relay relay;

  /** Fans topics out through {@code relay} (set once, before clients connect). */
  public void relay(Relay relay) {
    this.relay = relay;
  }

  /**
   * Delivers a message another instance's client published to {@code topic} to the local
   * subscribers (it is not relayed again). Text that is not a JSON object is dropped.
   *
   * @return false if the text was not a JSON object
   */
  public boolean deliverRemote(String topic, String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return false;
    }
    if (!(node instanceof ObjectNode)) {
      return false;
    }
    deliver(topic, (ObjectNode) node, text);
    return true;
  }

  /** Number of topics with at least one subscriber. */
  public int topicCount() {
    return topics.size();
  }

  /** Subscribers of a topic right now (0 when the topic does not exist). */
  public int subscriberCount(String topic) {
    Set<Connection> subs = topics.get(topic);
    return subs == null ? 0 : subs.size();
  }

  /** Per-connection state; touched only from that connection's (serial) callbacks. */
  private static final class Peer {
    final Set<String> topics = new LinkedHashSet<>();
    final TokenBucket rate;

    Peer(SignalingLimits limits) {
      rate = new TokenBucket(limits.messagesPerSecond(), limits.burst());
    }
  }

  @Override
  public void onOpen(Connection connection) {
    connection.attach(new Peer(limits));
  }

  @Override
  public void onText(Connection connection, String message) {
    // A UTF-16 length bounds the UTF-8 length from below; check exactly only when close.
    if (message.length() > limits.maxMessageBytes()
        || (message.length() * 3L > limits.maxMessageBytes()
            && message.getBytes(StandardCharsets.UTF_8).length > limits.maxMessageBytes())) {
      connection.close(
          1009, "signalling message larger than " + limits.maxMessageBytes() + " bytes");
      return;
    }
    handle(connection, message);
  }

  /** The stock server (Node {@code ws}) accepts JSON in binary frames too; so do we. */
  @Override
  public void onBinary(Connection connection, ByteBuffer message) {
    if (message.remaining() > limits.maxMessageBytes()) {
      connection.close(
          1009, "signalling message larger than " + limits.maxMessageBytes() + " bytes");
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
      connection.close(1007, "signalling messages must be UTF-8 JSON");
      return;
    }
    handle(connection, text);
  }

  private void handle(Connection connection, String text) {
    Peer peer = (Peer) connection.attachment();
    if (peer == null || !connection.isOpen()) {
      return;
    }
    if (!peer.rate.tryTake(System.nanoTime())) {
      connection.close(
          1008,
          "too many signalling messages; at most " + limits.messagesPerSecond() + " per second");
      return;
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      connection.close(1007, "malformed JSON");
      return;
    }
    if (root == null || !root.isObject()) {
      return; // valid JSON without a type: ignored, as the stock server does
    }
    JsonNode type = root.get("type");
    if (type == null || !type.isTextual()) {
      return;
    }
    switch (type.textValue()) {
      case "subscribe":
        subscribe(connection, peer, root.get("topics"));
        break;
      case "unsubscribe":
        unsubscribe(connection, peer, root.get("topics"));
        break;
      case "publish":
        publish((ObjectNode) root, text);
        break;
      case "ping":
        connection.send(PONG);
        break;
      default:
        break;
    }
  }

  private void subscribe(Connection connection, Peer peer, JsonNode list) {
    if (list == null || !list.isArray()) {
      return;
    }
    for (JsonNode item : list) {
      if (!item.isTextual()) {
        continue;
      }
      String topic = item.textValue();
      if (topic.length() > limits.maxTopicLength()) {
        connection.close(1008, "topic name longer than " + limits.maxTopicLength() + " characters");
        return;
      }
      if (peer.topics.contains(topic)) {
        continue;
      }
      if (peer.topics.size() >= limits.maxTopicsPerSocket()) {
        connection.close(
            1008, "more than " + limits.maxTopicsPerSocket() + " topics on one socket");
        return;
      }
      peer.topics.add(topic);
      boolean[] first = {false};
      topics.compute(
          topic,
          (name, subs) -> {
            Set<Connection> set = subs == null ? ConcurrentHashMap.newKeySet() : subs;
            first[0] = subs == null;
            set.add(connection);
            return set;
          });
      Relay r = relay;
      if (first[0] && r != null) {
        r.subscribed(topic);
      }
    }
  }

  private void unsubscribe(Connection connection, Peer peer, JsonNode list) {
    if (list == null || !list.isArray()) {
      return;
    }
    for (JsonNode item : list) {
      if (item.isTextual() && peer.topics.remove(item.textValue())) {
        leave(item.textValue(), connection);
      }
    }
  }

  private void leave(String topic, Connection connection) {
    boolean[] last = {false};
    topics.computeIfPresent(
        topic,
        (name, subs) -> {
          subs.remove(connection);
          last[0] = subs.isEmpty();
          return subs.isEmpty() ? null : subs;
        });
    Relay r = relay;
    if (last[0] && r != null) {
      r.unsubscribed(topic);
    }
  }

  private void publish(ObjectNode message, String original) {
    JsonNode topicNode = message.get("topic");
    if (topicNode == null || !topicNode.isTextual() || topicNode.textValue().isEmpty()) {
      return;
    }
    Relay r = relay;
    if (r != null) {
      r.published(topicNode.textValue(), original);
    }
    deliver(topicNode.textValue(), message, original);
  }

  private void deliver(String topic, ObjectNode message, String original) {
    Set<Connection> subs = topics.get(topic);
    if (subs == null) {
      return;
    }
    List<Connection> receivers = new ArrayList<>(subs);
    if (receivers.isEmpty()) {
      return;
    }
    String out = withClients(message, original, receivers.size());
    for (Connection receiver : receivers) {
      receiver.send(out);
    }
  }

  /**
   * The original text with {@code "clients": n} added. Appending before the closing brace keeps
   * every other byte (including {@code data}) exactly as the publisher sent it; only when the
   * message already has a {@code clients} member is the object re-serialized with it replaced.
   */
  static String withClients(ObjectNode message, String original, int clients) {
    if (message.has("clients")) {
      ObjectNode copy = message.deepCopy();
      copy.put("clients", clients);
      try {
        return JSON.writeValueAsString(copy);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("re-serializing a parsed JSON object failed", e);
      }
    }
    int end = original.length() - 1;
    while (end >= 0 && Character.isWhitespace(original.charAt(end))) {
      end--;
    }
    // end is the object's closing brace (the text parsed as one object, trailing tokens refused).
    String head = original.substring(0, end);
    String separator = message.isEmpty() ? "" : ",";
    return head + separator + "\"clients\":" + clients + "}";
  }

  @Override
  public void onClose(Connection connection, int code, String reason, boolean remote) {
    Object state = connection.attachment();
    if (!(state instanceof Peer)) {
      return;
    }
    Peer peer = (Peer) state;
    for (String topic : peer.topics) {
      leave(topic, connection);
    }
    peer.topics.clear();
  }
}
