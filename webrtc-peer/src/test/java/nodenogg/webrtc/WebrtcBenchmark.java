package nodenogg.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import nodenogg.crdt.Doc;
import nodenogg.crdt.YMap;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.MicrocosmId;
import nodenogg.sync.protocol.Awareness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Benchmark, not a test (opt-in: {@code -Dwebrtc.bench=true}); numbers go to docs/webrtc.md.
 * Through our sync server's /signal, all on this machine:
 *
 * <ol>
 *   <li>time from starting {@code ./microcosm peer} (a new JVM: JVM start, class loading, native
 *       library) to its first sync with a browser already in the room, p50 of 20; beside it the
 *       same for a Java provider opened in a warm JVM, and for a second browser page joining the
 *       first;
 *   <li>update latency over the data channel: a page writes {@code ping-N}, the peer answers {@code
 *       pong-N}, round trip measured in the page; the peer is Java, then a second browser page.
 * </ol>
 *
 * Run: {@code mvn -B -q -pl webrtc-peer -am verify -Dtest=WebrtcBenchmark -Dwebrtc.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false -Dnpm.skip=true}
 */
@EnabledIfSystemProperty(named = "webrtc.bench", matches = "true")
class WebrtcBenchmark {
  private static final int RUNS = 20;
  private static final int ROUND_TRIPS = 200;

