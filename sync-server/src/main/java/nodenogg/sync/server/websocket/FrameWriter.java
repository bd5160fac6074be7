package nodenogg.sync.server.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;

/**
 * The output side of one socket: encoded frames are written straight to the channel while nothing
 * is queued, and only what the channel does not take is queued, to be written when it becomes
 * writable. Queued frames are charged to the {@link MemoryBudget} (a broadcast frame shared by many
 * sockets through its {@link SharedMessage}, once for all of them); the last frame (a close frame
 * or an HTTP answer) closes the output and is not charged. It says what happened and leaves the
 * reaction (cut, close, interest in writability) to its owner.
 *
 * <p>Slow consumers: when more than {@code maxBufferedBytes} wait behind the frame being written,
 * {@link #send} reports {@link Outcome#SLOW_CONSUMER}; the owner then {@link #drop}s the backlog,
 * keeping a partly written frame (its remainder must still go out, or the stream would be corrupt).
 *
 * <p>Not thread-safe: every method must be called with the owning socket's lock held.
 */
final class FrameWriter {

  /** What {@link #send} or {@link #flush} did. */
  enum Outcome {
    /** Everything is written (send: the frame; flush: the whole queue). */
    WRITTEN,
    /** The last frame is written: the output can be shut down. */
    LAST_WRITTEN,
    /** Some bytes wait in the queue: write again when the channel is writable. */
    QUEUED,
    /** The output is closed: nothing was written. */
    CLOSED,
    /** The channel failed ({@link #error()}). */
    BROKEN,
    /**
     * The queued frame does not fit in the budget (a partly written frame stays queued, uncharged).
     */
    OVER_BUDGET,
    /** More than {@code maxBufferedBytes} now wait behind the frame being written. */
    SLOW_CONSUMER
  }

  /**
   * One queued frame: its bytes, and what to return to the budget once it is written or dropped.
   */
  private static final class Out {
    final ByteBuffer buf;
    final int start;
    final SharedMessage shared; // charged through the message (once for all sockets), or null
    final long charged; // bytes this socket charged for it (own frames)

    Out(ByteBuffer buf, int start, SharedMessage shared, long charged) {
      this.buf = buf;
      this.start = start;
      this.shared = shared;
      this.charged = charged;
    }

    boolean started() {
      return buf.position() != start;
    }
  }

  private final WritableByteChannel channel;
  private final MemoryBudget budget;
  private final long maxBufferedBytes;
  private ArrayDeque<Out> out; // lazily: most sockets never queue
  private long queued; // bytes in out not yet written
  private boolean closed;
  private boolean lastQueued;
  private IOException error;

  FrameWriter(WritableByteChannel channel, MemoryBudget budget, long maxBufferedBytes) {
    this.channel = channel;
    this.budget = budget;
    this.maxBufferedBytes = maxBufferedBytes;
  }

  /** Bytes queued and not yet written. */
  long queued() {
    return queued;
  }

  boolean isClosed() {
    return closed;
  }

  /** The channel's failure after {@link Outcome#BROKEN}. */
  IOException error() {
    return error;
  }

  /**
   * Writes {@code frame} now if nothing is queued, else queues it (charged). {@code shared} is the
   * broadcast it belongs to, or null. {@code last} closes the output after it.
   */
  Outcome send(ByteBuffer frame, SharedMessage shared, boolean last) {
    if (closed) {
      return Outcome.CLOSED;
    }
    if (last) {
      closed = true;
    }
    int start = frame.position(); // a frame partly written now must still be finished after a cut
    if (out == null || out.isEmpty()) {
      try {
        channel.write(frame);
      } catch (IOException e) {
        error = e;
        return Outcome.BROKEN;
      }
      if (!frame.hasRemaining()) {
        return last ? Outcome.LAST_WRITTEN : Outcome.WRITTEN;
      }
    }
    if (out == null) {
      out = new ArrayDeque<>(4);
    }
    long charge = 0;
    boolean fits = true;
    if (last) {
      // a close frame or an HTTP answer: small, and it must go out; not charged
    } else if (shared != null) {
      fits = shared.hold(budget);
    } else {
      charge = frame.remaining();
      fits = budget.tryCharge(charge);
    }
    if (!fits) {
      if (frame.position() != start) {
        out.add(new Out(frame, start, null, 0)); // its remainder must go out before anything else
        queued += frame.remaining();
      }
      return Outcome.OVER_BUDGET;
    }
    out.add(new Out(frame, start, last ? null : shared, charge));
    queued += frame.remaining();
    if (last) {
      lastQueued = true;
    } else if (queued - out.peek().buf.remaining() > maxBufferedBytes) {
      return Outcome.SLOW_CONSUMER;
    }
    return Outcome.QUEUED;
  }

  /** Writes what the channel takes of the queue (the channel became writable). */
  Outcome flush() {
    if (out == null) {
      return Outcome.WRITTEN;
    }
    Out next;
    while ((next = out.peek()) != null) {
      int before = next.buf.remaining();
      try {
        channel.write(next.buf);
      } catch (IOException e) {
        error = e;
        return Outcome.BROKEN;
      }
      queued -= before - next.buf.remaining();
      if (next.buf.hasRemaining()) {
        return Outcome.QUEUED;
      }
      out.poll();
      release(next);
    }
    out = null;
    if (lastQueued) {
      lastQueued = false;
      return Outcome.LAST_WRITTEN;
    }
    return Outcome.WRITTEN;
  }

  /**
   * Drops every queued frame (returning their charges); with {@code keepStartedHead}, a partly
   * written frame at the head stays (a close frame may follow it), else the output is closed too.
   */
  void drop(boolean keepStartedHead) {
    if (!keepStartedHead) {
      closed = true;
    }
    lastQueued = false;
    if (out == null) {
      queued = 0;
      return;
    }
    Out head = out.peek();
    boolean keep = keepStartedHead && head != null && head.started();
    for (Out o : out) {
      if (!(keep && o == head)) {
        release(o);
      }
    }
    out.clear();
    queued = 0;
    if (keep) {
      out.add(head);
      queued = head.buf.remaining();
    } else {
      out = null;
    }
  }

  private void release(Out o) {
    if (o.shared != null) {
      o.shared.unhold();
    } else if (o.charged > 0) {
      budget.release(o.charged);
    }
  }
}
