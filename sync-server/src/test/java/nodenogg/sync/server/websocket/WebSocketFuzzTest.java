package nodenogg.sync.server.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.TestTime;
import org.junit.jupiter.api.Test;

/**
 * Mutated frame streams against the WebSocket server: whatever a client sends, only that connection
 * is affected. After every case the server must have closed or kept the socket cleanly (never hang
 * past its deadlines), every opened connection gets exactly one onClose with a legitimate code, and
 * a well-behaved client is still served.
 */
class WebSocketFuzzTest {

  private static final Set<Integer> CODES = Set.of(1000, 1002, 1005, 1006, 1007, 1009, 1013);

  private static byte[] validStream(Random r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int frames = 1 + r.nextInt(5);
    for (int i = 0; i < frames; i++) {
      int kind = r.nextInt(6);
      byte[] payload;
      int opcode;
      if (kind == 0) {
        opcode = 1;
        payload = ("text-" + r.nextInt(1000) + "-ü€").getBytes(StandardCharsets.UTF_8);
      } else if (kind == 1) {
        opcode = 9;
        payload = new byte[r.nextInt(20)];
      } else if (kind == 2) {
        opcode = 10;
        payload = new byte[r.nextInt(5)];
      } else {
        opcode = 2;
        payload = new byte[r.nextInt(kind == 5 ? 5000 : 300)]; // sometimes over the 4,096 limit
      }
      r.nextBytes(kind == 0 ? new byte[0] : payload);
      byte[] f = RawClient.maskedFrame(r, opcode, payload);
      out.write(f, 0, f.length);
    }
    return out.toByteArray();
  }

  private static byte[] mutate(byte[] stream, Random r) {
    byte[] b = stream.clone();
    int mutations = r.nextInt(4);
    for (int m = 0; m < mutations && b.length > 0; m++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(5)) {
        case 0:
          b[at] ^= (byte) (1 << r.nextInt(8)); // flip a bit (header bits, lengths, mask, payload)
          break;
        case 1:
          b[at] = (byte) r.nextInt(256);
          break;
        case 2:
          b = java.util.Arrays.copyOf(b, at); // truncate mid-frame
          break;
        case 3:
          {
            byte[] junk = new byte[1 + r.nextInt(16)];
            r.nextBytes(junk);
            byte[] longer = java.util.Arrays.copyOf(b, b.length + junk.length);
            System.arraycopy(junk, 0, longer, b.length, junk.length);
            b = longer;
            break;
          }
        default:
          b[at] = (byte) (b[at] & 0x70 | 0x80 | r.nextInt(16)); // odd opcodes / reserved bits
          break;
      }
    }
    return b;
  }

  @Test
  void mutatedFrameStreamsOnlyEverAffectTheirOwnConnection() throws Exception {
    long seed = Long.getLong("nodenogg.fuzz.seed", 6455_2026L);
    int cases = Integer.getInteger("nodenogg.fuzz.cases", 200);
    Random random = new Random(seed);
    RecordingHandler handler = new RecordingHandler();
    try (WebServer server =
        WebServer.builder()
            .socket(p -> true, handler)
            .maxMessageBytes(4096)
            .pingInterval(Duration.ZERO)
            .handshakeTimeout(Duration.ofSeconds(2))
            .build()
            .start()) {
      int opened = 0;
      for (int i = 0; i < cases; i++) {
        byte[] stream = mutate(validStream(random), random);
        try (RawClient c = new RawClient(server.port())) {
          String head = c.upgrade("/", null);
          assertTrue(head.startsWith("HTTP/1.1 101 "), "case " + i + " seed " + seed + ": " + head);
          opened++;
          c.out.write(stream);
          c.out.flush();
          if (random.nextBoolean()) {
            c.socket.shutdownOutput(); // the peer goes away: the server must close, whatever it got
            c.socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TestTime.seconds(5)));
            assertTrue(
                drain(c),
                "case " + i + " seed " + seed + ": the server kept a socket whose peer left");
          } else {
            c.socket.setSoTimeout(100); // the server may still be waiting for the rest of a frame
            drain(c);
          }
        }
        if (i % 50 == 49) {
          try (RawClient healthy = new RawClient(server.port())) {
            assertTrue(healthy.upgrade("/", null).startsWith("HTTP/1.1 101 "));
            opened++;
            healthy.sendFrame(1, "still serving".getBytes(StandardCharsets.UTF_8));
            RawClient.Frame f;
            do {
              f = healthy.readFrame();
            } while (f != null && f.opcode() != 1);
            assertTrue(f != null, "case " + i + " seed " + seed + ": a healthy client got no echo");
            assertEquals("echo:still serving", f.text());
          }
        }
      }
      List<RecordingHandler.Closed> closes = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestTime.seconds(10));
      while (closes.size() < opened && System.nanoTime() < deadline) {
        RecordingHandler.Closed c = handler.closed.poll(100, TimeUnit.MILLISECONDS);
        if (c != null) {
          closes.add(c);
        }
      }
      assertEquals(
          opened, closes.size(), "every opened connection gets one onClose (seed " + seed + ")");
      assertEquals(null, handler.closed.poll(200, TimeUnit.MILLISECONDS), "no second onClose");
      for (RecordingHandler.Closed c : closes) {
        assertTrue(
            CODES.contains(c.code()), "unexpected close code " + c.code() + " (seed " + seed + ")");
      }
      while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, server.connectionCount());
    }
  }

  /**
   * Reads until the server closes (close frame or EOF): true; false if it stayed open and quiet.
   */
  private static boolean drain(RawClient c) throws IOException {
    try {
      while (true) {
        RawClient.Frame f = c.readFrame();
        if (f == null || f.opcode() == 8) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false; // still open, waiting for the rest of a frame: allowed while the peer is there
    } catch (IOException e) {
      return true; // reset after the server closed
    }
  }
}
