package nodenogg.sync.server.cluster.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import nodenogg.crdt.encoding.Lib0Encoder;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.protocol.ProtocolException;
import nodenogg.sync.protocol.SyncProtocol;
import nodenogg.sync.server.internal.ClusterHooks;
import nodenogg.sync.server.internal.ServerDocument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Document fan-out between instances over Redis pub/sub, on the wire of
 * {@code @hocuspocus/extension-redis} 4.7.0, so Java and Node Hocuspocus instances serve one
 * document together:
 *
 * <ul>
 *   <li>channels: {@code <prefix>:<document>} (every instance that has the document open
 *       subscribes) and {@code <prefix>#reply:<instance id>} (answers addressed to one instance);
 *       prefix {@code hocuspocus};
 *   <li>every message: one byte (length of the sender's instance id), the id in UTF-8, then a
 *       Hocuspocus message ({@code varString document, varUint type, ...}): Sync (0) with
 *       SyncStep1, SyncStep2 or Update, SyncReply (4), Awareness (1), QueryAwareness (3);
 *   <li>opening a document: subscribe, publish SyncStep1 and QueryAwareness; if another instance is
 *       subscribed ({@code PUBSUB NUMSUB} > 1) wait up to the initial-sync timeout for a SyncStep2
 *       on our reply channel before clients get the document;
 *   <li>answering: a SyncStep1 on the document channel gets SyncReply(SyncStep1 of ours) then
 *       Sync(SyncStep2 = what the sender lacks) on the sender's reply channel; a
 *       SyncReply(SyncStep1) gets only the SyncStep2; QueryAwareness gets every awareness state we
 *       know.
 * </ul>
 *
 * A change one of our clients sends is published as a Sync/Update message (one hop; Node instances
 * apply it as they apply a SyncStep2), where the Node extension publishes a SyncStep1 and lets
 * peers pull. Both directions coalesce bursts, as the extension does per event-loop turn: local
 * changes applied while the document's executor is busy are merged into one Update, and messages
 * that arrive from Redis meanwhile are applied in one task, so their broadcast to this instance's
 * clients is one merged message. Pub/sub is at-most-once: a missed message is repaired by
 * state-vector sync — SyncStep1 for every open document after the Redis link comes back, and every
 * {@code resyncInterval} for documents that changed. Messages that are malformed, carry an
 * identifier that is not a plausible instance id, or a type that has no business on Redis are
 * dropped with a (rate-limited) log line; they never reach a client.
 */
public final class Fanout implements ClusterHooks, RedisLink.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

  private final String id;
  private final String prefix;
  private final byte[] idFrame;
  private final String replyChannel;
  private final long initialSyncMillis;
  private final long resyncMillis;
  private final ScheduledExecutorService timer;
  private final Executor blocking;
  private final boolean sharesStore;
  private RedisLink link;
  private final Map<String, Open> docs = new ConcurrentHashMap<>();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong resyncs = new AtomicLong();
  private volatile long lastDropLog;

  /**
   * Handlers of channels other than documents and replies (signalling, tracker), by channel prefix.
   */
  private final Map<String, BiConsumer<String, byte[]>> extraChannels = new ConcurrentHashMap<>();

  private final List<Runnable> onResubscribed = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A document open here. */
  private static final class Open {
    final ServerDocument doc;
    volatile CompletableFuture<Void> initialSync;
    volatile boolean changed;

    /** Local changes not yet published (executor only); null when none is waiting. */
    List<byte[]> outgoing;

    /** Messages from Redis waiting for the executor, handled in one task per burst. */
    final java.util.concurrent.ConcurrentLinkedQueue<Runnable> inbox =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    final java.util.concurrent.atomic.AtomicBoolean draining =
        new java.util.concurrent.atomic.AtomicBoolean();

    Open(ServerDocument doc) {
      this.doc = doc;
    }
  }

  /** At most this many Redis messages are handled in one executor task (then the task yields). */
  private static final int DRAIN_BATCH = 512;

  public Fanout(
      String id,
      String prefix,
      long initialSyncMillis,
      long resyncMillis,
      ScheduledExecutorService timer,
      Executor blocking,
      boolean sharesStore) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    if (idBytes.length == 0 || idBytes.length > 255) {
      throw new IllegalArgumentException(
          "an instance id is 1 to 255 bytes of UTF-8, got '" + id + "'");
    }
    this.id = id;
    this.prefix = prefix;
    this.idFrame = new byte[idBytes.length + 1];
    idFrame[0] = (byte) idBytes.length;
    System.arraycopy(idBytes, 0, idFrame, 1, idBytes.length);
    this.replyChannel = prefix + "#reply:" + id;
    this.initialSyncMillis = initialSyncMillis;
    this.resyncMillis = resyncMillis;
    this.timer = timer;
    this.blocking = blocking;
    this.sharesStore = sharesStore;
  }

  /** Subscribes the reply channel and starts the repair timer. */
  public void start(RedisLink link) throws java.io.IOException {
    this.link = link;
    try {
      link.subscribe(replyChannel).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new java.io.IOException(
          "cannot subscribe to " + replyChannel + ": " + e.getMessage(), e);
    }
    if (resyncMillis > 0) {
      timer.scheduleWithFixedDelay(
          this::resyncChanged, resyncMillis, resyncMillis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Messages (sender checked, not our own) on channels starting with {@code channelPrefix} go to
   * {@code handler} with the whole payload, instance-id prefix included; on the subscriber thread.
   */
  public void extraChannels(String channelPrefix, BiConsumer<String, byte[]> handler) {
    extraChannels.put(channelPrefix, handler);
  }

  /** Runs {@code r} after the Redis link came back and every channel was subscribed again. */
  public void onResubscribed(Runnable r) {
    onResubscribed.add(r);
  }

  /**
   * The instance id in a payload's prefix (the payload passed the checks of {@link #onMessage}).
   */
  public static String sender(byte[] payload) {
    return new String(payload, 1, payload[0] & 0xff, StandardCharsets.UTF_8);
  }

  /** The payload after the instance-id prefix. */
  public static byte[] body(byte[] payload) {
    int n = 1 + (payload[0] & 0xff);
    return java.util.Arrays.copyOfRange(payload, n, payload.length);
  }

  public String id() {
    return id;
  }

  public String prefix() {
    return prefix;
  }

  private String docChannel(String name) {
    return prefix + ":" + name;
  }

  private static String replyChannelOf(String prefix, String instance) {
    return prefix + "#reply:" + instance;
  }

  /** The instance-id prefix followed by {@code message}. */
  public byte[] frame(byte[] message) {
    byte[] out = new byte[idFrame.length + message.length];
    System.arraycopy(idFrame, 0, out, 0, idFrame.length);
    System.arraycopy(message, 0, out, idFrame.length, message.length);
    return out;
  }

  private void publish(String channel, byte[] message) {
    published.incrementAndGet();
    link.publish(channel, frame(message)); // at most once: a failure is repaired by the next resync
  }

  // ---------------------------------------------------------------- ClusterHooks (document
  // executors)

  @Override
  public CompletableFuture<Void> opened(ServerDocument doc) {
    Open o = new Open(doc);
    docs.put(doc.name(), o);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    String ch = docChannel(doc.name());
    link.subscribe(ch)
        .thenCompose(x -> link.command("PUBSUB", "NUMSUB", ch))
        .whenComplete(
            (numsub, e) -> {
              boolean others = e == null && subscribers(numsub) > 1;
              if (e != null) {
                LOG.warn(
                    "cannot subscribe to {} ({}); '{}' is served from the store and resynced when Redis is back",
                    ch,
                    e.getMessage(),
                    doc.name());
              }
              if (others && initialSyncMillis > 0) {
                o.initialSync = ready;
                timer.schedule(
                    () -> ready.complete(null), initialSyncMillis, TimeUnit.MILLISECONDS);
              }
              doc.executor().execute(() -> announce(o));
              if (!others || initialSyncMillis <= 0) {
                ready.complete(null);
              }
            });
    return ready;
  }

  private static long subscribers(Object numsub) {
    if (numsub instanceof List
        && ((List<?>) numsub).size() >= 2
        && ((List<?>) numsub).get(1) instanceof Long) {
      return (Long) ((List<?>) numsub).get(1);
    }
    return 1;
  }

  /**
   * SyncStep1 (pull what others have, they pull what we have) and QueryAwareness; on the executor.
   */
  private void announce(Open o) {
    String name = o.doc.name();
    publish(docChannel(name), Hocuspocus.syncStep1(name, o.doc.doc().stateVector()));
    publish(docChannel(name), Hocuspocus.queryAwareness(name));
  }

  @Override
  public void closed(ServerDocument doc) {
    Open o = docs.get(doc.name());
    if (o != null && o.doc == doc && docs.remove(doc.name(), o)) {
      link.unsubscribe(docChannel(doc.name()));
    }
  }

  @Override
  public void localUpdate(ServerDocument doc, byte[] update) {
    Open o = docs.get(doc.name());
    if (o == null || o.doc != doc) {
      publish(docChannel(doc.name()), Hocuspocus.syncUpdate(doc.name(), update));
      return;
    }
    o.changed = true;
    if (o.outgoing == null) {
      o.outgoing = new ArrayList<>(4);
      doc.executor()
          .execute(
              () -> publishOutgoing(o)); // after the tasks already queued: a burst is one message
    }
    o.outgoing.add(update);
  }

  /**
   * Publishes the local changes gathered since the last call, merged into one update (on the
   * executor).
   */
  private void publishOutgoing(Open o) {
    List<byte[]> batch = o.outgoing;
    o.outgoing = null;
    if (batch == null || batch.isEmpty()) {
      return;
    }
    String name = o.doc.name();
    byte[] merged = null;
    if (batch.size() > 1) {
      try {
        merged = o.doc.doc().merge(batch);
      } catch (RuntimeException e) {
        LOG.warn(
            "merging {} updates of '{}' for Redis failed; publishing them one by one",
            batch.size(),
            name,
            e);
      }
    }
    if (merged != null || batch.size() == 1) {
      publish(
          docChannel(name), Hocuspocus.syncUpdate(name, merged != null ? merged : batch.get(0)));
    } else {
      for (byte[] u : batch) {
        publish(docChannel(name), Hocuspocus.syncUpdate(name, u));
      }
    }
  }

  @Override
  public void localAwareness(ServerDocument doc, byte[] awarenessUpdate) {
    publish(docChannel(doc.name()), Hocuspocus.awareness(doc.name(), awarenessUpdate));
  }

  @Override
  public boolean sharesStore() {
    return sharesStore;
  }

  @Override
  public Executor blocking() {
    return blocking;
  }

  // ---------------------------------------------------------------- repair

  @Override
  public void onResubscribed() {
    for (Open o : docs.values()) {
      resyncs.incrementAndGet();
      o.doc.executor().execute(() -> announce(o));
    }
    for (Runnable r : onResubscribed) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("repair after reconnecting to Redis failed", e);
      }
    }
  }

  private void resyncChanged() {
    if (!link.connected()) {
      return;
    }
    for (Open o : docs.values()) {
      if (o.changed) {
        o.changed = false;
        resyncs.incrementAndGet();
        o.doc
            .executor()
            .execute(
                () ->
                    publish(
                        docChannel(o.doc.name()),
                        Hocuspocus.syncStep1(o.doc.name(), o.doc.doc().stateVector())));
      }
    }
  }

  // ---------------------------------------------------------------- incoming (subscriber thread)

  @Override
  public void onMessage(String channel, byte[] payload) {
    received.incrementAndGet();
    if (payload.length < 2) {
      drop(channel, "shorter than an instance prefix");
      return;
    }
    int n = payload[0] & 0xff;
    if (n == 0 || 1 + n >= payload.length) {
      drop(
          channel,
          "instance prefix of " + n + " bytes does not fit a " + payload.length + "-byte message");
      return;
    }
    String sender;
    try {
      sender =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(payload, 1, n))
              .toString();
    } catch (CharacterCodingException e) {
      drop(channel, "from an unknown instance (its identifier is not UTF-8)");
      return;
    }
    if (!plausibleId(sender)) {
      drop(channel, "from an unknown instance (identifier with control characters)");
      return;
    }
    if (sender.equals(id)) {
      return; // our own message: Redis delivers to every subscriber, the publisher included
    }
    if (!channel.startsWith(prefix + ":") && !channel.equals(replyChannel)) {
      for (Map.Entry<String, BiConsumer<String, byte[]>> e : extraChannels.entrySet()) {
        if (channel.startsWith(e.getKey())) {
          e.getValue().accept(channel, payload);
          return;
        }
      }
      drop(channel, "a channel this instance has no use for (from " + sender + ")");
      return;
    }
    byte[] body = new byte[payload.length - 1 - n];
    System.arraycopy(payload, 1 + n, body, 0, body.length);
    Hocuspocus.Frame frame;
    try {
      frame = Hocuspocus.decode(body);
    } catch (ProtocolException | IndexOutOfBoundsException e) {
      drop(channel, "malformed Hocuspocus message from " + sender + ": " + e.getMessage());
      return;
    }
    if (frame.isConnectionLevel()) {
      drop(channel, "a connection-level message from " + sender);
      return;
    }
    String name = frame.documentName();
    boolean toUs = channel.equals(replyChannel);
    if (!toUs && !channel.equals(docChannel(name))) {
      drop(
          channel,
          "names document '" + name + "' on another document's channel (from " + sender + ")");
      return;
    }
    Open o = docs.get(name);
    if (o == null) {
      return; // not open here (any more)
    }
    o.inbox.add(() -> handle(o, channel, sender, frame, toUs));
    if (o.draining.compareAndSet(false, true)) {
      o.doc.executor().execute(() -> drain(o));
    }
  }

  /**
   * Handles the messages waiting for a document (on its executor); their broadcasts merge into one.
   */
  private void drain(Open o) {
    Runnable r;
    int n = 0;
    while (n < DRAIN_BATCH && (r = o.inbox.poll()) != null) {
      r.run();
      n++;
    }
    o.draining.set(false);
    if (!o.inbox.isEmpty() && o.draining.compareAndSet(false, true)) {
      o.doc.executor().execute(() -> drain(o));
    }
  }

  private static boolean plausibleId(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** On the document's executor. */
  private void handle(Open o, String channel, String sender, Hocuspocus.Frame frame, boolean toUs) {
    ServerDocument d = o.doc;
    String name = d.name();
    try {
      switch (frame.type()) {
        case Hocuspocus.SYNC:
        case Hocuspocus.SYNC_REPLY:
          {
            SyncProtocol.Message m = SyncProtocol.read(frame.body());
            if (m.isStep1()) {
              String reply = replyChannelOf(prefix, sender);
              if (frame.type() == Hocuspocus.SYNC) {
                Lib0Encoder w =
                    new Lib0Encoder().writeVarString(name).writeVarUint(Hocuspocus.SYNC_REPLY);
                SyncProtocol.writeStep1(w, d.doc().stateVector());
                publish(reply, w.toByteArray());
              }
              publish(reply, Hocuspocus.syncStep2(name, d.doc().diff(m.payload())));
            } else {
              d.applyRemote(m.payload());
              o.changed = true;
              CompletableFuture<Void> waiting = o.initialSync;
              if (toUs && waiting != null) {
                o.initialSync = null;
                waiting.complete(null);
              }
            }
            break;
          }
        case Hocuspocus.AWARENESS:
          d.applyRemoteAwareness(frame.body().readVarUint8Array());
          break;
        case Hocuspocus.QUERY_AWARENESS:
          {
            byte[] aw = d.awarenessSnapshot();
            publish(
                replyChannelOf(prefix, sender),
                Hocuspocus.awareness(name, aw != null ? aw : new byte[] {0}));
            break;
          }
        case Hocuspocus.BROADCAST_STATELESS:
          LOG.debug(
              "ignoring a stateless broadcast for '{}' from {} (no stateless hooks here)",
              name,
              sender);
          break;
        default:
          drop(
              channel,
              "message type "
                  + frame.type()
                  + " has no meaning between instances (from "
                  + sender
                  + ")");
      }
    } catch (RuntimeException e) {
      drop(
          channel,
          "cannot apply a message from " + sender + " to '" + name + "': " + e.getMessage());
    }
  }

  /** Counts a dropped message and logs why (at most one line a second). */
  public void drop(String channel, String why) {
    dropped.incrementAndGet();
    long now = System.currentTimeMillis();
    if (now - lastDropLog > 1000) { // at most one line a second
      lastDropLog = now;
      LOG.warn(
          "dropped a Redis message on {}: {} ({} dropped since start)",
          channel,
          why,
          dropped.get());
    }
  }

  // ---------------------------------------------------------------- status

  public List<String> openDocuments() {
    List<String> names = new ArrayList<>(docs.keySet());
    names.sort(null);
    return names;
  }

  public long published() {
    return published.get();
  }

  public long received() {
    return received.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long resyncs() {
    return resyncs.get();
  }
}
