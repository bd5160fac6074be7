package nodenogg.sync.server.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Frame boundary tracking over arbitrary segmentation, and the shared budget. */
class FrameMeterTest {

  /** Masked client frames as a browser sends them . */
  private static byte[] frames(int... payloadSizes) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.util.Random random = new java.util.Random(3);
    for (int size : payloadSizes) {
      out.write(RawClient.maskedFrame(random, 2, new byte[size]));
    }
    return out.toByteArray();
  }

  @Test
  void followsFramesFedOneByteAtATime() throws IOException {
    FrameMeter.Budget budget = new FrameMeter.Budget(1_000_000);
    FrameMeter meter = new FrameMeter(budget, 1000);
    byte[] stream = frames(5, 300, 70_000, 2000, 0, 10);
    // 70_000 (8-byte length) and 2000 (2-byte length) are large; 5, 300, 0 and 10 are not.
    int largeStart = 2 + 4 + 5 + 4 + 4 + 300; // offset of the 70_000 frame
    long maxReserved = 0;
    for (int i = 0; i < stream.length; i++) {
      ByteBuffer one = ByteBuffer.wrap(stream, i, 1);
      assertTrue(meter.scan(one));
      assertEquals(i, one.position(), "scan must not consume");
      maxReserved = Math.max(maxReserved, meter.reserved());
      if (i == largeStart + 14) { // header of the 70_000 frame complete
        assertEquals(70_000, meter.reserved());
        assertEquals(1_000_000 - 70_000, budget.available());
      }
    }
    assertEquals(70_000, maxReserved);
    assertEquals(0, meter.reserved());
    assertEquals(1_000_000, budget.available());
  }

  @Test
  void refusesWhenTheBudgetIsSpentAndReleasesOnClose() throws IOException {
    FrameMeter.Budget budget = new FrameMeter.Budget(100_000);
    FrameMeter a = new FrameMeter(budget, 1000);
    FrameMeter b = new FrameMeter(budget, 1000);
    byte[] big = frames(70_000);
    assertTrue(a.scan(ByteBuffer.wrap(big, 0, 100)));
    assertFalse(b.scan(ByteBuffer.wrap(big, 0, 100)), "70,000 more does not fit in 30,000");
    a.close();
    assertEquals(100_000, budget.available());
    assertTrue(a.scan(ByteBuffer.wrap(frames(70_000))), "a closed meter takes no reservations");
    assertEquals(100_000, budget.available());
    FrameMeter c = new FrameMeter(budget, 1000);
    assertTrue(c.scan(ByteBuffer.wrap(big)));
    assertEquals(100_000, budget.available(), "a whole frame in one buffer reserves and releases");
  }
}