  static double pct(List<Double> v, double p) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100 * s.size()) - 1));
  }

  static String summary(String what, List<Double> v) {
    return String.format(
        Locale.ROOT,
        "%-58s n=%3d  p50 %8.1f ms  p95 %8.1f ms  min %7.1f  max %7.1f",
        what,
        v.size(),
        pct(v, 50),
        pct(v, 95),
        Collections.min(v),
        Collections.max(v));
  }

  @Test
  void run() throws Exception {
    BrowserInteropTest.withOurServer(
        url -> {
          List<String> report = new ArrayList<>();
          List<Double> cliToSync = new ArrayList<>();
          List<Double> cliJvmToSync = new ArrayList<>();
          List<Double> javaToSync = new ArrayList<>();
          List<Double> pageToSync = new ArrayList<>();
          try (BrowserPages pages = new BrowserPages(2)) {
            // warm the test JVM's provider path once (native library, classes)
            {
              String room = MicrocosmId.create();
              pages.call(0, "start", BrowserInteropTest.startOptions(url, room, null));
              pages.await("signalling", 0, 20_000, "signalingReady");
              Doc d = new Doc();
              try (WebrtcProvider p =
                  WebrtcProvider.open(
                      room, d, new Awareness(d.clientId()), WebrtcOptions.signaling(url))) {
                p.firstSync().get(30, TimeUnit.SECONDS);
              }
              pages.call(0, "stop");
            }
            for (int i = 0; i < RUNS; i++) {
              String identity = IdentityId.create();
              // (1) ./microcosm peer in a new JVM
              String room = MicrocosmId.create();
              pages.call(0, "start", BrowserInteropTest.startOptions(url, room, null));
              pages.call(0, "writeNote", identity, "e" + identity.substring(1), "note " + i);
              pages.await("signalling", 0, 20_000, "signalingReady");
              long t0 = System.nanoTime();
              try (ChildJvm cli =
                  ChildJvm.cli("peer", "--signal", url, "--room", room, "--seconds", "60")) {
                Await.until(
                    "the CLI's first sync",
                    60_000,
                    () -> cli.err.stream().anyMatch(l -> l.startsWith("peer: synced with peer")));
                cliToSync.add((System.nanoTime() - t0) / 1e6);
                String line =
                    cli.err.stream()
                        .filter(l -> l.startsWith("peer: synced with peer"))
                        .findFirst()
                        .orElseThrow();
                cliJvmToSync.add(
                    Double.parseDouble(
                        line.replaceAll(".* (\\d+) ms after the JVM started", "$1")));
                cli.process.destroy(); // SIGTERM: the shutdown hook leaves the room
                cli.waitFor(30);
              }
              pages.call(0, "stop");

              // (2) a Java provider in this (warm) JVM
              room = MicrocosmId.create();
              pages.call(0, "start", BrowserInteropTest.startOptions(url, room, null));
              pages.call(0, "writeNote", identity, "e" + identity.substring(1), "note " + i);
              pages.await("signalling", 0, 20_000, "signalingReady");
              Doc d = new Doc();
              long t1 = System.nanoTime();
              try (WebrtcProvider p =
                  WebrtcProvider.open(
                      room, d, new Awareness(d.clientId()), WebrtcOptions.signaling(url))) {
                p.firstSync().get(30, TimeUnit.SECONDS);
                javaToSync.add((System.nanoTime() - t1) / 1e6);
              }
              pages.call(0, "stop");

              // (3) a second browser page joining the first
              room = MicrocosmId.create();
              pages.call(0, "start", BrowserInteropTest.startOptions(url, room, null));
              pages.call(0, "writeNote", identity, "e" + identity.substring(1), "note " + i);
              pages.await("signalling", 0, 20_000, "signalingReady");
              pages.call(1, "start", BrowserInteropTest.startOptions(url, room, null));
              JsonNode ms = pages.await("page 1's first sync", 1, 30_000, "firstSyncMs");
              pageToSync.add(ms.asDouble());
              pages.call(1, "stop");
              pages.call(0, "stop");
            }
            report.add(
                summary("./microcosm peer: process start -> first sync with a page", cliToSync));
            report.add(
                summary("./microcosm peer: JVM start -> first sync (own clock)", cliJvmToSync));
            report.add(
                summary("Java provider, warm JVM: open -> first sync with a page", javaToSync));
            report.add(
                summary("browser page: new WebrtcProvider -> first sync with a page", pageToSync));

            // update latency: round trips page -> peer -> page over the data channel
            String room = MicrocosmId.create();
            pages.call(0, "start", BrowserInteropTest.startOptions(url, room, null));
            Doc d = new Doc();
            YMap bench = d.getMap("bench");
            ExecutorService echo = Executors.newSingleThreadExecutor();
            d.onUpdate(
                (u, origin, tr) ->
                    echo.execute(
                        () -> {
                          for (String k : bench.keys()) {
                            if (k.startsWith("ping-") && !bench.has("pong-" + k.substring(5))) {
                              bench.set("pong-" + k.substring(5), 1);
                            }
                          }
                        }));
            List<Double> javaRtt = new ArrayList<>();
            try (WebrtcProvider p =
                WebrtcProvider.open(
                    room, d, new Awareness(d.clientId()), WebrtcOptions.signaling(url))) {
              p.firstSync().get(30, TimeUnit.SECONDS);
              pages.call(0, "roundTrips", 20, "warm");
              pages
                  .call(0, "roundTrips", ROUND_TRIPS, "java")
                  .forEach(n -> javaRtt.add(n.asDouble()));
            } finally {
              echo.shutdown();
            }
            pages.call(0, "stop");
            room = MicrocosmId.create();
            pages.call(0, "start", BrowserInteropTest.startOptions(url, room, null));
            pages.call(1, "start", BrowserInteropTest.startOptions(url, room, null));
            pages.call(1, "echo");
            pages.await("pages connected", 0, 30_000, "firstSyncMs");
            List<Double> pageRtt = new ArrayList<>();
            pages.call(0, "roundTrips", 20, "warm");
            pages
                .call(0, "roundTrips", ROUND_TRIPS, "page")
                .forEach(n -> pageRtt.add(n.asDouble()));
            pages.call(0, "stop");
            pages.call(1, "stop");
            report.add(summary("round trip page -> Java -> page (update, update)", javaRtt));
            report.add(summary("round trip page -> page -> page (update, update)", pageRtt));
          }
          System.out.println(
              "WebrtcBenchmark (" + Runtime.getRuntime().availableProcessors() + " cores):");
          report.forEach(l -> System.out.println("  " + l));
        });
  }
}
