package nodenogg.sync.server.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The accepted socket, counting bytes actually written to it (for the backlog measure). Writes
 * gather: the library writes its outgoing queue one buffer (one frame) per call, so when asked to
 * write the queue's head this writes the frames queued behind it in the same system call; the
 * library then finds those buffers empty and moves on without another call.
 */
final class CountingChannel implements ByteChannel {

  private static final int MAX_GATHER = 64;
  private static final long MAX_GATHER_BYTES = 256 * 1024;

  private final SocketChannel socket;
  private final WireSocket owner;

  CountingChannel(SocketChannel socket, WireSocket owner) {
    this.socket = socket;
    this.owner = owner;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return socket.read(dst);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (!src.hasRemaining()) {
      return 0; // already written by an earlier gathering write
    }
    ByteBuffer[] batch = gather(src);
    long n = batch == null ? socket.write(src) : socket.write(batch);
    if (n > 0) {
      owner.addWritten(n);
    }
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  /** src followed by the buffers queued behind it (bounded), or null to write src alone. */
  private ByteBuffer[] gather(ByteBuffer src) {
    Iterator<ByteBuffer> it = owner.outQueue.iterator();
    if (!it.hasNext() || it.next() != src || !it.hasNext()) {
      return null;
    }
    List<ByteBuffer> out = new ArrayList<>();
    out.add(src);
    long bytes = src.remaining();
    while (it.hasNext() && out.size() < MAX_GATHER && bytes < MAX_GATHER_BYTES) {
      ByteBuffer b = it.next();
      out.add(b);
      bytes += b.remaining();
    }
    return out.toArray(new ByteBuffer[0]);
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
