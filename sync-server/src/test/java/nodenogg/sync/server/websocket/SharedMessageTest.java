package nodenogg.sync.server.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.enums.Role;
import org.java_websocket.framing.BinaryFrame;
import org.junit.jupiter.api.Test;

/** A broadcast frame built once must be byte-identical to the library's own server frame. */
class SharedMessageTest {

  private static byte[] libraryFrame(byte[] payload) {
    Draft_6455 draft = new Draft_6455();
    draft.setParseMode(Role.SERVER); // server frames are not masked
    BinaryFrame f = new BinaryFrame();
    f.setPayload(ByteBuffer.wrap(payload));
    f.setFin(true);
    ByteBuffer b = draft.createBinaryFrame(f);
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void frameMatchesTheLibraryEncoderAtEveryLengthBoundary() {
    long seed = 20261126L;
    Random random = new Random(seed);
    for (int n : new int[] {0, 1, 125, 126, 127, 65535, 65536, 70000}) {
      byte[] payload = new byte[n];
      random.nextBytes(payload);
      SharedMessage m = new SharedMessage(payload);
      byte[] expected = libraryFrame(payload);
      assertArrayEquals(expected, bytes(m.frameView()), "length " + n + " (seed " + seed + ")");
      assertEquals(expected.length, m.frameLength());
    }
  }

  @Test
  void everyViewStartsAtTheFrameStartAndViewsAreIndependent() {
    SharedMessage m = new SharedMessage(new byte[] {1, 2, 3});
    ByteBuffer a = m.frameView();
    a.get(new byte[a.remaining()]); // a connection wrote its copy
    ByteBuffer b = m.frameView();
    assertEquals(5, b.remaining());
    assertArrayEquals(new byte[] {(byte) 0x82, 3, 1, 2, 3}, bytes(b));
  }
}
