package nodenogg.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nodenogg.crdt.Doc;
import nodenogg.persistence.postgres.PostgresServer;
import nodenogg.persistence.postgres.PostgresUpdateStore;
import nodenogg.persistence.yjs.YjsStorage;
import nodenogg.sync.client.ClientOptions;
import nodenogg.sync.client.HocuspocusClient;
import nodenogg.sync.client.HocuspocusDocument;
import nodenogg.sync.client.YWebsocketClient;
import nodenogg.sync.protocol.Awareness;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.server.ServerStatus;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.cluster.RedisCluster;
import nodenogg.sync.server.cluster.RedisServer;
import nodenogg.sync.server.cluster.internal.RespConnection;
import org.junit.jupiter.api.Test;

/**
 * Two sync servers in this JVM as instances of one cluster: one real {@code redis-server}, one real
 * PostgreSQL store they share. Java clients on different instances see each other's changes and
 * presence; each update is stored once, by the instance its client sent it to; malformed Redis
 * messages are dropped; a Redis restart and a PostgreSQL outage of 10 s lose nothing.
 */
class ClusterTest {
  private static final ClientOptions FAST =
      ClientOptions.defaults()
          .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
          .withSeed(3);

  /**
   * One instance: its Redis membership, its own store object on the shared database, its server.
   */
  static final class Instance implements AutoCloseable {
    final SyncServer server;
    final RedisCluster cluster;

    Instance(RedisServer redis, String pgUrl, String id) throws Exception {
      cluster =
          RedisCluster.builder(redis.uri())
              .instanceId(id)
              .resyncInterval(Duration.ofSeconds(2))
              .connect();
      PostgresUpdateStore store =
          PostgresUpdateStore.open(
              pgUrl,
              SyncServer.defaultPostgresOptions(id).withCompactionLock(cluster.compactionLock()));
      server =
          SyncServer.builder()
              .host("127.0.0.1")
              .port(0)
              .store(store)
              .cluster(cluster)
              .implicitAuthentication(true)
              .build()
              .start();
    }

    URI sync() {
      return URI.create("ws://127.0.0.1:" + server.port() + "/sync");
    }

    @Override
    public void close() {
      server.close();
    }
  }

  private static String storedJson(String pgUrl, String doc) {
    try (PostgresUpdateStore s = PostgresUpdateStore.open(pgUrl)) {
      JavaPeer p = new JavaPeer();
      YjsStorage.load(s, p.doc, doc);
      return p.json();
    }
  }

