package nodenogg.earthstar.microcosm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import nodenogg.earthstar.Addresses;
import nodenogg.earthstar.AuthorKeypair;
import nodenogg.earthstar.Es5;
import nodenogg.earthstar.EsDocument;
import nodenogg.earthstar.InvalidDocumentException;
import nodenogg.earthstar.Keys;
import nodenogg.earthstar.Query;
import nodenogg.earthstar.Replica;
import nodenogg.earthstar.ReplicaListener;
import nodenogg.microcosm.EditableMicrocosmAPI;
import nodenogg.microcosm.Entities;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.EntityData;
import nodenogg.microcosm.EntityEvent;
import nodenogg.microcosm.EntityListener;
import nodenogg.microcosm.EntityLocation;
import nodenogg.microcosm.EntityUpdate;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.IdentityWithStatus;
import nodenogg.microcosm.InvalidEntityException;
import nodenogg.microcosm.InvalidValue;
import nodenogg.microcosm.MicrocosmState;
import nodenogg.microcosm.SchemaProfile;
import nodenogg.microcosm.Subscription;

/**
 * A microcosm in one Earthstar share, behind {@link EditableMicrocosmAPI}: each identity is an
 * Earthstar author and its collection lives below its own {@code ~@author} paths; the fields that
 * should merge separately are separate documents (position, HTML, the rest), so a concurrent move
 * and a concurrent text edit of one note both survive; presence is ephemeral documents; HTML over
 * the 8,000-byte text limit travels as an attachment. Layout: {@link Layout},
 * docs/earthstar-layout.md.
 *
 * <p>What a last-writer-wins store cannot hold: two concurrent edits of the same field (the later
 * wins whole; HTML edits do not merge character by character), and undo history ({@link #undo()}
 * returns false). An edit call writes one document per changed field: other peers may see them one
 * at a time.
 *
 * <p>Thread-safe: any thread may call any method; listeners run in order on the microcosm's own
 * event thread. Sync the share with {@link nodenogg.earthstar.EarthstarPeer}.
 */
public final class EarthstarMicrocosm implements EditableMicrocosmAPI {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a presence document lives; it is rewritten every third of that. */
  static final long PRESENCE_TTL_MICROS = 60_000_000L;

  private final Replica replica;
  private final String shareSecret;
  private final AuthorKeypair author;
  private final LongSupplier clockMillis;
  private final ExecutorService events;
  private final ScheduledExecutorService presenceTimer;
  private final ReplicaListener listener;
  private final List<EntityListener> entityListeners = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<EntityLocation, Consumer<Optional<Entity>>>> locationListeners =
      new CopyOnWriteArrayList<>();
  private final List<Consumer<MicrocosmState>> stateListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<InvalidValue>> invalidListeners = new CopyOnWriteArrayList<>();
  private Map<EntityLocation, Entity> known = new TreeMap<>();
  private String identityId;
  private Identity joined;
  private ScheduledFuture<?> presenceRefresh;
  private volatile boolean closed;

  /**
   * @param replica the microcosm's share
   * @param author who edits (null for a read-only microcosm: edit methods then throw)
   * @param shareSecret the share's secret (writing needs it; null for read-only)
   */
  public EarthstarMicrocosm(Replica replica, AuthorKeypair author, String shareSecret) {
    this(replica, author, shareSecret, System::currentTimeMillis);
  }

