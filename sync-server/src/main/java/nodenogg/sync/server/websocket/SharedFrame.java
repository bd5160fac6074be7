package nodenogg.sync.server.websocket;

import java.nio.ByteBuffer;
import org.java_websocket.framing.BinaryFrame;

/**
 * Hands a {@link SharedMessage} to the library's send path; {@link CountingDraft} recognises it
 * and queues the pre-encoded frame instead of encoding the payload again.
 */
final class SharedFrame extends BinaryFrame {
  final SharedMessage message;

  SharedFrame(SharedMessage message) {
    this.message = message;
    setFin(true);
  }

  @Override
  public ByteBuffer getPayloadData() {
    return ByteBuffer.wrap(message.payload());
  }
}