  private static long storedRows(String pgUrl, String doc) throws Exception {
    try (Connection c = DriverManager.getConnection(pgUrl);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM nodenogg_updates u JOIN nodenogg_documents d"
                    + " ON d.id = u.doc_id WHERE d.name = '"
                    + doc
                    + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void clientsOnTwoInstancesShareADocumentPresenceAndAStoreThatHoldsEachUpdateOnce()
      throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String pg = PostgresServer.shared().createDatabase();
      try (Instance a = new Instance(redis, pg, "java-a");
          Instance b = new Instance(redis, pg, "java-b")) {
        JavaPeer pa = new JavaPeer();
        JavaPeer pb = new JavaPeer();
        Awareness awA = new Awareness(pa.doc.clientId());
        awA.setLocalState(Map.of("user", "alice"));
        Awareness awB = new Awareness(pb.doc.clientId());
        awB.setLocalState(Map.of("user", "bob"));
        try (HocuspocusClient ca = HocuspocusClient.connect(a.sync(), FAST);
            HocuspocusClient cb = HocuspocusClient.connect(b.sync(), FAST)) {
          HocuspocusDocument da = ca.open("garden", pa.sync, awA, "");
          HocuspocusDocument db = cb.open("garden", pb.sync, awB, "");
          Await.get(da.whenSynced(), 10_000);
          Await.get(db.whenSynced(), 10_000);
          // the connect handshakes are acknowledged (a SyncStep2 that overlaps another instance's
          // uncommitted
          // writes may store a duplicate of them: see docs/scale-out.md); from here on, steady
          // state
          Await.until(
              "handshakes acknowledged",
              10_000,
              () -> da.unsyncedChanges() == 0 && db.unsyncedChanges() == 0);
          pa.write("a", 20);
          pb.write("b", 15);
          Await.until(
              () -> "both see 35: " + pa.size() + " / " + pb.size(),
              10_000,
              () -> pa.size() == 35 && pb.size() == 35);
          Await.until(
              "acknowledged", 10_000, () -> da.unsyncedChanges() == 0 && db.unsyncedChanges() == 0);
          assertEquals(pa.json(), pb.json());
          Await.until(
              "presence crosses instances",
              10_000,
              () ->
                  awA.getStates().containsKey(pb.doc.clientId())
                      && awB.getStates().containsKey(pa.doc.clientId()));
          assertEquals(
              pa.json(), storedJson(pg, "garden"), "PostgreSQL holds every acknowledged update");
          assertEquals(
              35,
              storedRows(pg, "garden"),
              "one row per update: the other instance never stores it again");
          ServerStatus st = a.server.status();
          assertEquals("java-a", st.cluster().instanceId());
          assertTrue(st.cluster().redisConnected());
          assertEquals(List.of("garden"), st.cluster().documentsOpenHere());
          assertTrue(st.healthy());
          String json = st.toJson();
          assertTrue(
              json.contains("\"instance_id\":\"java-a\"")
                  && json.contains("\"postgresql\":\"reachable\"")
                  && json.contains("\"documents_open_here\":[\"garden\"]"),
              json);
        }
      }
    }
  }

