package nodenogg.sync.server.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.TestTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WebSocket limits and liveness, driven by a raw client so misbehaviour is exact. */
class WebServerSocketTest {

  private WebServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private RawClient connect(String path) throws Exception {
    RawClient raw = new RawClient(server.port());
    String head = raw.upgrade(path, null);
    assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    return raw;
  }

  @Test
  void echoesTextAndBinaryAndClosesOversizedMessagesWith1009() throws Exception {
    RecordingHandler echo = new RecordingHandler();
    server = WebServer.builder().socket(p -> true, echo).maxMessageBytes(1000).build().start();
    try (RawClient a = connect("/room?x=1")) {
      // the server reports an open after answering the upgrade, so connect b only once a's open is
      // seen
      Connection ca = echo.awaitOpen();
      RawClient b = connect("/other");
      assertEquals("/room", ca.path());
      assertEquals("x=1", ca.query());
      a.sendFrame(1, "hi".getBytes(StandardCharsets.UTF_8));
      assertEquals("echo:hi", a.readFrame().text());
      byte[] bin = {0, 1, 2, (byte) 255};
      a.sendFrame(2, bin);
      RawClient.Frame f = a.readFrame();
      assertEquals(2, f.opcode());
      assertArrayEquals(bin, f.payload());

      a.sendFrame(2, new byte[1001]);
      assertEquals(1009, a.awaitClose());
      RecordingHandler.Closed closed = echo.awaitClose();
      assertEquals(1009, closed.code());
      assertFalse(closed.connection().isOpen());

      b.sendFrame(1, "still here".getBytes(StandardCharsets.UTF_8));
      assertEquals("echo:still here", b.readFrame().text());
      b.close();
    }
  }

