package nodenogg.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import nodenogg.microcosm.Entity;
import nodenogg.microcosm.HtmlData;
import nodenogg.microcosm.Identity;
import nodenogg.microcosm.IdentityId;
import nodenogg.microcosm.IdentityWithStatus;
import nodenogg.microcosm.MicrocosmId;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.sync.server.SyncServer;
import nodenogg.ymicrocosm.YMicrocosm;
import org.junit.jupiter.api.Test;

/**
 * The Java peer in a y-webrtc room with real browsers: two headless Chromium pages (each its own
 * origin, so no BroadcastChannel between them) run yjs + y-webrtc 10.3.0 with a microcosm-shaped
 * document; the Java side is a {@link YMicrocosm} attached with {@link WebrtcTransport}. A note
 * written in a page appears in Java and the reverse, presence goes both ways, a page joining later
 * gets everything, and when Java leaves the page sees its presence go at once (not after the 30 s
 * timeout). Through our sync server's {@code /signal} and through y-webrtc's own {@code
 * bin/server.js}, with and without a room password.
 */
class BrowserInteropTest {

  @Test
  void throughOurSignal() throws Exception {
    withOurServer(url -> scenario(url, null));
  }

  @Test
  void throughOurSignalWithPassword() throws Exception {
    withOurServer(url -> scenario(url, "correct horse battery staple ✓"));
  }

  @Test
  void throughYWebrtcBinServer() throws Exception {
    withYWebrtcServer(url -> scenario(url, null));
  }

  @Test
  void throughYWebrtcBinServerWithPassword() throws Exception {
    withYWebrtcServer(url -> scenario(url, "s3cret"));
  }

  interface Scenario {
    void run(String signalUrl) throws Exception;
  }

  static void withOurServer(Scenario s) throws Exception {
    NativeWebrtc.assumeAvailable();
    JsEnv.browserJsDir();
    try (SyncServer server =
        SyncServer.builder()
            .host("127.0.0.1")
            .port(0)
            .store(new InMemoryUpdateStore())
            .build()
            .start()) {
      s.run("ws://127.0.0.1:" + server.port() + "/signal");
    }
  }

  /** Runs y-webrtc's own signalling server (node_modules/y-webrtc/bin/server.js) on a free port. */
  static void withYWebrtcServer(Scenario s) throws Exception {
    JsEnv.browserJsDir();
    withYWebrtcServerOnly(s);
  }

  /** y-webrtc's bin/server.js without the browser requirement. */
  static void withYWebrtcServerOnly(Scenario s) throws Exception {
    NativeWebrtc.assumeAvailable();
    File js = JsEnv.jsDir();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                JsEnv.NODE, new File(js, "node_modules/y-webrtc/bin/server.js").getPath())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PORT", String.valueOf(port));
    Process server = pb.start();
    try {
      long deadline = System.currentTimeMillis() + 20_000;
      while (true) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
          break;
        } catch (IOException e) {
          if (System.currentTimeMillis() > deadline || !server.isAlive()) {
            throw new AssertionError("y-webrtc bin/server.js did not start on port " + port);
          }
          Thread.sleep(50);
        }
      }
      s.run("ws://127.0.0.1:" + port);
    } finally {
      server.destroy();
      server.waitFor(5, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  static Map<String, Object> startOptions(String url, String room, String password) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("signal", url);
    o.put("room", room);
    o.put("password", password);
    return o;
  }

  static void awaitTrue(String what, long millis, Supplier<Boolean> condition)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.get()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static Optional<String> noteIn(YMicrocosm m, String identity, String id) {
    Entity e = m.collection(identity).get(id);
    return e != null && e.data() instanceof HtmlData h
        ? Optional.of(h.content())
        : Optional.empty();
  }

  static void scenario(String url, String password) throws Exception {
    String room = MicrocosmId.create();
    String pageIdentity = IdentityId.create();
    String javaIdentity = IdentityId.create();
    try (BrowserPages pages = new BrowserPages(2)) {
      pages.call(0, "start", startOptions(url, room, password));
      pages.call(0, "join", pageIdentity, "Page A");
      pages.await("signalling", 0, 20_000, "signalingReady");
      String noteFromPage = "<p>written in the browser</p>";
      pages.call(0, "writeNote", pageIdentity, "e" + pageIdentity.substring(1), noteFromPage);

      AtomicReference<WebrtcProvider> provider = new AtomicReference<>();
      WebrtcOptions options = WebrtcOptions.signaling(url).withPassword(password);
      YMicrocosm m = YMicrocosm.inMemory(room);
      try {
        m.identify(javaIdentity);
        m.join(new Identity(javaIdentity, "Java"));
        m.attach(WebrtcTransport.provider(options, provider::set));
        provider.get().firstSync().get(30, TimeUnit.SECONDS);

        // page -> Java: the note written before Java joined arrives with the first sync
        awaitTrue(
            "the page's note in Java",
            20_000,
            () -> noteIn(m, pageIdentity, "e" + pageIdentity.substring(1)).isPresent());
        assertEquals(noteFromPage, noteIn(m, pageIdentity, "e" + pageIdentity.substring(1)).get());
        // and a note written while connected
        pages.call(0, "writeNote", pageIdentity, "e" + javaIdentity.substring(1), "second note");
        awaitTrue(
            "the page's second note in Java",
            20_000,
            () -> noteIn(m, pageIdentity, "e" + javaIdentity.substring(1)).isPresent());

        // Java -> page
        Entity mine = m.create(HtmlData.note(10, 20, "written in Java"));
        JsonNode seen =
            pages.await("Java's note in page 0", 0, 20_000, "readNote", javaIdentity, mine.id());
        assertEquals("written in Java", seen.asText());

        // presence both ways
        awaitTrue(
            "the page's presence in Java",
            20_000,
            () ->
                m.state().identities().stream()
                    .map(IdentityWithStatus::identity)
                    .anyMatch(i -> i.id().equals(pageIdentity) && "Page A".equals(i.nickname())));
        JsonNode presence = pages.await("Java's presence in page 0", 0, 20_000, "presence");
        assertTrue(presence.toString().contains(javaIdentity), "page 0 sees " + presence);
        assertTrue(m.state().connected(), "the microcosm reports a connection");

        // a second page joins later and gets both sides' notes (from whichever peer it reaches
        // first)
        pages.call(1, "start", startOptions(url, room, password));
        assertEquals(
            "written in Java",
            pages
                .await("Java's note in page 1", 1, 30_000, "readNote", javaIdentity, mine.id())
                .asText());
        assertEquals(
            noteFromPage,
            pages
                .await(
                    "page 0's note in page 1",
                    1,
                    30_000,
                    "readNote",
                    pageIdentity,
                    "e" + pageIdentity.substring(1))
                .asText());
        JsonNode peers1 = pages.await("page 1 connected", 1, 30_000, "peers");
        assertEquals(0, peers1.get("bc").asInt(), "pages must not share a BroadcastChannel");
      } finally {
        m.close();
      }
      // clean leave: our awareness removal reached the page before the channel closed
      long left = System.currentTimeMillis();
      awaitTrue(
          "Java's presence to leave page 0",
          10_000,
          () -> {
            try {
              return !pages.call(0, "presence").toString().contains(javaIdentity);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      assertTrue(System.currentTimeMillis() - left < 10_000);
      pages.call(0, "stop");
      pages.call(1, "stop");
    }
  }
}