  @Test
  void aLateInstanceGetsTheStateOfAnInstanceThatHasNotStoredItAndYWebsocketRoomsFanOut()
      throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String pg = PostgresServer.shared().createDatabase();
      try (Instance a = new Instance(redis, pg, "ya");
          Instance b = new Instance(redis, pg, "yb")) {
        JavaPeer pa = new JavaPeer();
        JavaPeer pb = new JavaPeer();
        try (YWebsocketClient ca =
            YWebsocketClient.connect(
                List.of(URI.create("ws://127.0.0.1:" + a.server.port())),
                "room-1",
                pa.sync,
                null,
                null,
                FAST)) {
          Await.get(ca.whenSynced(), 10_000);
          pa.write("a", 10);
          Await.until("a has it", 10_000, () -> a.server.loadedDocuments().contains("room-1"));
          try (YWebsocketClient cb =
              YWebsocketClient.connect(
                  List.of(URI.create("ws://127.0.0.1:" + b.server.port())),
                  "room-1",
                  pb.sync,
                  null,
                  null,
                  FAST)) {
            Await.get(cb.whenSynced(), 10_000);
            Await.until(
                () -> "b's client sees a's notes: " + pb.size(), 10_000, () -> pb.size() == 10);
            pb.write("b", 5);
            Await.until(() -> "a's client sees b's: " + pa.size(), 10_000, () -> pa.size() == 15);
            assertEquals(pa.json(), pb.json());
          }
        }
      }
    }
  }

  @Test
  void malformedAndForeignRedisMessagesAreDroppedAndReachNoClient() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String pg = PostgresServer.shared().createDatabase();
      try (Instance a = new Instance(redis, pg, "m-a")) {
        JavaPeer pa = new JavaPeer();
        try (HocuspocusClient ca = HocuspocusClient.connect(a.sync(), FAST)) {
          HocuspocusDocument da = ca.open("doc-m", pa.sync, null, "");
          Await.get(da.whenSynced(), 10_000);
          pa.write("a", 3);
          Await.until("acked", 10_000, () -> da.unsyncedChanges() == 0);
          String before = pa.json();
          byte[] notAnUpdate = {1, 2, 3, 4, 5};
          List<byte[]> bad = new ArrayList<>();
          bad.add(new byte[0]);
          bad.add(new byte[] {(byte) 200, 'x'}); // prefix longer than the message
          bad.add(
              prefixed(
                  "evil", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})); // unreadable body
          bad.add(
              prefixed("evil", Hocuspocus.syncUpdate("doc-m", notAnUpdate))); // not a Yjs update
          bad.add(
              prefixed(
                  "evil", Hocuspocus.authToken("doc-m", "t", "v"))); // no meaning between instances
          bad.add(
              prefixed(
                  "\u0001\u0002",
                  Hocuspocus.syncUpdate("doc-m", new byte[] {0, 0}))); // not an instance id
          bad.add(
              prefixed(
                  "evil", Hocuspocus.syncUpdate("other-doc", new byte[] {0, 0}))); // wrong channel
          byte[] badUtf8 = {2, (byte) 0xc3, (byte) 0x28, 0, 0};
          bad.add(badUtf8);
          long droppedBefore = a.cluster.status().dropped();
          try (RespConnection raw =
              RespConnection.open("127.0.0.1", redis.port(), 3000, p -> {}, e -> {}, "test")) {
            for (byte[] m : bad) {
              raw.command("PUBLISH", "hocuspocus:doc-m", m).get();
            }
          }
          Await.until(
              () -> "8 dropped, " + (a.cluster.status().dropped() - droppedBefore),
              10_000,
              () -> a.cluster.status().dropped() - droppedBefore >= 7);
          Thread.sleep(300);
          assertEquals(before, pa.json(), "nothing reached the client");
          pa.write("after", 2);
          Await.until("the instance still works", 10_000, () -> da.unsyncedChanges() == 0);
          assertEquals(pa.json(), storedJson(pg, "doc-m"));
        }
      }
    }
  }

  private static byte[] prefixed(String id, byte[] message) {
    byte[] idb = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = new byte[1 + idb.length + message.length];
    out[0] = (byte) idb.length;
    System.arraycopy(idb, 0, out, 1, idb.length);
    System.arraycopy(message, 0, out, 1 + idb.length, message.length);
    return out;
  }

  @Test
  void aRedisRestartMidSessionIsRepairedByStateVectorSync() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String pg = PostgresServer.shared().createDatabase();
      try (Instance a = new Instance(redis, pg, "r-a");
          Instance b = new Instance(redis, pg, "r-b")) {
        JavaPeer pa = new JavaPeer();
        JavaPeer pb = new JavaPeer();
        try (HocuspocusClient ca = HocuspocusClient.connect(a.sync(), FAST);
            HocuspocusClient cb = HocuspocusClient.connect(b.sync(), FAST)) {
          HocuspocusDocument da = ca.open("restart", pa.sync, null, "");
          HocuspocusDocument db = cb.open("restart", pb.sync, null, "");
          Await.get(da.whenSynced(), 10_000);
          Await.get(db.whenSynced(), 10_000);
          pa.write("a1", 5);
          Await.until("fan-out works", 10_000, () -> pb.size() == 5);
          redis.kill();
          Await.until("a sees Redis down", 10_000, () -> !a.cluster.status().redisConnected());
          pa.write(
              "a2", 7); // acknowledged by a alone (PostgreSQL is fine), not seen by b meanwhile
          pb.write("b2", 6);
          Await.until(
              "acked while Redis is down",
              10_000,
              () -> da.unsyncedChanges() == 0 && db.unsyncedChanges() == 0);
          assertFalse(a.server.status().healthy(), "/status says Redis is down");
          redis.restart();
          Await.until(
              () -> "converged after the restart: " + pa.size() + " / " + pb.size(),
              20_000,
              () -> pa.size() == 18 && pb.size() == 18);
          assertEquals(pa.json(), pb.json());
          assertEquals(pa.json(), storedJson(pg, "restart"));
          Await.until(
              "healthy again",
              10_000,
              () -> a.server.status().healthy() && b.server.status().healthy());
        }
      }
    }
  }

  @Test
  void postgresStoppedForTenSecondsDelaysAcknowledgementsAndLosesNothing() throws Exception {
    try (RedisServer redis = RedisServer.start();
        PostgresServer ownPg = PostgresServer.startNew()) {
      String pg = ownPg.createDatabase();
      try (Instance a = new Instance(redis, pg, "p-a");
          Instance b = new Instance(redis, pg, "p-b")) {
        JavaPeer pa = new JavaPeer();
        JavaPeer pb = new JavaPeer();
        try (HocuspocusClient ca = HocuspocusClient.connect(a.sync(), FAST);
            HocuspocusClient cb = HocuspocusClient.connect(b.sync(), FAST)) {
          HocuspocusDocument da = ca.open("outage", pa.sync, null, "");
          HocuspocusDocument db = cb.open("outage", pb.sync, null, "");
          Await.get(da.whenSynced(), 10_000);
          Await.get(db.whenSynced(), 10_000);
          pa.write("before", 3);
          Await.until("acked", 10_000, () -> da.unsyncedChanges() == 0);
          ownPg.stop();
          long stopped = System.currentTimeMillis();
          pa.write("down-a", 10);
          pb.write("down-b", 10);
          Await.until(
              "clients keep editing and see each other",
              10_000,
              () -> pa.size() == 23 && pb.size() == 23);
          while (System.currentTimeMillis() - stopped < 10_000) {
            assertTrue(
                da.unsyncedChanges() > 0 && db.unsyncedChanges() > 0,
                "nothing is acknowledged while PostgreSQL is down");
            Thread.sleep(200);
          }
          ServerStatus st = a.server.status();
          assertFalse(st.healthy());
          assertFalse(
              st.store().database().reachable(), "/status says what is wrong: " + st.toJson());
          assertTrue(st.toJson().contains("unreachable"), st.toJson());
          ownPg.start();
          Await.until(
              () ->
                  "acknowledged after it returns: "
                      + da.unsyncedChanges()
                      + " / "
                      + db.unsyncedChanges(),
              30_000,
              () -> da.unsyncedChanges() == 0 && db.unsyncedChanges() == 0);
          assertEquals(pa.json(), pb.json());
          assertEquals(pa.json(), storedJson(pg, "outage"), "nothing lost");
          assertTrue(a.server.status().healthy());
        }
      }
    }
  }

  @Test
  void signallingTopicsFanOutAcrossInstances() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String pg = PostgresServer.shared().createDatabase();
      try (Instance a = new Instance(redis, pg, "s-a");
          Instance b = new Instance(redis, pg, "s-b")) {
        java.util.concurrent.BlockingQueue<String> atB =
            new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.WebSocket.Listener listener =
            new java.net.http.WebSocket.Listener() {
              @Override
              public java.util.concurrent.CompletionStage<?> onText(
                  java.net.http.WebSocket ws, CharSequence data, boolean last) {
                atB.add(data.toString());
                ws.request(1);
                return null;
              }
            };
        java.net.http.WebSocket wb =
            http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + b.server.port() + "/signal"), listener)
                .get();
        java.net.http.WebSocket wa =
            http.newWebSocketBuilder()
                .buildAsync(
                    URI.create("ws://127.0.0.1:" + a.server.port() + "/signal"),
                    new java.net.http.WebSocket.Listener() {})
                .get();
        wb.sendText("{\"type\":\"subscribe\",\"topics\":[\"room-s\"]}", true).get();
        wa.sendText("{\"type\":\"subscribe\",\"topics\":[\"room-s\"]}", true).get();
        Thread.sleep(300); // the subscriptions reach Redis
        wa.sendText("{\"type\":\"publish\",\"topic\":\"room-s\",\"data\":{\"from\":\"a\"}}", true)
            .get();
        String got = atB.poll(Await.scaled(10_000), java.util.concurrent.TimeUnit.MILLISECONDS);
        assertTrue(
            got != null && got.contains("\"from\":\"a\"") && got.contains("\"topic\":\"room-s\""),
            "a client on b got the message published on a: " + got);
        wa.abort();
        wb.abort();
      }
    }
  }

  /** Keeps the Doc import used (engine type of JavaPeer). */
  static Doc unused() {
    return null;
  }
}
