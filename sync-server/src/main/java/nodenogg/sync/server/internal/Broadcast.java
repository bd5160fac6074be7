package nodenogg.sync.server.internal;

import java.util.Objects;
import java.util.function.Function;
import nodenogg.sync.server.websocket.SharedMessage;

/**
 * One stored update on its way to every peer of a document. Peers of one protocol and address would
 * all send the same bytes, so the first peer encodes the protocol message (and its WebSocket frame)
 * and the others reuse it. Used only on the document's executor; not thread-safe.
 */
public final class Broadcast {
  private final byte[] update;
  private Object lastKey; // almost always a single key per document; a miss re-encodes
  private SharedMessage lastMessage;

  Broadcast(byte[] update) {
    this.update = update;
  }

  /** The Yjs update being broadcast. */
  public byte[] update() {
    return update;
  }

  /**
   * The encoded message for {@code key} (identifying protocol and address), built with {@code
   * encoder} from the update the first time a key is asked for.
   */
  public SharedMessage message(Object key, Function<byte[], byte[]> encoder) {
    if (lastMessage == null || !Objects.equals(lastKey, key)) {
      lastKey = key;
      lastMessage = new SharedMessage(encoder.apply(update));
    }
    return lastMessage;
  }
}
