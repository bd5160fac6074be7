package nodenogg.sync.server.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import org.junit.jupiter.api.Test;

/**
 * The output queue alone, on a channel that takes what the test allows: writes, queueing, cuts,
 * charges.
 */
class FrameWriterTest {

  /**
   * A channel that takes at most {@code room} more bytes, then nothing, until the test makes room.
   */
  static final class Pipe implements WritableByteChannel {
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    int room;
    boolean broken;

    Pipe(int room) {
      this.room = room;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (broken) {
        throw new IOException("connection reset");
      }
      int n = Math.min(room, src.remaining());
      byte[] b = new byte[n];
      src.get(b);
      written.write(b, 0, n);
      room -= n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  private static ByteBuffer frame(int length, int fill) {
    byte[] payload = new byte[length];
    java.util.Arrays.fill(payload, (byte) fill);
    return Frames.data(WebSocketCodes.OP_BINARY, payload, 0, length);
  }

  @Test
  void writesStraightThroughUntilTheChannelIsFullThenQueuesAndFlushes() {
    Pipe pipe = new Pipe(1000);
    MemoryBudget budget = new MemoryBudget(1 << 20);
    FrameWriter w = new FrameWriter(pipe, budget, 10_000);
    assertEquals(FrameWriter.Outcome.WRITTEN, w.send(frame(100, 1), null, false));
    assertEquals(0, budget.used(), "nothing queued, nothing charged");
    assertEquals(FrameWriter.Outcome.QUEUED, w.send(frame(2000, 2), null, false));
    assertEquals(
        2004 - 898, w.queued(), "the channel took 898 of the 2,004-byte frame; the rest waits");
    assertEquals(2004 - 898, budget.used(), "what waits is charged");
    assertEquals(
        FrameWriter.Outcome.QUEUED,
        w.send(frame(10, 3), null, false),
        "behind a queue, never written first");
    pipe.room = 1 << 20;
    assertEquals(FrameWriter.Outcome.WRITTEN, w.flush());
    assertEquals(0, w.queued());
    assertEquals(0, budget.used());
    byte[] all = pipe.written.toByteArray();
    assertEquals(102 + 2004 + 12, all.length, "every frame whole, in order");
    assertEquals(3, all[all.length - 1]);
  }

  @Test
  void theLastFrameClosesTheOutput() {
    Pipe pipe = new Pipe(5);
    FrameWriter w = new FrameWriter(pipe, new MemoryBudget(1 << 20), 10_000);
    assertEquals(FrameWriter.Outcome.QUEUED, w.send(Frames.close(1000, "bye"), null, true));
    assertTrue(w.isClosed());
    assertEquals(
        FrameWriter.Outcome.CLOSED,
        w.send(frame(1, 1), null, false),
        "nothing after the close frame");
    pipe.room = 100;
    assertEquals(
        FrameWriter.Outcome.LAST_WRITTEN, w.flush(), "the owner may now shut the output down");
  }

  @Test
  void aSlowConsumerIsReportedByWhatWaitsBehindTheFrameBeingWrittenAndTheCutKeepsThatFrame() {
    Pipe pipe = new Pipe(10);
    MemoryBudget budget = new MemoryBudget(1 << 22);
    FrameWriter w = new FrameWriter(pipe, budget, 1000);
    // one frame far larger than the cap is fine on its own
    assertEquals(FrameWriter.Outcome.QUEUED, w.send(frame(50_000, 1), null, false));
    assertEquals(FrameWriter.Outcome.QUEUED, w.send(frame(900, 2), null, false));
    assertEquals(
        FrameWriter.Outcome.SLOW_CONSUMER,
        w.send(frame(200, 3), null, false),
        "1,106 + 204 behind it");
    w.drop(true); // the cut: the partly written head stays, then a close frame
    assertEquals(50_004 - 10, w.queued());
    assertEquals(50_004 - 10, budget.used(), "only the kept frame is still charged");
    assertEquals(FrameWriter.Outcome.QUEUED, w.send(Frames.close(1013, "slow"), null, true));
    pipe.room = 1 << 20;
    assertEquals(FrameWriter.Outcome.LAST_WRITTEN, w.flush());
    assertEquals(0, budget.used(), "everything returned");
    byte[] all = pipe.written.toByteArray();
    assertEquals(
        50_004 + 2 + 2 + 4,
        all.length,
        "the whole first frame, then the close frame (code + 'slow')");
    assertEquals((byte) 0x88, all[50_004]);
  }

  @Test
  void aBroadcastFrameSharedBySocketsIsChargedOnce() {
    MemoryBudget budget = new MemoryBudget(1 << 20);
    SharedMessage m = new SharedMessage(new byte[5000]);
    Pipe a = new Pipe(0);
    Pipe b = new Pipe(0);
    FrameWriter wa = new FrameWriter(a, budget, 1 << 20);
    FrameWriter wb = new FrameWriter(b, budget, 1 << 20);
    wa.send(m.frameView(), m, false);
    wb.send(m.frameView(), m, false);
    assertEquals(m.frameLength(), budget.used(), "two sockets hold it, it is charged once");
    a.room = 1 << 20;
    wa.flush();
    assertEquals(m.frameLength(), budget.used(), "one still holds it");
    wb.drop(false);
    assertEquals(0, budget.used());
    assertArrayEquals(m.frameView().array(), a.written.toByteArray());
  }

  @Test
  void aFrameThatDoesNotFitTheBudgetIsRefusedButAPartlyWrittenOneIsKept() {
    MemoryBudget budget = new MemoryBudget(1000);
    Pipe pipe = new Pipe(100);
    FrameWriter w = new FrameWriter(pipe, budget, 1 << 20);
    assertEquals(FrameWriter.Outcome.OVER_BUDGET, w.send(frame(5000, 1), null, false));
    assertEquals(
        5004 - 100,
        w.queued(),
        "its first 100 bytes are out: the rest must follow before anything else");
    w.drop(true);
    w.send(Frames.close(1013, ""), null, true);
    pipe.room = 1 << 20;
    assertEquals(FrameWriter.Outcome.LAST_WRITTEN, w.flush());
    assertEquals(
        5004 + 4,
        pipe.written.size(),
        "a whole frame, then the close frame: the stream is not torn");
    assertEquals(0, budget.used());
  }

  @Test
  void aBrokenChannelIsReported() {
    Pipe pipe = new Pipe(0);
    pipe.broken = true;
    FrameWriter w = new FrameWriter(pipe, new MemoryBudget(1000), 1000);
    assertEquals(FrameWriter.Outcome.BROKEN, w.send(frame(1, 1), null, false));
    assertEquals("connection reset", w.error().getMessage());
  }
}
