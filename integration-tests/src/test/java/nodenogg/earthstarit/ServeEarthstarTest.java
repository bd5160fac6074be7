package nodenogg.earthstarit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import nodenogg.earthstar.AuthorKeypair;
import nodenogg.earthstar.EarthstarPeer;
import nodenogg.earthstar.EarthstarStorage;
import nodenogg.earthstar.EsDocument;
import nodenogg.earthstar.Query;
import nodenogg.earthstar.Replica;
import nodenogg.earthstar.ShareKeypair;
import nodenogg.earthstar.SyncLimits;
import nodenogg.earthstar.SyncMode;
import nodenogg.earthstar.testing.JsPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./microcosm serve --earthstar-shares FILE} in a child JVM: the real earthstar client syncs
 * with it at {@code http://HOST:PORT/earthstar/}, {@code GET /status} counts it, and kill -9 during
 * syncs loses nothing a sync had acknowledged ({@code SYNCER_FULFILLED}).
 */
class ServeEarthstarTest {
  private static final Pattern READY = Pattern.compile("listening on [^:]+:(\\d+)");
  private static final double SCALE =
      Double.parseDouble(System.getProperty("nodenogg.timeout.scale", "4"));

  @TempDir Path dir;

  private final ShareKeypair share = ShareKeypair.generate("microcosm");
  private final AuthorKeypair author = AuthorKeypair.generate("java");

  private Path sharesFile() throws IOException {
    Path f = dir.resolve("known_shares.json");
    Files.writeString(f, "[\"" + share.shareAddress() + "\"]");
    return f;
  }

  /** Every (path, author, timestamp, signature) the server holds, read back by a fresh client. */
  private Set<String> serverContent(int port) throws Exception {
    try (EarthstarStorage s = EarthstarStorage.inMemory();
        EarthstarPeer p =
            new EarthstarPeer(s, List.of(share.shareAddress()), SyncLimits.defaults())) {
      p.sync("http://127.0.0.1:" + port + "/earthstar/", SyncMode.ONCE)
          .done()
          .get((long) (60 * SCALE), TimeUnit.SECONDS);
      return keys(p.replica(share.shareAddress()));
    }
  }

  private static Set<String> keys(Replica r) {
    Set<String> out = new TreeSet<>();
    for (EsDocument d : r.query(Query.all())) {
      out.add(d.path() + " " + d.author() + " " + d.timestamp() + " " + d.signature());
    }
    return out;
  }

  private static Set<String> keys(JsonNode docs) {
    Set<String> out = new TreeSet<>();
    docs.forEach(
        d ->
            out.add(
                d.get("path").asText()
                    + " "
                    + d.get("author").asText()
                    + " "
                    + d.get("timestamp").asLong()
                    + " "
                    + d.get("signature").asText()));
    return out;
  }

  @Test
  void jsPeerSyncsWithServeAndStatusCountsIt() throws Exception {
    try (ServeChild serve =
            new ServeChild(dir.resolve("data"), sharesFile(), dir.resolve("serve.log"));
        JsPeer js = JsPeer.client(share, null)) {
      int port = serve.port();
      // 100 documents reach the server from a Java client first
      try (EarthstarStorage s = EarthstarStorage.inMemory();
          EarthstarPeer p =
              new EarthstarPeer(s, List.of(share.shareAddress()), SyncLimits.defaults())) {
        Replica r = p.replica(share.shareAddress());
        for (int i = 0; i < 100; i++) {
          r.set(author, share.secret(), "/java/" + i, "java " + i, null, null);
        }
        p.sync("http://127.0.0.1:" + port + "/earthstar/", SyncMode.ONCE)
            .done()
            .get((long) (60 * SCALE), TimeUnit.SECONDS);
      }
      js.seed(150, "/js/");
      JsonNode res = js.syncOnce("http://127.0.0.1:" + port + "/earthstar/", (int) (60 * SCALE));
      assertTrue(res.path("synced").asBoolean(), res + "\n" + js.stderrTail());
      JsonNode docs = js.dump();
      assertEquals(250, docs.size());
      docs.forEach(d -> assertTrue(d.get("valid").isBoolean(), "earthstar validates " + d));
      assertEquals(keys(docs), serverContent(port));
      HttpResponse<String> status =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      JsonNode es = new ObjectMapper().readTree(status.body()).get("earthstar");
      assertEquals(250, es.get("shares").get(share.shareAddress()).asInt(), status.body());
      assertTrue(es.get("syncsCompleted").asInt() >= 3, status.body());
      assertEquals(250, es.get("docsStored").asInt(), status.body());
    }
  }

  /**
   * Cycles of: start serve on the same data, check that every document of every sync it fulfilled
   * before is there, push new documents in syncs one after another, kill -9 at a random moment.
   */
  @Test
  void fulfilledDocumentsSurviveKill9() throws Exception {
    Path data = dir.resolve("data");
    Path shares = sharesFile();
    Random rnd = new Random(11);
    Set<String> acknowledged = java.util.Collections.synchronizedSet(new TreeSet<>());
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    for (int cycle = 0; cycle < 4; cycle++) {
      try (ServeChild serve = new ServeChild(data, shares, dir.resolve("serve.log"))) {
        int port = serve.port();
        Set<String> there = serverContent(port);
        synchronized (acknowledged) {
          assertTrue(
              there.containsAll(acknowledged),
              "cycle " + cycle + ": acknowledged documents missing after kill -9");
        }
        java.util.concurrent.atomic.AtomicInteger completed =
            new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop =
            new java.util.concurrent.atomic.AtomicBoolean();
        Thread pusher =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    try (EarthstarStorage s = EarthstarStorage.inMemory();
                        EarthstarPeer p =
                            new EarthstarPeer(
                                s, List.of(share.shareAddress()), SyncLimits.defaults())) {
                      Replica r = p.replica(share.shareAddress());
                      for (int i = 0; i < 50; i++) {
                        int k = next.incrementAndGet();
                        r.set(author, share.secret(), "/k/" + k, "document " + k, null, null);
                      }
                      p.sync("http://127.0.0.1:" + port + "/earthstar/", SyncMode.ONCE)
                          .done()
                          .get(60, TimeUnit.SECONDS);
                      acknowledged.addAll(
                          keys(r)); // SYNCER_FULFILLED came: the server holds these durably
                      completed.incrementAndGet();
                    } catch (Exception e) {
                      return; // the server was killed during this sync
                    }
                  }
                });
        pusher.start();
        long end = System.currentTimeMillis() + (long) (60_000 * SCALE);
        while (completed.get() < 1 && System.currentTimeMillis() < end) {
          Thread.sleep(10);
        }
        Thread.sleep(rnd.nextInt(800)); // kill at a random moment, most likely during a sync
        serve.kill9();
        stop.set(true);
        pusher.join(120_000);
      }
    }
    try (ServeChild serve = new ServeChild(data, shares, dir.resolve("serve.log"))) {
      Set<String> there = serverContent(serve.port());
      assertTrue(
          there.containsAll(acknowledged),
          "after the last kill: all " + acknowledged.size() + " acknowledged documents");
      assertTrue(
          acknowledged.size() >= 200,
          "the test acknowledged enough documents: " + acknowledged.size());
    }
  }
}