  private void awaitBudget(long available) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestTime.seconds(5));
    while (server.inFlightAvailable() != available && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(available, server.inFlightAvailable(), "in-flight budget");
  }

  @Test
  void largeFramesBeingReceivedShareAServerWideBudget() throws Exception {
    RecordingHandler echo = new RecordingHandler();
    int mib = 1024 * 1024;
    long limit =
        2L * mib + 4096; // two 1 MiB frames, plus room for the request heads and small messages
    server =
        WebServer.builder()
            .socket(p -> true, echo)
            .maxMessageBytes(mib)
            .maxInFlightBytes(limit)
            .build()
            .start();
    byte[] payload = new byte[mib];
    new java.util.Random(1).nextBytes(payload);
    try (RawClient a = connect("/");
        RawClient b = connect("/");
        RawClient c = connect("/")) {
      long idle =
          server
              .inFlightAvailable(); // the three request heads are charged while their sockets live
      assertTrue(idle < limit && idle > limit - 3 * 1024, "request heads are charged: " + idle);
      byte[] fa = a.frame(2, payload);
      byte[] fb = b.frame(2, payload);
      // a and b announce 1 MiB each and stall mid-frame: together they hold the budget.
      a.out.write(fa, 0, 1000);
      a.out.flush();
      b.out.write(fb, 0, 1000);
      b.out.flush();
      awaitBudget(idle - 2L * mib);
      // c's large frame does not fit: c is closed with 1013, the others are untouched.
      c.out.write(c.frame(2, payload), 0, 1000);
      c.out.flush();
      assertEquals(1013, c.awaitClose());
      // small messages still fit
      try (RawClient d = connect("/")) {
        d.sendFrame(1, "small".getBytes(StandardCharsets.UTF_8));
        assertEquals("echo:small", d.readFrame().text());
      }
      // a finishes its frame: the message arrives whole and its reservation returns.
      a.out.write(fa, 1000, fa.length - 1000);
      a.out.flush();
      RawClient.Frame echoed = a.readFrame();
      assertArrayEquals(payload, echoed.payload());
      try (RawClient e = connect("/")) {
        e.sendFrame(2, payload);
        assertArrayEquals(payload, e.readFrame().payload());
      }
      b.socket.close(); // a socket closing mid-frame also returns its reservation
      try (RawClient f = connect("/");
          RawClient g = connect("/")) {
        f.sendFrame(2, payload);
        g.sendFrame(2, payload);
        assertArrayEquals(payload, f.readFrame().payload());
        assertArrayEquals(payload, g.readFrame().payload());
      }
    }
    awaitBudget(limit); // every socket closed: everything is returned
  }

  @Test
  void fragmentedMessagesOfSmallFramesAreChargedToo() throws Exception {
    // issue 12 finding 1: a message made of frames under the old large-frame size was never charged
    RecordingHandler echo = new RecordingHandler();
    int mib = 1024 * 1024;
    long limit = 2L * mib;
    server =
        WebServer.builder()
            .socket(p -> true, echo)
            .maxMessageBytes(mib)
            .maxInFlightBytes(limit)
            .build()
            .start();
    byte[] chunk = new byte[1000];
    List<RawClient> holders = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        RawClient r = connect("/");
        holders.add(r);
        // 700 frames of 1000 bytes, no FIN: a 700 KB message being reassembled, then a stall
        java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < 700; k++) {
          byte[] f = r.frame(k == 0 ? 2 : 0, chunk);
          f[0] &= 0x7f; // clear FIN
          frames.write(f);
        }
        r.out.write(frames.toByteArray());
        r.out.flush();
      }
      // 2 MiB hold two such messages (their buffers grow to 1,024,000 bytes); the others are
      // refused
      int refused = 0;
      int open = 0;
      for (RawClient r : holders) {
        r.socket.setSoTimeout((int) TestTime.seconds(2) * 1000);
        try {
          RawClient.Frame f = r.readFrame();
          assertEquals(8, f.opcode());
          assertEquals(1013, f.closeCode());
          refused++;
        } catch (java.net.SocketTimeoutException e) {
          open++;
        }
      }
      assertTrue(refused >= 2 && open <= 2, "refused " + refused + ", still open " + open);
      assertTrue(server.inFlightAvailable() >= 0);
    } finally {
      for (RawClient r : holders) {
        r.close();
      }
    }
    awaitBudget(limit);
  }

  @Test
  void anOutOfMemoryErrorShedsConnectionsAndASecondOneStopsTheServer() throws Exception {
    // issue 12 finding 1: an Error used to end the event loop, leaving a process that never
    // answered again
    java.util.concurrent.CompletableFuture<Throwable> fatal =
        new java.util.concurrent.CompletableFuture<>();
    RecordingHandler echo =
        new RecordingHandler() {
          @Override
          public void onText(Connection connection, String message) {
            if (message.equals("oom")) {
              throw new OutOfMemoryError("simulated");
            }
            super.onText(connection, message);
          }
        };
    server =
        WebServer.builder().socket(p -> true, echo).onFatalError(fatal::complete).build().start();
    try (RawClient victim = connect("/");
        RawClient other = connect("/")) {
      victim.sendFrame(1, "oom".getBytes(StandardCharsets.UTF_8));
      victim.awaitClose(); // the socket whose event ran out of memory is dropped
      // the loop lives on: other connections and new ones are served
      other.sendFrame(1, "still there?".getBytes(StandardCharsets.UTF_8));
      RawClient.Frame f = other.readFrame();
      if (f.opcode() == 8) {
        assertEquals(1013, f.closeCode(), "shed with 1013");
      } else {
        assertEquals("echo:still there?", f.text());
      }
      try (RawClient fresh = connect("/")) {
        fresh.sendFrame(1, "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("echo:hello", fresh.readFrame().text());
        assertFalse(fatal.isDone());
        // a second OutOfMemoryError within 10 s: the process cannot recover; the owner is told
        fresh.sendFrame(1, "oom".getBytes(StandardCharsets.UTF_8));
        assertTrue(fatal.get(TestTime.seconds(10), TimeUnit.SECONDS) instanceof OutOfMemoryError);
      }
      // and the server no longer accepts connections
      boolean refused;
      try (RawClient late = new RawClient(server.port())) {
        String head = late.upgrade("/", null);
        refused = !head.startsWith("HTTP/1.1 101");
      } catch (java.io.IOException e) {
        refused = true;
      }
      assertTrue(refused, "a server that failed fatally must not accept connections");
    }
  }

  @Test
  void aThrowingHandlerClosesOnlyItsConnectionWith1011() throws Exception {
    RecordingHandler handler =
        new RecordingHandler() {
          @Override
          public void onText(Connection connection, String message) {
            if (message.equals("explode")) {
              throw new IllegalStateException("deliberate test failure");
            }
            super.onText(connection, message);
          }
        };
    server = WebServer.builder().socket(p -> true, handler).build().start();
    try (RawClient a = connect("/a");
        RawClient b = connect("/b")) {
      a.sendFrame(1, "explode".getBytes(StandardCharsets.UTF_8));
      assertEquals(1011, a.awaitClose());
      assertEquals(1011, handler.awaitClose().code());
      b.sendFrame(1, "ok".getBytes(StandardCharsets.UTF_8));
      assertEquals("echo:ok", b.readFrame().text());
    }
  }

  @Test
  void longCloseReasonsAreCutToFitTheCloseFrame() throws Exception {
    SocketHandler closer =
        new SocketHandler() {
          @Override
          public void onOpen(Connection connection) {
            connection.close(4000, "é".repeat(100));
          }

          @Override
          public void onClose(Connection connection, int code, String reason, boolean remote) {}
        };
    server = WebServer.builder().socket(p -> true, closer).build().start();
    try (RawClient a = connect("/")) {
      RawClient.Frame f;
      do {
        f = a.readFrame();
      } while (f != null && f.opcode() != 8);
      assertTrue(f != null, "expected a close frame");
      assertEquals(4000, f.closeCode());
      assertEquals(2 + 122, f.payload().length, "61 two-byte characters fit in 123 bytes");
    }
  }

  @Test
  void defaultHandlerRefusesTextWith1003() throws Exception {
    SocketHandler binaryOnly =
        new SocketHandler() {
          @Override
          public void onOpen(Connection connection) {}

          @Override
          public void onClose(Connection connection, int code, String reason, boolean remote) {}
        };
    server = WebServer.builder().socket(p -> true, binaryOnly).build().start();
    try (RawClient a = connect("/")) {
      a.sendFrame(1, "text".getBytes(StandardCharsets.UTF_8));
      assertEquals(1003, a.awaitClose());
    }
  }

  @Test
  void aReaderThatStopsReadingIsClosedAndItsBacklogDropped() throws Exception {
    RecordingHandler handler = new RecordingHandler();
    long cap = 256 * 1024;
    server = WebServer.builder().socket(p -> true, handler).maxBufferedBytes(cap).build().start();
    try (RawClient stalled = connect("/");
        RawClient healthy = connect("/")) {
      stalled.socket.setReceiveBufferSize(4096);
      Connection c = handler.awaitOpen();
      Connection other = handler.awaitOpen();
      if (!c.remoteAddress().endsWith(":" + stalled.socket.getLocalPort())) {
        Connection t = c;
        c = other;
        other = t;
      }
      byte[] chunk = new byte[16 * 1024];
      long maxSeen = 0;
      int sent = 0;
      // Far more than the socket buffers can hold: the backlog must hit the cap and close.
      while (c.isOpen() && sent < 4096) {
        c.send(chunk);
        sent++;
        maxSeen = Math.max(maxSeen, c.bufferedBytes());
      }
      assertFalse(c.isOpen(), "a connection whose reader stalls must be closed");
      assertTrue(maxSeen <= cap + chunk.length + 64, "backlog grew to " + maxSeen);
      RecordingHandler.Closed closed = handler.awaitClose();
      assertEquals(1013, closed.code());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestTime.seconds(5));
      while (c.bufferedBytes() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      c.send(chunk); // ignored once closed
      assertTrue(other.isOpen());
      healthy.sendFrame(1, "ping?".getBytes(StandardCharsets.UTF_8));
      assertEquals("echo:ping?", healthy.readFrame().text());
    }
  }

  @Test
  void aSlowConsumerCutGetsA1013CloseFrameAfterTheFrameInProgress() throws Exception {
    // issue 12 finding 4: the cut sent no close frame (clients saw 1006)
    RecordingHandler handler = new RecordingHandler();
    server =
        WebServer.builder()
            .socket(p -> true, handler)
            .maxMessageBytes(64 * 1024)
            .maxBufferedBytes(256 * 1024)
            .build()
            .start();
    try (RawClient stalled = connect("/")) {
      Connection c = handler.awaitOpen();
      byte[] chunk = new byte[16 * 1024];
      int sent = 0;
      // the client does not read until the kernel buffers are full and the backlog passes the cap
      while (c.isOpen() && sent < 100_000) {
        chunk[0] = (byte) sent;
        chunk[1] = (byte) (sent >> 8);
        c.send(chunk.clone());
        sent++;
      }
      assertFalse(c.isOpen());
      // the client reads again: whole frames (the one in progress completed), then the close frame
      int frames = 0;
      while (true) {
        RawClient.Frame f = stalled.readFrame();
        assertTrue(
            f != null, "the stream must end with a close frame, after " + frames + " frames");
        if (f.opcode() == 8) {
          assertEquals(1013, f.closeCode());
          break;
        }
        assertEquals(2, f.opcode());
        assertEquals(chunk.length, f.payload().length, "frame " + frames + " is whole");
        assertEquals(
            frames,
            (f.payload()[0] & 0xff) | ((f.payload()[1] & 0xff) << 8),
            "frames arrive in order, none torn");
        frames++;
      }
      assertTrue(frames > 0 && frames < sent, frames + " of " + sent);
      assertEquals(1013, handler.awaitClose().code());
    }
  }

  @Test
  void oneMessageLargerThanTheBacklogCapIsDeliveredWhole() throws Exception {
    // issue 12 finding 4: the backlog cap counted a single frame, so large messages were
    // undeliverable
    RecordingHandler echo = new RecordingHandler();
    int size = 6 * 1024 * 1024;
    server =
        WebServer.builder()
            .socket(p -> true, echo)
            .maxMessageBytes(8 * 1024 * 1024)
            .maxBufferedBytes(64 * 1024)
            .build()
            .start();
    byte[] payload = new byte[size];
    new java.util.Random(7).nextBytes(payload);
    try (RawClient a = connect("/")) {
      a.socket.setSoTimeout((int) TestTime.seconds(30) * 1000);
      a.sendFrame(2, payload);
      RawClient.Frame f = a.readFrame();
      assertEquals(2, f.opcode());
      assertArrayEquals(payload, f.payload());
      a.sendFrame(1, "after".getBytes(StandardCharsets.UTF_8));
      assertEquals("echo:after", a.readFrame().text());
    }
  }

  @Test
  void pingsAreSentAndASocketThatMissesThePongIsClosed() throws Exception {
    RecordingHandler handler = new RecordingHandler();
    server =
        WebServer.builder()
            .socket(p -> true, handler)
            .pingInterval(Duration.ofMillis(500))
            .build()
            .start();
    try (RawClient silent = connect("/");
        RawClient polite = connect("/")) {
      handler.awaitOpen();
      handler.awaitOpen();
      // The polite client answers three pings; the silent one reads them but never answers.
      for (int i = 0; i < 3; i++) {
        RawClient.Frame ping = polite.readFrame();
        assertEquals(9, ping.opcode(), "expected a ping frame");
        polite.sendFrame(10, ping.payload());
      }
      assertEquals(9, silent.readFrame().opcode());
      assertEquals(-1, silent.awaitClose(), "the silent socket is dropped without a close frame");
      RecordingHandler.Closed closed = handler.awaitClose();
      assertEquals(1006, closed.code());
      polite.sendFrame(1, "alive".getBytes(StandardCharsets.UTF_8));
      RawClient.Frame f;
      do {
        f = polite.readFrame();
        if (f.opcode() == 9) {
          polite.sendFrame(10, f.payload());
        }
      } while (f.opcode() != 1);
      assertEquals("echo:alive", f.text());
    }
  }

  @Test
  void idleConnectionsAreClosed() throws Exception {
    RecordingHandler handler = new RecordingHandler();
    server =
        WebServer.builder()
            .socket(p -> true, handler)
            .pingInterval(Duration.ZERO)
            .idleTimeout(Duration.ofMillis(300))
            .build()
            .start();
    try (RawClient idle = connect("/")) {
      long t0 = System.nanoTime();
      assertEquals(1000, idle.awaitClose());
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertTrue(ms >= 250, "closed too early: " + ms + " ms");
      assertEquals("idle timeout", handler.awaitClose().reason());
    }
  }

  @Test
  void callbacksForOneConnectionAreSerialAndOnCloseComesLast() throws Exception {
    StringBuffer log = new StringBuffer();
    SocketHandler handler =
        new SocketHandler() {
          volatile boolean inside;

          @Override
          public void onOpen(Connection connection) {
            log.append('o');
          }

          @Override
          public void onBinary(Connection connection, ByteBuffer message) {
            if (inside) {
              log.append('!');
            }
            inside = true;
            log.append('m');
            inside = false;
          }

          @Override
          public void onClose(Connection connection, int code, String reason, boolean remote) {
            log.append('c');
          }
        };
    server = WebServer.builder().socket(p -> true, handler).build().start();
    try (RawClient a = connect("/")) {
      for (int i = 0; i < 50; i++) {
        a.sendFrame(2, new byte[] {(byte) i});
      }
      a.sendFrame(8, new byte[] {0x03, (byte) 0xe8});
      assertEquals(1000, a.awaitClose());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestTime.seconds(5));
    while (log.indexOf("c") < 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals("o" + "m".repeat(50) + "c", log.toString());
  }
}
