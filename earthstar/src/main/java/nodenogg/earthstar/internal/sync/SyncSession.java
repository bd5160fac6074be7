package nodenogg.earthstar.internal.sync;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import nodenogg.earthstar.EsDocument;
import nodenogg.earthstar.IngestResult;
import nodenogg.earthstar.InvalidDocumentException;
import nodenogg.earthstar.Keys;
import nodenogg.earthstar.Rejection;
import nodenogg.earthstar.Replica;
import nodenogg.earthstar.ReplicaListener;
import nodenogg.earthstar.SyncMode;
import nodenogg.earthstar.internal.Json;
import nodenogg.earthstar.internal.Thumbnails;
import nodenogg.earthstar.internal.Thumbnails.Thumb;
import nodenogg.earthstar.internal.Xxh64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Earthstar v10 sync over one WebSocket, as client or server: the salted share handshake
 * ({@code DISCLOSE}), per common share a range reconciliation, {@code WANT}/{@code DOC}, {@code
 * FULFILLED}, attachments, then {@code SYNCER_FULFILLED} for a {@code once} sync, or gossip of
 * every later change ({@code DOC}/{@code HAVE}/{@code NEW_ATTACHMENT}) for a {@code continuous}
 * one. Heartbeats every second; silence for the limit closes the connection.
 *
 * <p>{@code SYNCER_FULFILLED} is sent only once every document and attachment received in this sync
 * is committed to the store. Invalid documents are never stored, are counted and logged, and still
 * answer the want that asked for them, so the sync goes on. A message that breaks the protocol
 * closes this connection only. All state is confined to the session's serial executor.
 */
