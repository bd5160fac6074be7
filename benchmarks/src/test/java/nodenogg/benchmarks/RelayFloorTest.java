package nodenogg.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nodenogg.sync.server.websocket.WebServer;
import org.junit.jupiter.api.Test;

/**
 * The benchmark floor relay: Step1 gets an empty Step2; an Update reaches every peer of its
 * document unchanged.
 */
class RelayFloorTest {

  /** Collects whole binary messages. */
  private static final class Inbox implements WebSocket.Listener {
    final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream part = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      part.write(b, 0, b.length);
      if (last) {
        messages.add(part.toByteArray());
        part.reset();
      }
      ws.request(1);
      return null;
    }

    byte[] next() throws InterruptedException {
      byte[] m = messages.poll(20, TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("no message from the relay within 20 s");
      }
      return m;
    }
  }

  // Hocuspocus frames written out by hand (docs/PROTOCOL.md §5): varString "d", type 0 (Sync), then
  // sub 0 + varUint8Array(empty state vector) = Step1, sub 1 = Step2, sub 2 = Update.
  private static final byte[] STEP1 = {1, 'd', 0, 0, 1, 0};
  private static final byte[] EMPTY_STEP2 = {1, 'd', 0, 1, 2, 0, 0};
  private static final byte[] UPDATE = {1, 'd', 0, 2, 3, 9, 8, 7};

  @Test
  void answersStep1AndForwardsUpdatesToEveryPeerUnchanged() throws Exception {
    try (WebServer relay = RelayFloor.start("127.0.0.1", 0)) {
      HttpClient http = HttpClient.newHttpClient();
      URI uri = URI.create("ws://127.0.0.1:" + relay.port() + "/sync");
      Inbox a = new Inbox();
      Inbox b = new Inbox();
      WebSocket wa = http.newWebSocketBuilder().buildAsync(uri, a).get(20, TimeUnit.SECONDS);
      WebSocket wb = http.newWebSocketBuilder().buildAsync(uri, b).get(20, TimeUnit.SECONDS);
      wa.sendBinary(ByteBuffer.wrap(STEP1), true).get(20, TimeUnit.SECONDS);
      assertArrayEquals(EMPTY_STEP2, a.next());
      wb.sendBinary(ByteBuffer.wrap(STEP1), true).get(20, TimeUnit.SECONDS);
      assertArrayEquals(EMPTY_STEP2, b.next());
      wa.sendBinary(ByteBuffer.wrap(UPDATE), true).get(20, TimeUnit.SECONDS);
      assertArrayEquals(UPDATE, b.next(), "the peer gets the update as sent");
      assertArrayEquals(UPDATE, a.next(), "and so does the sender, as Hocuspocus does");
      wa.abort();
      wb.abort();
    }
  }
}
