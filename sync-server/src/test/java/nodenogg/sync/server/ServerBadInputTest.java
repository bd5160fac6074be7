package nodenogg.sync.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import nodenogg.sync.protocol.Hocuspocus;
import nodenogg.sync.protocol.ToyDocument;
import org.junit.jupiter.api.Test;

/**
 * Over real sockets: malformed frames, oversized messages, junk before auth and a reader that stops
 * reading each close only that connection; the server and other clients carry on. Also checks that
 * the y-webrtc signalling relay answers on /signal of the same port.
 */
class ServerBadInputTest {

  private static SyncServer server() throws Exception {
    return SyncServer.builder()
        .port(0)
        .documentFactory(ToyDocument::new)
        .maxMessageBytes(64 * 1024)
        .maxBufferedBytes(1024 * 1024)
        .preAuthLimits(64 * 1024, 50, 10)
        .build()
        .start();
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier c)
      throws InterruptedException {
    long end = System.currentTimeMillis() + 40_000;
    while (!c.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out: " + what);
      }
      Thread.sleep(10);
    }
  }

  private static boolean acked(JdkSocket s) {
    return s.binary.stream()
        .anyMatch(
            m -> {
              Hocuspocus.Frame f = Hocuspocus.decode(m);
              return f.type() == Hocuspocus.SYNC_STATUS && f.body().readVarUint() == 1;
            });
  }

  @Test
  void eachBadConnectionIsClosedAloneAndTheOthersKeepWorking() throws Exception {
    try (SyncServer s = server()) {
      URI sync = URI.create("ws://127.0.0.1:" + s.port() + "/sync");
      try (JdkSocket good = new JdkSocket(sync, true);
          JdkSocket garbage = new JdkSocket(sync, true);
          JdkSocket huge = new JdkSocket(sync, true);
          JdkSocket junk = new JdkSocket(sync, true)) {
        good.send(Hocuspocus.authToken("doc", "", null));
        awaitTrue("authenticated", () -> !good.binary.isEmpty());

        garbage.send(new byte[] {(byte) 0x85, (byte) 0x80, (byte) 0x80});
        assertEquals(1002, garbage.awaitClose());

        try {
          huge.send(Hocuspocus.syncUpdate("doc", new byte[100 * 1024]));
        } catch (java.util.concurrent.ExecutionException e) {
          // the server may close before the client finishes writing
        }
        // The server closes with 1009 as soon as it has read past the limit. When the client is
        // still
        // writing the rest, TCP may reset the connection before the JDK client reads the close
        // frame
        // (seen under load): then the client reports a transport error (-1). Either way the server
        // cut it.
        int hugeCode = huge.awaitClose();
        assertTrue(hugeCode == 1009 || hugeCode == -1, "oversized message: close code " + hugeCode);
        awaitTrue(
            "the server dropped the oversized and the garbage connection",
            () -> s.connectionCount() == 2);

        for (int i = 0; i < 60; i++) {
          try {
            junk.send(Hocuspocus.queryAwareness("doc"));
          } catch (java.util.concurrent.ExecutionException e) {
            break; // the server's close frame arrived while this message was being sent
          }
          if (junk.closed.isDone()) {
            break;
          }
        }
        assertEquals(4205, junk.awaitClose());

        good.send(
            Hocuspocus.syncUpdate("doc", ToyDocument.encode(List.of("still-alive".getBytes()))));
        awaitTrue("the good connection is still served", () -> acked(good));
        assertTrue(!good.closed.isDone());
      }
    }
  }

  @Test
  void aReaderThatStopsReadingIsCutAndTheWriterIsNot() throws Exception {
    try (SyncServer s = server()) {
      URI sync = URI.create("ws://127.0.0.1:" + s.port() + "/sync");
      try (JdkSocket writer = new JdkSocket(sync, true);
          JdkSocket stalled = new JdkSocket(sync, false)) {
        stalled.send(Hocuspocus.authToken("doc", "", null));
        writer.send(Hocuspocus.authToken("doc", "", null));
        awaitTrue("writer authenticated", () -> !writer.binary.isEmpty());
        byte[] blob = new byte[32 * 1024];
        assertEquals(2, s.connectionCount());
        for (int i = 0; i < 1000 && s.connectionCount() == 2; i++) {
          Thread.sleep(1);
          blob[0] = (byte) i;
          blob[1] = (byte) (i >> 8);
          writer.send(Hocuspocus.syncUpdate("doc", ToyDocument.encode(List.of(blob.clone()))));
        }
        // the stalled client does not read, so it never sees the close frame: look from the server
        // side
        awaitTrue("stalled reader cut", () -> s.connectionCount() == 1);
        assertTrue(!writer.closed.isDone(), "the writer keeps its connection");
      }
    }
  }

  @Test
  void signallingIsServedOnTheMainPort() throws Exception {
    try (SyncServer s = server();
        JdkSocket sig = new JdkSocket(URI.create("ws://127.0.0.1:" + s.port() + "/signal"), true)) {
      sig.sendText("{\"type\":\"ping\"}");
      awaitTrue("pong", () -> sig.text.stream().anyMatch(t -> t.contains("pong")));
    }
  }

  /** Reads one server frame (unmasked) from a raw socket: {opcode, payload}. */
  static Object[] readFrame(java.io.DataInputStream in) throws java.io.IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Object[] {b0 & 0x0f, payload};
  }

  @Test
  void aMalformedTokenEncodingIsUnauthorizedNotAServerError() throws Exception {
    // issue 12 finding 7: /<room>?token=%zz gave 1011 and a stack trace
    try (SyncServer s =
            SyncServer.builder()
                .port(0)
                .hooks(new TokenAuthHooks("secret", null, null))
                .build()
                .start();
        java.net.Socket raw = new java.net.Socket("127.0.0.1", s.port())) {
      raw.setSoTimeout((int) TestTime.seconds(10) * 1000);
      raw.getOutputStream()
          .write(
              ("GET /room?token=%zz HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      java.io.DataInputStream in = new java.io.DataInputStream(raw.getInputStream());
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
      int closeCode = -1;
      boolean denied = false;
      while (closeCode < 0) {
        Object[] f = readFrame(in);
        byte[] p = (byte[]) f[1];
        if ((int) f[0] == 2) {
          // y-websocket Auth message (2), PermissionDenied (0)
          denied |= p.length >= 2 && p[0] == 2 && p[1] == 0;
        } else if ((int) f[0] == 8) {
          closeCode = ((p[0] & 0xff) << 8) | (p[1] & 0xff);
        }
      }
      assertTrue(denied, "a PermissionDenied message comes first");
      assertEquals(4401, closeCode);
    }
  }
}
