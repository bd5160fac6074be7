package nodenogg.sync.server.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 rules on the server side, driven byte by byte with a raw socket: the handshake (with the
 * RFC's own example key), fragmentation, control frames, close codes, UTF-8 and masking. Every
 * refusal must close only the offending connection, with the code the RFC names.
 */
class WebSocketProtocolTest {

  private WebServer server;
  private RecordingHandler echo;

  @BeforeEach
  void start() throws Exception {
    echo = new RecordingHandler();
    server = WebServer.builder().socket(p -> true, echo).maxMessageBytes(4096).build().start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RawClient open() throws Exception {
    RawClient c = new RawClient(server.port());
    String head = c.upgrade("/", null);
    assertTrue(head.startsWith("HTTP/1.1 101 "), head);
    return c;
  }

  /** A client frame with explicit FIN/RSV bits and masking, for frames a client must not send. */
  private static byte[] rawFrame(int firstByte, boolean masked, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(firstByte);
    f.write((masked ? 0x80 : 0) | payload.length); // tests use < 126 bytes
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    if (masked) {
      f.write(mask, 0, 4);
    }
    for (int i = 0; i < payload.length; i++) {
      f.write(masked ? payload[i] ^ mask[i % 4] : payload[i]);
    }
    return f.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void handshakeAnswersWithTheAcceptValueFromRfc6455() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      // RFC 6455 section 1.3: key "dGhlIHNhbXBsZSBub25jZQ==" gives "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
      String head = c.upgrade("/", null);
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), head);
      assertTrue(head.toLowerCase().contains("upgrade: websocket"), head);
    }
  }

  @Test
  void upgradesWithoutVersion13OrWithABadKeyAreRefused() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      c.write(
          "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
      String reply = c.readAll();
      assertTrue(reply.startsWith("HTTP/1.1 426 "), reply);
      assertTrue(reply.contains("Sec-WebSocket-Version: 13"), reply);
    }
    try (RawClient c = new RawClient(server.port())) {
      c.write(
          "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertTrue(c.readAll().startsWith("HTTP/1.1 400 "));
    }
    try (RawClient ok = open()) {
      ok.sendFrame(1, utf8("still serving"));
      assertEquals("echo:still serving", ok.readFrame().text());
    }
  }

  @Test
  void fragmentedMessagesAreReassembledWithPingsInBetween() throws Exception {
    try (RawClient c = open()) {
      c.out.write(rawFrame(0x01, true, utf8("hel"))); // text, not final
      c.out.write(rawFrame(0x89, true, utf8("p1"))); // ping in the middle of a message
      c.out.write(rawFrame(0x00, true, utf8("lo "))); // continuation
      c.out.write(rawFrame(0x80, true, utf8("wörld"))); // final continuation
      c.out.flush();
      RawClient.Frame pong = c.readFrame();
      assertEquals(10, pong.opcode());
      assertArrayEquals(utf8("p1"), pong.payload(), "a pong carries the ping's payload");
      assertEquals("echo:hello wörld", c.readFrame().text());
    }
  }

  @Test
  void aMultiByteCharacterSplitAcrossFragmentsIsValid() throws Exception {
    byte[] euro = utf8("€"); // 3 bytes
    try (RawClient c = open()) {
      c.out.write(rawFrame(0x01, true, new byte[] {euro[0]}));
      c.out.write(rawFrame(0x80, true, new byte[] {euro[1], euro[2]}));
      c.out.flush();
      assertEquals("echo:€", c.readFrame().text());
    }
  }

  @Test
  void invalidUtf8TextClosesWith1007() throws Exception {
    try (RawClient c = open()) {
      c.out.write(
          rawFrame(0x81, true, new byte[] {(byte) 0xC3, (byte) 0x28})); // bad continuation byte
      c.out.flush();
      assertEquals(1007, c.awaitClose());
    }
    assertEquals(1007, echo.awaitClose().code());
  }

  @Test
  void unmaskedReservedAndUnknownFramesCloseWith1002() throws Exception {
    byte[][] bad = {
      rawFrame(0x82, false, new byte[] {1}), // unmasked client frame
      rawFrame(0xC2, true, new byte[] {1}), // RSV1 without an extension
      rawFrame(0x83, true, new byte[] {1}), // reserved data opcode 3
      rawFrame(0x8B, true, new byte[0]), // reserved control opcode 11
      rawFrame(0x09, true, new byte[0]), // fragmented ping
      rawFrame(0x80, true, new byte[] {1}), // continuation with no message started
      rawFrame(0x88, true, new byte[] {3}), // close with a one-byte payload
      rawFrame(0x88, true, new byte[] {0x03, (byte) 0xED}), // close code 1005 may not be sent
      rawFrame(0x88, true, new byte[] {0x03, (byte) 0xEC}), // close code 1004 is reserved
    };
    for (int i = 0; i < bad.length; i++) {
      try (RawClient c = open()) {
        c.out.write(bad[i]);
        c.out.flush();
        int code;
        try {
          code = c.awaitClose();
        } catch (AssertionError e) {
          throw new AssertionError("case " + i + ": " + e.getMessage(), e);
        }
        assertEquals(1002, code, "case " + i);
      }
      assertEquals(1002, echo.awaitClose().code(), "case " + i);
    }
    byte[] longPing = new byte[126];
    try (RawClient c = open()) {
      c.sendFrame(9, longPing); // control frames carry at most 125 bytes
      assertEquals(1002, c.awaitClose());
    }
    try (RawClient c = open()) {
      c.out.write(rawFrame(0x01, true, utf8("a"))); // a message started...
      c.out.write(rawFrame(0x81, true, utf8("b"))); // ...and a new one before it ended
      c.out.flush();
      assertEquals(1002, c.awaitClose());
    }
  }

  @Test
  void aMessageOverTheLimitAcrossFragmentsClosesWith1009() throws Exception {
    try (RawClient c = open()) {
      byte[] part = new byte[100];
      for (int i = 0; i < 40; i++) {
        c.out.write(rawFrame(i == 0 ? 0x02 : 0x00, true, part)); // 4,000 bytes, not final
      }
      c.out.write(rawFrame(0x80, true, part)); // 4,100 > 4,096
      c.out.flush();
      assertEquals(1009, c.awaitClose());
    }
  }

  @Test
  void aCloseFromTheClientIsEchoedAndReportedAsRemote() throws Exception {
    try (RawClient c = open()) {
      Connection conn = echo.awaitOpen();
      byte[] body = new byte[2 + 3];
      body[0] = (byte) (4000 >>> 8);
      body[1] = (byte) (4000 & 0xff);
      System.arraycopy(utf8("bye"), 0, body, 2, 3);
      c.sendFrame(8, body);
      RawClient.Frame f = c.readFrame();
      assertEquals(8, f.opcode());
      assertEquals(4000, f.closeCode(), "the server echoes the client's code");
      assertEquals(null, c.readFrame(), "then the server closes the TCP connection");
      RecordingHandler.Closed closed = echo.awaitClose();
      assertEquals(4000, closed.code());
      assertEquals("bye", closed.reason());
      assertTrue(closed.remote());
      assertTrue(!conn.isOpen());
    }
    try (RawClient c = open()) {
      c.sendFrame(8, new byte[0]); // no status code
      RawClient.Frame f = c.readFrame();
      assertEquals(8, f.opcode());
      assertEquals(0, f.payload().length, "an empty close is answered with an empty close");
      assertEquals(1005, echo.awaitClose().code());
    }
  }

  @Test
  void codesACloseFrameMayNotCarryAreReplaced() throws Exception {
    try (RawClient c = open()) {
      echo.awaitOpen().close(1005, "no status is not sendable");
      assertEquals(1011, c.awaitClose());
    }
    try (RawClient c = open()) {
      echo.awaitOpen().close(1006, "abnormal");
      assertEquals(-1, c.awaitClose(), "1006 drops the socket without a close frame");
    }
    try (RawClient c = open()) {
      echo.awaitOpen().close(4000, "application code");
      assertEquals(4000, c.awaitClose());
    }
  }

  @Test
  void messagesSplitAtEveryByteBoundaryArriveIntact() throws Exception {
    long seed = 6455;
    Random random = new Random(seed);
    byte[] payload = new byte[3000]; // a 16-bit length header
    random.nextBytes(payload);
    try (RawClient c = open()) {
      byte[] frame = c.frame(2, payload);
      for (byte b : frame) { // one byte per TCP write
        c.out.write(b);
        c.out.flush();
      }
      RawClient.Frame back = c.readFrame();
      assertArrayEquals(payload, back.payload(), "seed " + seed);
      byte[] small = c.frame(1, utf8("after"));
      c.out.write(small);
      c.out.flush();
      assertEquals("echo:after", c.readFrame().text());
    }
  }

  @Test
  void framesPipelinedWithTheUpgradeRequestAreNotLost() throws Exception {
    try (RawClient c = new RawClient(server.port())) {
      byte[] request =
          ("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1);
      byte[] frame = c.frame(1, utf8("early"));
      byte[] both = new byte[request.length + frame.length];
      System.arraycopy(request, 0, both, 0, request.length);
      System.arraycopy(frame, 0, both, request.length, frame.length);
      c.out.write(both); // one write: head and first frame together
      c.out.flush();
      assertTrue(c.readHead().startsWith("HTTP/1.1 101 "));
      assertEquals("echo:early", c.readFrame().text());
    }
  }
}