  EarthstarMicrocosm(
      Replica replica, AuthorKeypair author, String shareSecret, LongSupplier clockMillis) {
    this.replica = Objects.requireNonNull(replica);
    this.author = author;
    this.shareSecret = shareSecret;
    this.clockMillis = clockMillis;
    this.events =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "microcosm-" + microcosmId());
              t.setDaemon(true);
              return t;
            });
    this.presenceTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "microcosm-presence-" + microcosmId());
              t.setDaemon(true);
              return t;
            });
    synchronized (this) {
      known = read(false);
    }
    this.listener =
        new ReplicaListener() {
          @Override
          public void onDocument(EsDocument doc, Object source) {
            changed(doc, source == Replica.LOCAL);
          }

          @Override
          public void onAttachment(EsDocument doc, Object source) {
            changed(doc, source == Replica.LOCAL);
          }

          @Override
          public void onExpired(EsDocument doc) {
            changed(doc, false);
          }
        };
    replica.addListener(listener);
  }

  /** The identity id this microcosm edits as: derived from the author's address. */
  public Optional<String> authorIdentityId() {
    return author == null ? Optional.empty() : Optional.of(Layout.identityId(author.address()));
  }

  public Replica replica() {
    return replica;
  }

  @Override
  public String microcosmId() {
    return Addresses.name(replica.share());
  }

  @Override
  public SchemaProfile profile() {
    return SchemaProfile.E5;
  }

  @Override
  public MicrocosmState state() {
    return new MicrocosmState(true, false, replica.durable(), presence());
  }

  private List<IdentityWithStatus> presence() {
    List<IdentityWithStatus> out = new ArrayList<>();
    for (Replica.Entry entry : replica.entries(Query.pathPrefix(Layout.ROOT))) {
      if (!entry.path().endsWith("/presence!")) {
        continue;
      }
      EsDocument d = replica.get(entry.path(), entry.author()).orElse(null);
      Layout.Parsed p = d == null ? null : Layout.parse(d.path());
      if (p != null
          && p.entityId() == null
          && p.part().equals("presence!")
          && !d.text().isEmpty()) {
        try {
          JsonNode n = JSON.readTree(d.text());
          JsonNode id = n.get("identity");
          out.add(
              new IdentityWithStatus(
                  new Identity(
                      id.get("id").asText(),
                      id.path("nickname").isTextual() ? id.get("nickname").asText() : null),
                  n.get("timestamp").asLong(),
                  n.get("joined").asBoolean()));
        } catch (Exception e) {
          invalid(
              new InvalidValue(
                  Layout.identityId(d.author()),
                  "presence",
                  "unreadable presence: " + e.getMessage()));
        }
      }
    }
    return out;
  }

  // ---- reading
  // -------------------------------------------------------------------------------------

  /** Every valid entity in the share, from the documents of the layout. */
  private Map<EntityLocation, Entity> read(boolean report) {
    Map<String, Map<String, EsDocument[]>> parts = new HashMap<>();
    for (EsDocument d : replica.query(Query.pathPrefix(Layout.ROOT))) {
      Layout.Parsed p = Layout.parse(d.path());
      if (p == null || p.entityId() == null || !d.author().equals(p.author())) {
        continue;
      }
      EsDocument[] slots =
          parts
              .computeIfAbsent(p.author(), k -> new HashMap<>())
              .computeIfAbsent(p.entityId(), k -> new EsDocument[4]);
      switch (p.part()) {
        case "entity" -> slots[0] = d;
        case "position" -> slots[1] = d;
        case "html" -> slots[2] = d;
        case "html.html" -> slots[3] = d;
        default -> {}
      }
    }
    Map<EntityLocation, Entity> out = new TreeMap<>();
    parts.forEach(
        (auth, entities) ->
            entities.forEach(
                (id, slots) -> {
                  if (slots[0] == null || slots[0].text().isEmpty()) {
                    return; // never created, or deleted
                  }
                  try {
                    Entity e = assemble(auth, id, slots);
                    out.put(e.location(), e);
                  } catch (RuntimeException ex) {
                    if (report) {
                      invalid(new InvalidValue(Layout.identityId(auth), id, ex.getMessage()));
                    }
                  }
                }));
    return out;
  }

  private Entity assemble(String auth, String id, EsDocument[] slots) {
    JsonNode meta;
    try {
      meta = JSON.readTree(slots[0].text());
    } catch (Exception e) {
      throw new InvalidEntityException("entity document is not JSON");
    }
    if (!id.equals(meta.path("id").asText())
        || !Layout.identityId(auth).equals(meta.path("identity_id").asText())) {
      throw new InvalidEntityException("entity document names another id or identity");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> data = JSON.convertValue(meta.get("data"), LinkedHashMap.class);
    if (data == null) {
      throw new InvalidEntityException("entity document has no data");
    }
    long lastEdited = slots[0].timestamp();
    if (slots[1] != null && !slots[1].text().isEmpty()) {
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> pos = JSON.readValue(slots[1].text(), LinkedHashMap.class);
        data.putAll(pos);
      } catch (Exception e) {
        throw new InvalidEntityException("position document is not JSON");
      }
      lastEdited = Math.max(lastEdited, slots[1].timestamp());
    }
    if (slots[2] != null && !slots[2].text().isEmpty()) {
      data.put("content", htmlOf(slots[2], slots[3]));
      lastEdited = Math.max(lastEdited, slots[2].timestamp());
    }
    EntityData ed = Entities.dataFromMap(data);
    return new Entity(
        id, Layout.identityId(auth), meta.path("created").asLong(), lastEdited / 1000, ed);
  }

  private String htmlOf(EsDocument html, EsDocument attachment) {
    JsonNode n;
    try {
      n = JSON.readTree(html.text());
    } catch (Exception e) {
      throw new InvalidEntityException("html document is not JSON");
    }
    if (n.path("content").isTextual()) {
      return n.get("content").asText();
    }
    String hash = n.path("attachment").asText(null);
    if (hash == null || attachment == null || !hash.equals(attachment.attachmentHash())) {
      throw new InvalidEntityException("the HTML attachment has not arrived yet");
    }
    byte[] bytes =
        replica
            .attachment(attachment)
            .orElseThrow(
                () -> new InvalidEntityException("the HTML attachment has not arrived yet"));
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * A document of the layout changed (on the thread that stored it): update that one entity now, so
   * reads see it at once, then tell listeners on the event thread.
   */
  private void changed(EsDocument doc, boolean local) {
    Layout.Parsed p = Layout.parse(doc.path());
    if (p == null || closed) {
      return;
    }
    EntityEvent ev = p.entityId() == null ? null : reload(p.author(), p.entityId(), local, true);
    events.execute(
        () -> {
          if (ev != null) {
            fire(ev);
          } else if (p.entityId() == null
              && !stateListeners.isEmpty()) { // identity or presence: the state changed
            MicrocosmState st = state();
            stateListeners.forEach(l -> l.accept(st));
          }
        });
  }

  /** Re-reads one entity from its documents and updates the view; the resulting event, or null. */
  private synchronized EntityEvent reload(String auth, String id, boolean local, boolean report) {
    if (closed) {
      return null;
    }
    EsDocument[] slots = {
      replica.get(Layout.entity(auth, id), auth).orElse(null),
      replica.get(Layout.position(auth, id), auth).orElse(null),
      replica.get(Layout.html(auth, id), auth).orElse(null),
      replica.get(Layout.htmlAttachment(auth, id), auth).orElse(null)
    };
    EntityLocation loc = new EntityLocation(Layout.identityId(auth), id);
    Entity now = null;
    if (slots[0] != null && !slots[0].text().isEmpty()) {
      try {
        now = assemble(auth, id, slots);
      } catch (RuntimeException ex) {
        if (report) {
          invalid(new InvalidValue(loc.identityId(), id, ex.getMessage()));
        }
      }
    }
    Entity old = known.get(loc);
    if (now == null && old == null || now != null && now.equals(old)) {
      return null;
    }
    if (now == null) {
      known.remove(loc);
      return new EntityEvent(EntityEvent.Kind.DELETE, loc, null, old, local);
    }
    known.put(loc, now);
    return new EntityEvent(
        old == null ? EntityEvent.Kind.CREATE : EntityEvent.Kind.UPDATE, loc, now, old, local);
  }

  private void fire(EntityEvent ev) {
    if (ev == null) {
      return;
    }
    for (EntityListener l : entityListeners) {
      l.onEvent(ev);
    }
    for (Map.Entry<EntityLocation, Consumer<Optional<Entity>>> l : locationListeners) {
      if (l.getKey().equals(ev.location())) {
        l.getValue().accept(Optional.ofNullable(ev.entity()));
      }
    }
  }

  /** After a local write: update the view now, tell listeners on the event thread. */
  private void local(String entityId) {
    EntityEvent ev = reload(author.address(), entityId, true, false);
    if (ev != null) {
      events.execute(() -> fire(ev));
    }
  }

  private void invalid(InvalidValue v) {
    invalidListeners.forEach(l -> l.accept(v));
  }

  private synchronized Map<EntityLocation, Entity> current() {
    return new TreeMap<>(known);
  }

  @Override
  public synchronized Optional<Entity> getEntity(EntityLocation location) {
    return Optional.ofNullable(known.get(location));
  }

  @Override
  public List<String> getCollections() {
    TreeSet<String> ids = new TreeSet<>();
    for (Replica.Entry d : replica.entries(Query.pathPrefix(Layout.ROOT))) {
      Layout.Parsed p = d.path().endsWith("/identity") ? Layout.parse(d.path()) : null;
      if (p != null
          && p.entityId() == null
          && p.part().equals("identity")
          && d.author().equals(p.author())) {
        ids.add(Layout.identityId(p.author()));
      }
    }
    current().keySet().forEach(l -> ids.add(l.identityId()));
    return new ArrayList<>(ids);
  }

  @Override
  public List<String> getCollection(String identityId) {
    List<String> out = new ArrayList<>();
    for (EntityLocation l : current().keySet()) {
      if (l.identityId().equals(identityId)) {
        out.add(l.entityId());
      }
    }
    return out;
  }

  @Override
  public Map<String, Entity> collection(String identityId) {
    Map<String, Entity> out = new TreeMap<>();
    current()
        .forEach(
            (l, e) -> {
              if (l.identityId().equals(identityId)) {
                out.put(l.entityId(), e);
              }
            });
    return Collections.unmodifiableMap(out);
  }

  @Override
  public List<EntityLocation> getEntities() {
    return List.copyOf(current().keySet());
  }

  @Override
  public Map<EntityLocation, Entity> entities() {
    return Collections.unmodifiableMap(new TreeMap<>(current()));
  }

  @Override
  public Subscription subscribe(EntityListener l) {
    entityListeners.add(l);
    return () -> entityListeners.remove(l);
  }

  @Override
  public Subscription subscribe(EntityLocation location, Consumer<Optional<Entity>> l) {
    Map.Entry<EntityLocation, Consumer<Optional<Entity>>> e = Map.entry(location, l);
    locationListeners.add(e);
    return () -> locationListeners.remove(e);
  }

  @Override
  public Subscription onState(Consumer<MicrocosmState> l) {
    stateListeners.add(l);
    return () -> stateListeners.remove(l);
  }

  @Override
  public Subscription onInvalidValue(Consumer<InvalidValue> l) {
    invalidListeners.add(l);
    return () -> invalidListeners.remove(l);
  }

  // ---- editing
  // -------------------------------------------------------------------------------------

  @Override
  public synchronized void identify(String id) {
    if (author == null) {
      throw new IllegalStateException(
          "this microcosm is read-only: open it with an author keypair to edit");
    }
    String mine = Layout.identityId(author.address());
    if (!mine.equals(id)) {
      throw new IllegalArgumentException(
          "an Earthstar microcosm edits as its author's identity "
              + mine
              + " (derived from "
              + author.address()
              + "), not "
              + id);
    }
    this.identityId = id;
    if (replica.get(Layout.identity(author.address()), author.address()).isEmpty()) {
      ObjectNode n = JSON.createObjectNode().put("id", id);
      write(Layout.identity(author.address()), n.toString(), null, null);
    }
  }

  @Override
  public synchronized Optional<String> identityId() {
    return Optional.ofNullable(identityId);
  }

  private String requireIdentity() {
    if (identityId == null) {
      throw new IllegalStateException("call identify(identityId) before editing");
    }
    return identityId;
  }

  private long now() {
    return clockMillis.getAsLong();
  }

  private void write(String path, String text, Long deleteAfter, byte[] attachment) {
    try {
      replica.set(author, shareSecret, path, text, deleteAfter, attachment);
    } catch (InvalidDocumentException e) {
      throw new InvalidEntityException("cannot store " + path + ": " + e.getMessage());
    }
  }

  /**
   * Writes the documents of {@code e} whose field group differs from {@code old} (all when old is
   * null).
   */
  private void store(Entity e, Entity old) {
    String a = author.address();
    Map<String, Object> data = new LinkedHashMap<>(Entities.dataAsMap(e.data()));
    Map<String, Object> pos = new LinkedHashMap<>();
    for (String k : List.of("x", "y", "width", "height")) {
      if (data.containsKey(k)) {
        pos.put(k, data.remove(k));
      }
    }
    String content = e.data() instanceof nodenogg.microcosm.HtmlData h ? h.content() : null;
    if (content != null) {
      data.remove("content");
    }
    Map<String, Object> oldData =
        old == null ? null : new LinkedHashMap<>(Entities.dataAsMap(old.data()));
    Map<String, Object> oldPos = new LinkedHashMap<>();
    String oldContent = null;
    if (oldData != null) {
      for (String k : List.of("x", "y", "width", "height")) {
        if (oldData.containsKey(k)) {
          oldPos.put(k, oldData.remove(k));
        }
      }
      if (old.data() instanceof nodenogg.microcosm.HtmlData h) {
        oldContent = h.content();
        oldData.remove("content");
      }
    }
    if (old == null || !data.equals(oldData)) {
      ObjectNode meta = JSON.createObjectNode();
      meta.put("id", e.id())
          .put("identity_id", e.identityId())
          .put("created", e.created())
          .put("version", "1");
      meta.set("data", JSON.valueToTree(data));
      write(Layout.entity(a, e.id()), meta.toString(), null, null);
    }
    if (!pos.isEmpty() && (old == null || !pos.equals(oldPos))) {
      write(Layout.position(a, e.id()), JSON.valueToTree(pos).toString(), null, null);
    }
    if (content != null && (old == null || !content.equals(oldContent))) {
      String inline = JSON.createObjectNode().put("content", content).toString();
      if (inline.getBytes(StandardCharsets.UTF_8).length <= Es5.MAX_TEXT_BYTES) {
        write(Layout.html(a, e.id()), inline, null, null);
      } else {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(Layout.htmlAttachment(a, e.id()), "html of " + e.id(), null, bytes);
        write(
            Layout.html(a, e.id()),
            JSON.createObjectNode().put("attachment", Keys.sha256Base32(bytes)).toString(),
            null,
            null);
      }
    }
  }

  @Override
  public Entity create(EntityData data) {
    return create(List.of(data)).get(0);
  }

  @Override
  public synchronized List<Entity> create(List<? extends EntityData> data) {
    String me = requireIdentity();
    List<Entity> made = new ArrayList<>();
    for (EntityData d : data) {
      made.add(Entities.create(me, d, now()));
    }
    List<Entity> stored = new ArrayList<>();
    for (Entity e : made) {
      store(e, null);
      local(e.id());
      stored.add(known.getOrDefault(e.location(), e));
    }
    return stored;
  }

  @Override
  public synchronized List<Entity> update(List<EntityUpdate> updates) {
    String me = requireIdentity();
    List<Entity[]> pairs = new ArrayList<>();
    for (EntityUpdate u : updates) {
      Entity old = known.get(new EntityLocation(me, u.entityId()));
      if (old != null) {
        pairs.add(new Entity[] {old, Entities.update(old, u.changes(), now())});
      }
    }
    List<Entity> out = new ArrayList<>();
    for (Entity[] p : pairs) {
      store(p[1], p[0]);
      local(p[1].id());
      out.add(known.getOrDefault(p[1].location(), p[1]));
    }
    return out;
  }

  @Override
  public synchronized Optional<Entity> patch(String entityId, UnaryOperator<EntityData> fn) {
    String me = requireIdentity();
    Entity old = known.get(new EntityLocation(me, entityId));
    if (old == null) {
      return Optional.empty();
    }
    Entity next = Entities.replace(old, fn.apply(old.data()), now());
    store(next, old);
    local(entityId);
    return Optional.of(known.getOrDefault(next.location(), next));
  }

  @Override
  public synchronized int delete(List<String> entityIds) {
    String me = requireIdentity();
    int n = 0;
    for (String id : entityIds) {
      if (known.containsKey(new EntityLocation(me, id))) {
        write(Layout.entity(author.address(), id), "", null, null);
        local(id);
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized int deleteAll() {
    String me = requireIdentity();
    return delete(getCollection(me));
  }

  @Override
  public synchronized void join(Identity identity) {
    requireIdentity();
    joined = identity;
    publishPresence(identity, true);
    if (presenceRefresh == null) {
      presenceRefresh =
          presenceTimer.scheduleAtFixedRate(
              () -> {
                synchronized (this) {
                  if (joined != null && !closed) {
                    publishPresence(joined, true);
                  }
                }
              },
              PRESENCE_TTL_MICROS / 3000,
              PRESENCE_TTL_MICROS / 3000,
              TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void leave(Identity identity) {
    requireIdentity();
    joined = null;
    publishPresence(identity, false);
  }

  private void publishPresence(Identity identity, boolean isJoined) {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode id = n.putObject("identity");
    id.put("id", identity.id());
    if (identity.nickname() != null) {
      id.put("nickname", identity.nickname());
    }
    id.put("version", "1");
    n.put("timestamp", now());
    n.put("joined", isJoined);
    write(
        Layout.presence(author.address()),
        n.toString(),
        Es5.nowMicros() + PRESENCE_TTL_MICROS,
        null);
  }

  /** Always false: a last-writer-wins store keeps no history to undo (docs/earthstar-layout.md). */
  @Override
  public boolean undo() {
    return false;
  }

  @Override
  public boolean redo() {
    return false;
  }

  @Override
  public boolean canUndo() {
    return false;
  }

  @Override
  public boolean canRedo() {
    return false;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (joined != null && author != null) {
        publishPresence(joined, false);
      }
      closed = true;
    }
    replica.removeListener(listener);
    presenceTimer.shutdownNow();
    events.shutdown();
    try {
      events.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