public final class SyncSession {
  private static final Logger LOG = LoggerFactory.getLogger(SyncSession.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int PAYLOAD_THRESHOLD = 8;
  private static final int RANGE_DIVISION = 8;
  private static final int MAX_QUEUED_BEFORE_DISCLOSE = 10_000;
  private static final int LOGGED_REJECTIONS = 5;

  /** Which end of the socket we are. */
  public enum Role {
    CLIENT,
    SERVER
  }

  private final SessionHost host;
  private final Link link;
  private final Role role;
  private final SyncMode mode;
  private final AttachmentLink attachments;
  private final String syncerId;
  private final String description;
  private final SerialExecutor exec;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  private final Map<String, ArrayDeque<JsonNode>> early = new HashMap<>();
  private int earlyCount;
  private String partnerId;
  private boolean disclosed;
  private boolean sentSyncerFulfilled;
  private boolean partnerSyncerFulfilled;
  private int transfersPending;
  private int commitsPending;

  /** Written when a message arrives (before it is processed), read by the timer. */
  private volatile long lastHeard = System.nanoTime();

  private volatile boolean closed;

  /**
   * When the sync last made progress (see {@link #millisWithoutProgress}); written on the executor.
   */
  private volatile long lastProgress = System.nanoTime();

  /** {@link #transfersPending}, readable from any thread. */
  private volatile int transfersInFlight;

  private int rejectionsLogged;
  private int rejectionsTotal;
  private ScheduledFuture<?> ticker;
  private final long startedNanos = System.nanoTime();
  private final Map<String, Integer> expectedUploads = new HashMap<>();

  /**
   * @param syncerId our id in this sync (decides who starts reconciling: the greater, as strings);
   *     null for a random one
   * @param attachments how to reach the server's attachment sockets (client), or null (server)
   */
  public SyncSession(
      SessionHost host,
      Link link,
      Role role,
      SyncMode mode,
      AttachmentLink attachments,
      String syncerId,
      String description) {
    this.host = host;
    this.link = link;
    this.role = role;
    this.mode = mode;
    this.attachments = attachments;
    this.syncerId = syncerId != null ? syncerId : randomId();
    this.description = description;
    this.exec = new SerialExecutor(host.pool());
  }

  /** A random id of 7 digits: never equal to an earthstar JS id (at most 6 digits). */
  static String randomId() {
    return String.valueOf(1_000_000 + RANDOM.nextInt(9_000_000));
  }

  public String syncerId() {
    return syncerId;
  }

  public SyncMode mode() {
    return mode;
  }

  /**
   * Completes when a once sync finished (both sides fulfilled); fails when the connection ended
   * first.
   */
  public CompletableFuture<Void> finished() {
    return finished;
  }

  /**
   * Milliseconds since the last message other than a heartbeat, or the last finished attachment
   * transfer or store commit; 0 while an attachment transfer is under way. Any thread.
   */
  public long millisWithoutProgress() {
    if (transfersInFlight > 0) {
      return 0;
    }
    return (System.nanoTime() - lastProgress) / 1_000_000;
  }

  private void progressed() {
    transfersInFlight = transfersPending;
    lastProgress = System.nanoTime();
  }

  /** Starts: sends our DISCLOSE and the heartbeats. */
  public void start() {
    host.stats().connectionsOpen.incrementAndGet();
    host.stats().connectionsTotal.incrementAndGet();
    host.sessionStarted(this);
    exec.execute(
        () -> {
          sendDisclose(false);
          try {
            ticker = host.timers().scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
          } catch (java.util.concurrent.RejectedExecutionException e) {
            end("peer closing");
          }
        });
  }

  /** A text message from the other peer. */
  public void onText(String text) {
    lastHeard = System.nanoTime();
    host.stats().bytesIn.addAndGet(nodenogg.earthstar.internal.Utf8.length(text));
    exec.execute(
        () -> {
          if (closed) {
            return;
          }
          try {
            if (text.length() > host.limits().maxFrameBytes()) {
              throw new ProtocolException(
                  "oversized_frame", "a message of " + text.length() + " characters");
            }
            JsonNode msg;
            try {
              msg = Json.MAPPER.readTree(text);
            } catch (IOException e) {
              throw new ProtocolException("malformed_json", "a message that is not JSON");
            }
            handle(msg);
          } catch (ProtocolException e) {
            fail(e.code(), e.getMessage());
          }
        });
  }

  /** The socket closed (either side). */
  public void onClosed() {
    exec.execute(() -> end(null));
  }

  /**
   * Runs on the timer thread, not the session's executor: heartbeats go out and silence is judged
   * even while the session is busy processing a long backlog of messages.
   */
  private void tick() {
    if (closed) {
      return;
    }
    long silentMillis = (System.nanoTime() - lastHeard) / 1_000_000;
    if (silentMillis > host.limits().silenceTimeoutMillis()) {
      exec.execute(() -> fail("silence", "nothing heard for " + silentMillis + " ms"));
      return;
    }
    if (mode == SyncMode.ONCE
        && (System.nanoTime() - startedNanos) / 1_000_000
            > host.limits().onceSyncDeadlineMillis()) {
      exec.execute(
          () ->
              fail(
                  "deadline",
                  "the sync did not finish within "
                      + host.limits().onceSyncDeadlineMillis()
                      + " ms"));
      return;
    }
    String hb = "{\"kind\":\"HEARTBEAT\"}";
    host.stats().bytesOut.addAndGet(hb.length());
    link.sendText(hb);
  }

  // ---- incoming
  // ----------------------------------------------------------------------------------

  private void handle(JsonNode msg) throws ProtocolException {
    if (!msg.isObject() || !msg.path("kind").isTextual()) {
      throw new ProtocolException("malformed_message", "a message without a kind");
    }
    String kind = msg.get("kind").asText();
    if (!kind.equals("HEARTBEAT")) {
      progressed();
    }
    switch (kind) {
      case "DISCLOSE" -> onDisclose(msg);
      case "SYNCER_FULFILLED" -> {
        partnerSyncerFulfilled = true;
        maybeFinish();
      }
      case "HEARTBEAT" -> {}
      case "RANGE_MSG",
          "WANT",
          "HAVE",
          "DOC",
          "FULFILLED",
          "WANT_ATTACHMENT",
          "NEW_ATTACHMENT",
          "PRUNE",
          "ABORT" -> {
        JsonNode to = msg.get("to");
        if (to == null || !to.isTextual()) {
          throw new ProtocolException("malformed_message", kind + " without 'to'");
        }
        Agent a = agents.get(to.asText());
        if (a != null) {
          a.handle(kind, msg);
        } else if (!disclosed) {
          if (++earlyCount > MAX_QUEUED_BEFORE_DISCLOSE) {
            throw new ProtocolException("too_many_messages", "too many messages before DISCLOSE");
          }
          early.computeIfAbsent(to.asText(), k -> new ArrayDeque<>()).add(msg);
        }
        // else: a share we do not have in common; ignored (earthstar queues them forever)
      }
      default -> throw new ProtocolException("unknown_kind", "unknown message kind '" + kind + "'");
    }
  }

  private void onDisclose(JsonNode msg) throws ProtocolException {
    JsonNode salt = msg.get("salt");
    JsonNode id = msg.get("syncerId");
    JsonNode shares = msg.get("shares");
    JsonNode formats = msg.get("formats");
    if (salt == null
        || !salt.isTextual()
        || salt.asText().length() > 256
        || id == null
        || !id.isTextual()
        || id.asText().isEmpty()
        || id.asText().length() > 64
        || shares == null
        || !shares.isArray()
        || shares.size() > 10_000) {
      throw new ProtocolException(
          "malformed_message", "a DISCLOSE without salt, syncerId or shares");
    }
    if (partnerId != null && !partnerId.equals(id.asText())) {
      throw new ProtocolException("malformed_message", "DISCLOSE with another syncerId");
    }
    partnerId = id.asText();
    boolean es5 = formats == null || !formats.isArray();
    if (formats != null && formats.isArray()) {
      for (JsonNode f : formats) {
        if (EsDocument.FORMAT.equals(f.asText())) {
          es5 = true;
        }
      }
    }
    Set<String> theirs = new HashSet<>();
    shares.forEach(s -> theirs.add(s.asText()));
    boolean initiate = syncerId.compareTo(partnerId) > 0;
    disclosed = true;
    host.sessionStarted(this);
    if (es5) {
      for (String share : host.shares()) {
        if (theirs.contains(Keys.sha256Base32(salt.asText() + share + salt.asText()))
            && !agents.containsKey(share)) {
          Agent a = new Agent(share, host.replica(share), initiate);
          agents.put(share, a);
          a.start();
          ArrayDeque<JsonNode> queued = early.remove(share);
          if (queued != null) {
            for (JsonNode m : queued) {
              a.handle(m.get("kind").asText(), m);
            }
          }
        }
      }
    }
    early.clear();
    if (msg.path("canRespond").asBoolean(false)) {
      sendDisclose(false);
    }
    maybeFinish();
  }

  // ---- completion
  // --------------------------------------------------------------------------------

  private void maybeFinish() {
    if (closed || mode != SyncMode.ONCE || !disclosed) {
      return;
    }
    if (!sentSyncerFulfilled) {
      for (Agent a : agents.values()) {
        if (!a.done()) {
          return;
        }
      }
      if (transfersPending > 0 || commitsPending > 0) {
        return;
      }
      sentSyncerFulfilled = true;
      send(event("SYNCER_FULFILLED"));
    }
    if (sentSyncerFulfilled && partnerSyncerFulfilled) {
      host.stats().syncsCompleted.incrementAndGet();
      LOG.debug("{}: sync complete", description);
      finished.complete(null);
      end("completed");
      link.close(1000, "sync complete");
    }
  }

  private void fail(String code, String reason) {
    if (closed) {
      return;
    }
    host.stats().closedFor(code);
    LOG.info("{}: closing the connection: {} ({})", description, reason, code);
    end(code);
    link.close(code.equals("oversized_frame") ? 1009 : 1008, reason);
  }

  private void end(String why) {
    if (closed) {
      return;
    }
    closed = true;
    if (ticker != null) {
      ticker.cancel(false);
    }
    for (Agent a : agents.values()) {
      a.stop();
    }
    if (rejectionsTotal > LOGGED_REJECTIONS) {
      LOG.warn(
          "{}: {} invalid documents refused in this sync ({} logged)",
          description,
          rejectionsTotal,
          LOGGED_REJECTIONS);
    }
    host.stats().connectionsOpen.decrementAndGet();
    host.sessionEnded(this);
    if (!finished.isDone()) {
      finished.completeExceptionally(
          new IllegalStateException(
              "the sync ended before it was complete"
                  + (why == null ? " (connection closed)" : " (" + why + ")")));
    }
  }

  /** Closes the session from our side. */
  public void cancel(String reason) {
    exec.execute(
        () -> {
          if (!closed) {
            end("cancelled");
            link.close(1000, reason);
          }
        });
  }

  // ---- attachments (server side: uploads arriving on their own sockets)
  // ---------------------------

  private final java.util.concurrent.atomic.AtomicInteger uploadsActive =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Reserves one of this sync's attachment-upload slots (any thread); false when all are in use.
   */
  public boolean tryStartUpload() {
    while (true) {
      int n = uploadsActive.get();
      if (n >= host.limits().maxTransfersPerConnection()) {
        return false;
      }
      if (uploadsActive.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void endUpload() {
    uploadsActive.decrementAndGet();
  }

  /** The replica of a share synced in this session, or null. */
  public Replica replicaFor(String share) {
    return host.shares().contains(share) ? host.replica(share) : null;
  }

  /** Called (any thread) when an upload socket delivered all bytes of {@code doc}'s attachment. */
  public void uploadReceived(String share, EsDocument doc, byte[] bytes) {
    exec.execute(
        () -> {
          Replica r = replicaFor(share);
          boolean expected = expectedUploads.remove(share + " " + doc.attachmentHash()) != null;
          if (r == null) {
            return;
          }
          CompletableFuture<Void> commit;
          try {
            commit = r.ingestAttachment(doc, bytes, this);
            host.stats().attachmentsReceived.incrementAndGet();
          } catch (InvalidDocumentException e) {
            rejected(e.reason(), doc, e.getMessage());
            commit = CompletableFuture.completedFuture(null);
          }
          if (expected) {
            commit.whenComplete(
                (v, t) ->
                    exec.execute(
                        () -> {
                          transfersPending--;
                          progressed();
                          maybeFinish();
                        }));
          }
        });
  }

  /** Called when an expected upload ended without (valid) bytes. */
  public void uploadFailed(String share, String hash) {
    exec.execute(
        () -> {
          if (expectedUploads.remove(share + " " + hash) != null) {
            transfersPending--;
            progressed();
            maybeFinish();
          }
        });
  }

  // ---- outgoing
  // ----------------------------------------------------------------------------------

  private void sendDisclose(boolean canRespond) {
    String salt = randomId();
    ObjectNode d = event("DISCLOSE");
    d.put("salt", salt);
    d.put("syncerId", syncerId);
    var arr = d.putArray("shares");
    for (String share : host.shares()) {
      arr.add(Keys.sha256Base32(salt + share + salt));
    }
    d.putArray("formats").add(EsDocument.FORMAT);
    d.put("canRespond", canRespond);
    send(d);
  }

  private static ObjectNode event(String kind) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("kind", kind);
    return o;
  }

  private void send(ObjectNode msg) {
    if (closed) {
      return;
    }
    try {
      String text = Json.MAPPER.writeValueAsString(msg);
      host.stats().bytesOut.addAndGet(nodenogg.earthstar.internal.Utf8.length(text));
      link.sendText(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void rejected(Rejection reason, EsDocument doc, String message) {
    host.stats().rejected(reason);
    rejectionsTotal++;
    if (rejectionsLogged < LOGGED_REJECTIONS) {
      rejectionsLogged++;
      LOG.warn(
          "{}: refused {}: {}", description, doc == null ? "a document" : doc.describe(), message);
    }
  }

  private static String thumbnail(EsDocument d) {
    return d.timestamp() + " " + Xxh64.hex(Xxh64.hash(d.path() + " " + d.author()));
  }

  /** The sync of one share in common. */
  private final class Agent implements ReplicaListener {
    final String share;
    final Replica replica;
    final boolean initiate;
    final Reconciler reconciler;
    final Map<String, Boolean> wanted = new HashMap<>();
    int wantsOpen;
    int commits;
    boolean sentFulfilled;
    boolean partnerFulfilled;
    boolean lazy;
    boolean stopped;
    long countedItems;

    Agent(String share, Replica replica, boolean initiate) {
      this.share = share;
      this.replica = replica;
      this.initiate = initiate;
      this.reconciler =
          new Reconciler(
              new Thumbnails.WorkingSet(replica.snapshot()),
              PAYLOAD_THRESHOLD,
              RANGE_DIVISION,
              host.limits().maxReconcileItemsPerConnection(),
              this::inserted);
    }

    void start() {
      if (mode == SyncMode.CONTINUOUS) {
        replica.addListener(this);
      }
      if (initiate) {
        for (ObjectNode m : reconciler.initialMessages()) {
          sendRange(m);
        }
      }
      checkExistingAttachments();
    }

    void stop() {
      stopped = true;
      replica.removeListener(this);
      host.stats().reconcileItems.addAndGet(-countedItems);
      countedItems = 0;
    }

    boolean done() {
      return sentFulfilled && partnerFulfilled;
    }

    void sendRange(ObjectNode m) {
      ObjectNode e = event("RANGE_MSG");
      e.put("to", share);
      e.set("message", m);
      send(e);
    }

    ObjectNode toShare(String kind) {
      ObjectNode e = event(kind);
      e.put("to", share);
      return e;
    }

    void handle(String kind, JsonNode msg) throws ProtocolException {
      if (stopped) {
        return;
      }
      switch (kind) {
        case "RANGE_MSG" -> {
          boolean wasDone = reconciler.isDone();
          int before = reconciler.inserted();
          for (ObjectNode m : reconciler.respond(msg.get("message"))) {
            sendRange(m);
          }
          int added = reconciler.inserted() - before;
          if (added > 0) {
            countedItems += added;
            if (host.stats().reconcileItems.addAndGet(added)
                > host.limits().maxReconcileItemsTotal()) {
              throw new ProtocolException(
                  "reconciliation_limit", "the server-wide reconciliation budget is used up");
            }
          }
          if (!wasDone && reconciler.isDone()) {
            maybeFulfil();
          }
        }
        case "WANT" -> {
          lazy = false;
          Thumb t = Thumb.parse(msg.path("thumbnail").asText(null));
          if (t == null) {
            throw new ProtocolException("malformed_message", "WANT without a thumbnail");
          }
          replica.byPathAuthorHash(t.hash()).ifPresent(d -> sendDoc(d, t.text()));
        }
        case "HAVE" -> {
          Thumb t = Thumb.parse(msg.path("thumbnail").asText(null));
          if (t == null) {
            throw new ProtocolException("malformed_message", "HAVE without a thumbnail");
          }
          if (mode == SyncMode.CONTINUOUS || !reconciler.isDone()) {
            inserted(t);
          }
        }
        case "DOC" -> onDoc(msg);
        case "FULFILLED" -> {
          partnerFulfilled = true;
          maybeFinish();
        }
        case "WANT_ATTACHMENT" -> onWantAttachment(msg);
        case "NEW_ATTACHMENT" -> {
          if (mode == SyncMode.CONTINUOUS) {
            JsonNode path = msg.get("path");
            JsonNode author = msg.get("author");
            if (path != null && path.isTextual() && author != null && author.isTextual()) {
              replica.get(path.asText(), author.asText()).ifPresent(d -> fetchAttachment(d, true));
            }
          }
        }
        case "PRUNE" -> lazy = true;
        case "ABORT" -> fail("aborted", "the other peer aborted the sync of " + share);
        default -> {}
      }
    }

    /** A thumbnail the other side has: ask for it when it is newer than ours. */
    void inserted(Thumb t) {
      var mine = replica.entryByPathAuthorHash(t.pathAuthorHash());
      if (mine.isPresent() && mine.get().timestamp() >= t.timestamp()) {
        return;
      }
      String key = t.text();
      if (wanted.containsKey(key)) {
        return;
      }
      if (wantsOpen >= host.limits().maxWantsPerConnection()) {
        fail(
            "reconciliation_limit",
            "more than " + host.limits().maxWantsPerConnection() + " documents wanted at once");
        return;
      }
      wanted.put(key, Boolean.FALSE);
      wantsOpen++;
      ObjectNode w = toShare("WANT");
      w.put("thumbnail", key);
      send(w);
    }

    void sendDoc(EsDocument d, String thumbnail) {
      StringWriter sw = new StringWriter(d.text().length() + 700);
      try (JsonGenerator g = Json.FACTORY.createGenerator(sw)) {
        g.writeStartObject();
        g.writeStringField("kind", "DOC");
        g.writeStringField("to", share);
        g.writeStringField("thumbnail", thumbnail);
        g.writeFieldName("doc");
        d.write(g);
        g.writeBooleanField("attachmentHeld", replica.hasAttachment(d));
        g.writeEndObject();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      if (!closed) {
        String text = sw.toString();
        host.stats().bytesOut.addAndGet(nodenogg.earthstar.internal.Utf8.length(text));
        link.sendText(text);
        host.stats().docsSent.incrementAndGet();
      }
    }

    void onDoc(JsonNode msg) throws ProtocolException {
      JsonNode th = msg.get("thumbnail");
      if (th == null || !th.isTextual() || th.asText().length() > 64) {
        throw new ProtocolException("malformed_message", "DOC without a thumbnail");
      }
      host.stats().docsReceived.incrementAndGet();
      EsDocument doc;
      try {
        doc = EsDocument.fromJson(msg.get("doc"));
      } catch (InvalidDocumentException e) {
        rejected(e.reason(), null, e.getMessage());
        answered(th.asText());
        return;
      }
      IngestResult r = replica.ingest(doc, SyncSession.this);
      if (r.outcome() == IngestResult.Outcome.INVALID) {
        rejected(r.reason(), doc, r.message());
      } else {
        if (r.accepted()) {
          host.stats().docsStored.incrementAndGet();
          commits++;
          commitsPending++;
          r.committed()
              .whenComplete(
                  (v, t) ->
                      exec.execute(
                          () -> {
                            commits--;
                            commitsPending--;
                            progressed();
                            if (t != null) {
                              fail("store_failed", "the store failed: " + t.getMessage());
                              return;
                            }
                            maybeFulfil();
                            maybeFinish();
                          }));
        }
        if (msg.path("attachmentHeld").asBoolean(false)
            && doc.hasAttachment()
            && r.outcome() != IngestResult.Outcome.OBSOLETE) {
          fetchAttachment(doc, true);
        }
      }
      answered(th.asText());
    }

    void answered(String thumbnail) {
      Boolean got = wanted.get(thumbnail);
      if (got != null && !got) {
        wanted.put(thumbnail, Boolean.TRUE);
        wantsOpen--;
        maybeFulfil();
      }
    }

    void maybeFulfil() {
      if (mode != SyncMode.ONCE
          || sentFulfilled
          || !reconciler.isDone()
          || wantsOpen > 0
          || commits > 0) {
        return;
      }
      sentFulfilled = true;
      send(toShare("FULFILLED"));
      maybeFinish();
    }

    /** Gets the attachment of {@code doc} from the other side, if we do not have it. */
    void fetchAttachment(EsDocument doc, boolean partnerHasIt) {
      if (!doc.hasAttachment() || replica.hasAttachment(doc)) {
        return;
      }
      if (doc.attachmentSize() > host.limits().maxAttachmentBytes()) {
        LOG.info(
            "{}: not fetching the {}-byte attachment of {} (limit {})",
            description,
            doc.attachmentSize(),
            doc.describe(),
            host.limits().maxAttachmentBytes());
        return;
      }
      if (attachments != null) {
        if (partnerId == null) {
          return;
        }
        transfersPending++;
        progressed();
        attachments
            .download(partnerId, share, doc, host.limits().maxAttachmentBytes())
            .whenComplete(
                (bytes, t) ->
                    exec.execute(
                        () -> {
                          CompletableFuture<Void> commit = CompletableFuture.completedFuture(null);
                          if (t == null && bytes != null) {
                            host.stats().bytesIn.addAndGet(bytes.length);
                          }
                          if (t == null && bytes != null && bytes.length > 0) {
                            try {
                              commit = replica.ingestAttachment(doc, bytes, SyncSession.this);
                              host.stats().attachmentsReceived.incrementAndGet();
                            } catch (InvalidDocumentException e) {
                              rejected(e.reason(), doc, e.getMessage());
                            }
                          }
                          commit.whenComplete(
                              (v, t2) ->
                                  exec.execute(
                                      () -> {
                                        transfersPending--;
                                        progressed();
                                        maybeFinish();
                                      }));
                        }));
      } else {
        String key = share + " " + doc.attachmentHash();
        if (expectedUploads.containsKey(key)) {
          return;
        }
        if (partnerHasIt) {
          if (expectedUploads.size() >= 10_000) {
            return;
          }
          expectedUploads.put(key, 1);
          transfersPending++;
          progressed();
          long deadline = host.limits().silenceTimeoutMillis() * 3;
          try {
            host.timers()
                .schedule(
                    () -> uploadFailed(share, doc.attachmentHash()),
                    deadline,
                    TimeUnit.MILLISECONDS);
          } catch (java.util.concurrent.RejectedExecutionException e) {
            return; // the peer is closing
          }
        }
        ObjectNode w = toShare("WANT_ATTACHMENT");
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = Json.FACTORY.createGenerator(sw)) {
          doc.write(g);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        try {
          w.set("doc", Json.MAPPER.readTree(sw.toString()));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        w.put("shareAddress", share);
        w.put("attachmentHash", doc.attachmentHash());
        send(w);
      }
    }

    /** On each start, ask for the attachments we lack of documents we already have. */
    void checkExistingAttachments() {
      for (Replica.Entry e : replica.entries(nodenogg.earthstar.Query.all())) {
        if (e.attachmentHash() != null && e.attachmentSize() != null && e.attachmentSize() > 0) {
          replica
              .get(e.path(), e.author())
              .ifPresent(
                  d -> {
                    if (!replica.hasAttachment(d)) {
                      fetchAttachment(d, false);
                    }
                  });
        }
      }
    }

    void onWantAttachment(JsonNode msg) {
      if (attachments == null || partnerId == null) {
        return; // a server has no socket to upload on
      }
      EsDocument doc;
      try {
        doc = EsDocument.fromJson(msg.get("doc"));
      } catch (InvalidDocumentException e) {
        return;
      }
      replica
          .get(doc.path(), doc.author())
          .filter(d -> d.hasAttachment())
          .ifPresent(
              d ->
                  replica
                      .attachment(d)
                      .ifPresent(
                          bytes -> {
                            host.stats().attachmentsSent.incrementAndGet();
                            host.stats().bytesOut.addAndGet(bytes.length);
                            attachments.upload(partnerId, share, d, bytes);
                          }));
    }

    // ---- continuous: relay every later change --------------------------------------------------

    @Override
    public void onDocument(EsDocument doc, Object source) {
      if (source == SyncSession.this) {
        return;
      }
      exec.execute(
          () -> {
            if (stopped || closed) {
              return;
            }
            if (lazy) {
              ObjectNode h = toShare("HAVE");
              h.put("thumbnail", thumbnail(doc));
              send(h);
            } else {
              sendDoc(doc, thumbnail(doc));
            }
          });
    }

    @Override
    public void onAttachment(EsDocument doc, Object source) {
      if (source == SyncSession.this) {
        return;
      }
      exec.execute(
          () -> {
            if (stopped || closed) {
              return;
            }
            ObjectNode n = toShare("NEW_ATTACHMENT");
            n.put("path", doc.path());
            n.put("author", doc.author());
            n.put("format", doc.format());
            n.put("hash", doc.attachmentHash());
            send(n);
          });
    }
  }

  /** Shares synced in this session (for tests and status). */
  public List<String> sharesInCommon() {
    return new ArrayList<>(agents.keySet());
  }

  @Override
  public String toString() {
    return description;
  }
}
