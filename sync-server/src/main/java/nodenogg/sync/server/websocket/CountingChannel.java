package nodenogg.sync.server.websocket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;

/** The accepted socket, counting bytes actually written to it (for the backlog measure). */
final class CountingChannel implements ByteChannel {

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
    int n = socket.write(src);
    if (n > 0) {
      owner.addWritten(n);
    }
    return n;
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
