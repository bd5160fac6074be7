package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.Handshakedata;

/**
 * RFC 6455 without extensions (no permessage-deflate, so no inflate bombs), with a message size
 * cap, counting every byte it hands to the library's outgoing queue. The library copies one draft
 * per connection ({@link #copyInstance()}), so each connection has its own counter; together with
 * {@link CountingChannel}'s written count it gives the connection's outgoing backlog.
 */
final class CountingDraft extends Draft_6455 {

  private final AtomicLong produced = new AtomicLong();

  CountingDraft(int maxMessageBytes) {
    super(Collections.emptyList(), maxMessageBytes);
  }

  long produced() {
    return produced.get();
  }

  @Override
  public ByteBuffer createBinaryFrame(Framedata framedata) {
    ByteBuffer frame = framedata instanceof SharedFrame
        ? ((SharedFrame) framedata).message.frameView() // encoded once for every receiver
        : super.createBinaryFrame(framedata);
    produced.addAndGet(frame.remaining());
    return frame;
  }

  @Override
  public List<ByteBuffer> createHandshake(Handshakedata handshakedata, boolean withcontent) {
    List<ByteBuffer> buffers = super.createHandshake(handshakedata, withcontent);
    for (ByteBuffer b : buffers) {
      produced.addAndGet(b.remaining());
    }
    return buffers;
  }

  @Override
  public Draft copyInstance() {
    return new CountingDraft(getMaxFrameSize());
  }
}
