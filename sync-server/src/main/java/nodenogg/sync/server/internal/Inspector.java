package nodenogg.sync.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import nodenogg.microcosm.ConnectionData;
import nodenogg.microcosm.EmojiData;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.IdentityWithStatus;
import nodenogg.persistence.DocumentInfo;
import nodenogg.persistence.UpdateStore;
import nodenogg.sync.server.websocket.Connection;
import nodenogg.sync.server.websocket.HttpHandler;
import nodenogg.sync.server.websocket.SocketHandler;
import nodenogg.ymicrocosm.MicrocosmOptions;
import nodenogg.ymicrocosm.YMicrocosm;
import nodenogg.ymicrocosm.export.AppExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live inspector: {@code GET /inspect} (a plain HTML/JS/SVG page from the jar), its WebSocket
 * {@code /inspect/live} and {@code GET /inspect/api/export/<json|markdown|rtf>/<document>}.
 *
 * <p>The page lists the microcosms (stored and loaded: stored updates and bytes, connections, last
 * change since the server started) and draws one as the web app lays it out, live: the inspector
 * joins the document as a read-only peer, and after every broadcast or presence change (at most
 * every {@value #SNAPSHOT_DELAY_MILLIS} ms) sends the page a snapshot: the valid entities read with
 * the web app's rules (y-microcosm), who is present, the update history. Nothing the page sends
 * changes a document.
 *
 * <p>Access: with an admin token configured, the socket's first message must be {@code
 * {"type":"auth","token":...}} and the export needs {@code Authorization: Bearer <token>}; the page
 * itself holds no data. Thread-safe.
 *
 * <p>Socket protocol (JSON text): page → server {@code auth}, {@code list}, {@code watch
 * {document}}; server → page {@code hello {auth}}, {@code ready}, {@code list {microcosms}}, {@code
 * doc {...}}, {@code error {message}}.
 */
public final class Inspector {
  private static final Logger LOG = LoggerFactory.getLogger(Inspector.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final long SNAPSHOT_DELAY_MILLIS = 40;
  private static final byte[] EMPTY_STATE_VECTOR = {0};
  private static final String PAGE_RESOURCE = "/nodenogg/sync/server/inspect/index.html";

  private final DocumentRegistry registry;
  private final UpdateStore store;
  private final Telemetry telemetry;
  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final String adminToken;
  private final Predicate<Map<String, String>> isAdmin;
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  private final Set<Page> pages = ConcurrentHashMap.newKeySet();

  public Inspector(
      DocumentRegistry registry,
      UpdateStore store,
      Telemetry telemetry,
      ExecutorService pool,
      ScheduledExecutorService timers,
      String adminToken,
      Predicate<Map<String, String>> isAdmin) {
    this.registry = registry;
    this.store = store;
    this.telemetry = telemetry;
    this.pool = pool;
    this.timers = timers;
    this.adminToken = adminToken;
    this.isAdmin = isAdmin;
  }

  // ---- HTTP ----

  /** {@code GET /inspect}: the page. */
  public HttpHandler page() {
    byte[] html;
    try (InputStream in = Inspector.class.getResourceAsStream(PAGE_RESOURCE)) {
      html =
          in == null
              ? "inspector page missing from the jar".getBytes(StandardCharsets.UTF_8)
              : in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + PAGE_RESOURCE, e);
    }
    return (method, path, headers) ->
        new HttpHandler.Response(
            200,
            "text/html; charset=utf-8",
            html,
            Map.of(
                "Content-Security-Policy",
                "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
                    + " connect-src 'self' ws: wss:; img-src 'self' data:",
                "X-Frame-Options",
                "DENY"));
  }

  /** {@code GET /inspect/api/export/<format>/<document>} (format json, markdown or rtf). */
  public HttpHandler.Response api(HttpHandler.Request request) {
    if (!isAdmin.test(request.headers())) {
      telemetry.refused(
          "admin_token", request.remoteAddress(), null, "inspector export without the admin token");
      return HttpHandler.Response.json(
              401,
              "{\"error\":\"unauthorized\",\"message\":\"the inspector needs the admin"
                  + " token: send 'Authorization: Bearer <admin token>'\"}")
          .withHeader("WWW-Authenticate", "Bearer");
    }
    String[] parts = request.path().split("/", 6); // "", inspect, api, export, format, name
    if (parts.length != 6 || !parts[3].equals("export") || parts[5].isEmpty()) {
      return HttpHandler.Response.text(
          404, "use /inspect/api/export/<json|markdown|rtf>/<document>");
    }
    String format = parts[4];
    String name = URLDecoder.decode(parts[5], StandardCharsets.UTF_8);
    byte[] update = fullState(name);
    if (update == null) {
      return HttpHandler.Response.text(404, "no document named " + name);
    }
    Instant now = Instant.now();
    String id = exportId(name);
    try (YMicrocosm m = read(update)) {
      switch (format) {
        case "json":
          {
            List<String> collections = AppExport.collections(m);
            if (collections.isEmpty()) {
              return HttpHandler.Response.text(409, "the document lists no identity to export");
            }
            return new HttpHandler.Response(
                200,
                "application/json; charset=utf-8",
                AppExport.json(m, id, collections.get(0), now).getBytes(StandardCharsets.UTF_8),
                Map.of(
                    "Content-Disposition",
                    "attachment; filename=\"" + AppExport.jsonFileName(id, now) + "\""));
          }
        case "markdown":
        case "rtf":
          {
            AppExport.Archive zip =
                format.equals("rtf") ? AppExport.rtf(m, id, now) : AppExport.markdown(m, id, now);
            return new HttpHandler.Response(
                200,
                "application/zip",
                zip.zip(),
                Map.of("Content-Disposition", "attachment; filename=\"" + zip.name() + "\""));
          }
        default:
          return HttpHandler.Response.text(
              404, "export format must be json, markdown or rtf, got " + format);
      }
    }
  }

  /**
   * The microcosm id an export names: the document name when it is one, else its letters and
   * digits.
   */
  static String exportId(String name) {
    String id = name.replaceAll("[^A-Za-z0-9]", "");
    return id.isEmpty() ? "untitled" : id;
  }

  /**
   * The document's whole state as one update: from memory when loaded, else from the store; null
   * when unknown. Runs on the calling (event-loop) thread without waiting for the document's
   * executor: a {@code SyncDocument} serializes calls itself, and a diff only reads.
   */
  private byte[] fullState(String name) {
    for (ServerDocument d : registry.loadedDocuments()) {
      if (d.name().equals(name)) {
        return d.doc().diff(EMPTY_STATE_VECTOR);
      }
    }
    List<byte[]> stored = store.load(name);
    if (stored.isEmpty()) {
      return null;
    }
    nodenogg.crdt.Doc doc = new nodenogg.crdt.Doc();
    for (byte[] u : stored) {
      nodenogg.crdt.Updates.applyUpdate(doc, u);
    }
    return nodenogg.crdt.Updates.encodeStateAsUpdate(doc);
  }

  private static YMicrocosm read(byte[] update) {
    YMicrocosm m = YMicrocosm.open("inspect", MicrocosmOptions.defaults());
    try {
      m.applyUpdate(update);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  // ---- the microcosm list ----

  /** Stored and loaded documents with their sizes, connections and last change since start. */
  ArrayNode list() {
    Set<String> names = new TreeSet<>(registry.loaded());
    names.addAll(store.list());
    Set<String> loaded = Set.copyOf(registry.loaded());
    ArrayNode out = JSON.createArrayNode();
    for (String n : names) {
      ObjectNode o = out.addObject();
      o.put("name", n);
      o.put("loaded", loaded.contains(n));
      o.put("connections", telemetry.connectionsTo(n));
      DocumentInfo info = store.info(n).orElse(null);
      o.put("stored_updates", info == null ? 0 : info.updateCount());
      o.put("stored_bytes", info == null ? 0 : info.updateBytes());
      Telemetry.DocumentActivity a = telemetry.activity(n);
      o.put("updates_since_start", a == null ? 0 : a.updates());
      o.put("bytes_since_start", a == null ? 0 : a.bytes());
      if (a != null && a.lastChangeMillis() > 0) {
        o.put("last_change", Instant.ofEpochMilli(a.lastChangeMillis()).toString());
      } else {
        o.putNull("last_change");
      }
    }
    return out;
  }

  // ---- the live socket ----

  /** Per page connection. */
  private final class Page {
    final Connection conn;
    volatile boolean authed;
    volatile Watcher watching;

    Page(Connection conn) {
      this.conn = conn;
      this.authed = adminToken == null;
    }
  }

  public SocketHandler live() {
    return new SocketHandler() {
      @Override
      public void onOpen(Connection connection) {
        Page p = new Page(connection);
        connection.attach(p);
        pages.add(p);
        send(p, obj("hello").put("auth", adminToken != null));
        if (p.authed) {
          ready(p);
        }
      }

      @Override
      public void onText(Connection connection, String message) {
        Page p = (Page) connection.attachment();
        JsonNode m;
        try {
          m = JSON.readTree(message);
        } catch (IOException e) {
          connection.close(1003, "inspector messages are JSON objects");
          return;
        }
        String type = m.path("type").asText();
        if (!p.authed) {
          if (type.equals("auth")
              && isAdmin.test(Map.of("authorization", "Bearer " + m.path("token").asText()))) {
            p.authed = true;
            ready(p);
          } else {
            telemetry.refused(
                "admin_token",
                connection.remoteAddress(),
                null,
                "inspector without the admin token");
            send(
                p,
                obj("error").put("message", "the admin token is needed (and this one is not it)"));
            connection.close(4401, "unauthorized");
          }
          return;
        }
        switch (type) {
          case "list":
            later(() -> sendList(p));
            break;
          case "watch":
            watch(p, m.path("document").asText());
            break;
          case "auth":
            break;
          default:
            send(p, obj("error").put("message", "unknown message type " + type));
        }
      }

      @Override
      public void onClose(Connection connection, int code, String reason, boolean remote) {
        Page p = (Page) connection.attachment();
        if (p != null) {
          pages.remove(p);
          unwatch(p);
        }
      }
    };
  }

  private void ready(Page p) {
    send(p, obj("ready"));
    later(() -> sendList(p));
  }

  /** Runs on the worker pool (listing may read the store); dropped when the server is closing. */
  private void later(Runnable r) {
    try {
      pool.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // closing
    }
  }

  private void sendList(Page p) {
    try {
      ObjectNode o = obj("list");
      o.set("microcosms", list());
      send(p, o);
    } catch (RuntimeException e) {
      LOG.warn("inspector: listing the microcosms failed", e);
      send(p, obj("error").put("message", "listing failed: " + e.getMessage()));
    }
  }

  private void watch(Page p, String name) {
    unwatch(p);
    if (name.isEmpty()) {
      return;
    }
    Watcher w = new Watcher(p, name);
    p.watching = w;
    watchers.add(w);
    DocumentRegistry.Lease lease = registry.acquire(name);
    w.lease = lease;
    lease
        .document()
        .whenComplete(
            (doc, err) -> {
              if (err != null) {
                lease.release();
                send(
                    p,
                    obj("error")
                        .put(
                            "message",
                            "document " + name + " could not be loaded: " + err.getMessage()));
                return;
              }
              synchronized (w) {
                if (w.closed) {
                  lease.release();
                  return;
                }
                w.doc = doc;
              }
              doc.join(w, true, w::changed);
            });
  }

  private void unwatch(Page p) {
    Watcher w = p.watching;
    p.watching = null;
    if (w == null) {
      return;
    }
    watchers.remove(w);
    ServerDocument d;
    synchronized (w) {
      w.closed = true;
      d = w.doc;
    }
    if (d != null) {
      d.leave(w);
      w.lease.release();
    }
  }

  /** Pushes a fresh list to every signed-in page (called every few seconds). */
  public void refreshLists() {
    for (Page p : pages) {
      if (p.authed) {
        sendList(p);
      }
    }
  }

  /**
   * The inspector's membership in one document: a read-only peer that turns changes into snapshots.
   */
  private final class Watcher implements DocPeer {
    final Page page;
    final String name;
    final AtomicBoolean pending = new AtomicBoolean();
    ServerDocument doc; // guarded by this
    boolean closed; // guarded by this
    volatile DocumentRegistry.Lease lease;

    Watcher(Page page, String name) {
      this.page = page;
      this.name = name;
    }

    /** Schedules a snapshot (at most one pending). */
    void changed() {
      if (pending.compareAndSet(false, true)) {
        try {
          timers.schedule(this::capture, SNAPSHOT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
          // the server is closing: no more snapshots (and never an exception into a broadcast)
        }
      }
    }

    private void capture() {
      ServerDocument d;
      synchronized (this) {
        if (closed) {
          return;
        }
        d = doc;
      }
      d.executor()
          .execute(
              () -> {
                pending.set(false);
                byte[] update = d.doc().diff(EMPTY_STATE_VECTOR);
                byte[] awareness = d.awarenessSnapshot();
                try {
                  pool.execute(() -> sendSnapshot(this, update, awareness));
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                  // the server is closing
                }
              });
    }

    @Override
    public void sendUpdate(Broadcast update) {
      changed();
    }

    @Override
    public void sendAwareness(byte[] awarenessUpdate) {
      changed();
    }

    @Override
    public String remoteAddress() {
      return page.conn.remoteAddress();
    }

    @Override
    public void abort(String reason) {
      send(page, obj("error").put("message", "document " + name + ": " + reason));
    }
  }

  private void sendSnapshot(Watcher w, byte[] update, byte[] awareness) {
    if (page(w) == null) {
      return;
    }
    try (YMicrocosm m = read(update)) {
      if (awareness != null) {
        m.awareness().applyUpdate(awareness, "server");
      }
      ObjectNode o = obj("doc");
      o.put("name", w.name);
      o.put("state_bytes", update.length);
      ArrayNode ids = o.putArray("identities");
      AppExport.collections(m).forEach(ids::add);
      ArrayNode entities = o.putArray("entities");
      for (Entity e : AppExport.entities(m)) {
        entities.add(entity(e));
      }
      o.put("invalid", m.invalidValues().size());
      ArrayNode presence = o.putArray("presence");
      for (IdentityWithStatus s : m.state().identities()) {
        ObjectNode p = presence.addObject();
        p.put("id", s.identity().id());
        if (s.identity().nickname() != null) {
          p.put("nickname", s.identity().nickname());
        }
        p.put("joined", s.joined());
        p.put("timestamp", s.timestamp());
      }
      ObjectNode history = o.putObject("history");
      Telemetry.DocumentActivity a = telemetry.activity(w.name);
      history.put("updates_since_start", a == null ? 0 : a.updates());
      history.put("bytes_since_start", a == null ? 0 : a.bytes());
      store
          .info(w.name)
          .ifPresent(
              i -> {
                history.put("stored_updates", i.updateCount());
                history.put("stored_bytes", i.updateBytes());
              });
      send(w.page, o);
    } catch (RuntimeException e) {
      LOG.warn("inspector: reading document {} failed", w.name, e);
      send(w.page, obj("error").put("message", "reading " + w.name + " failed: " + e.getMessage()));
    }
  }

  private static Page page(Watcher w) {
    return w.page.watching == w ? w.page : null;
  }

  private static ObjectNode entity(Entity e) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", e.id());
    o.put("identity_id", e.identityId());
    o.put("type", e.type().wireName());
    o.put("created", e.created());
    o.put("lastEdited", e.lastEdited());
    if (e.data() instanceof HtmlData h) {
      o.put("x", h.x());
      o.put("y", h.y());
      o.put("width", h.width());
      o.put("height", h.height());
      o.put("content", h.content());
      if (h.backgroundColor() != null) {
        o.put("backgroundColor", h.backgroundColor());
      }
      if (h.tags() != null) {
        ArrayNode t = o.putArray("tags");
        h.tags().forEach(t::add);
      }
    } else if (e.data() instanceof EmojiData em) {
      o.put("content", em.content());
      o.put("x", em.x());
      o.put("y", em.y());
      if (em.parentNodeId() != null) {
        o.put("parentNodeId", em.parentNodeId());
      }
    } else {
      ConnectionData c = (ConnectionData) e.data();
      if (c.from() != null) {
        o.put("from", c.from());
      }
      if (c.to() != null) {
        o.put("to", c.to());
      }
    }
    return o;
  }

  private static ObjectNode obj(String type) {
    return JSON.createObjectNode().put("type", type);
  }

  private static void send(Page p, ObjectNode message) {
    p.conn.send(message.toString());
  }

  /** Pages watching a document right now (for status). */
  public int watchers() {
    return watchers.size();
  }
}
