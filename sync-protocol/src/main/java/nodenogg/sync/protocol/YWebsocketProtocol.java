package nodenogg.sync.protocol;

import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * The y-websocket outer frame: {@code vu outerType} then a body. 0 Sync (a sync message), 1
 * Awareness (vb awareness update), 2 Auth ({@code vu 0 permissionDenied, vs reason}), 3
 * QueryAwareness (empty). Stateless and thread-safe.
 */
public final class YWebsocketProtocol {
  public static final int SYNC = 0;
  public static final int AWARENESS = 1;
  public static final int AUTH = 2;
  public static final int QUERY_AWARENESS = 3;

  private YWebsocketProtocol() {}

  public static byte[] step1(byte[] stateVector) {
    Lib0Encoder w = new Lib0Encoder(stateVector.length + 8).writeVarUint(SYNC);
    SyncProtocol.writeStep1(w, stateVector);
    return w.toByteArray();
  }

  public static byte[] step2(byte[] update) {
    Lib0Encoder w = new Lib0Encoder(update.length + 8).writeVarUint(SYNC);
    SyncProtocol.writeStep2(w, update);
    return w.toByteArray();
  }

  public static byte[] update(byte[] update) {
    Lib0Encoder w = new Lib0Encoder(update.length + 8).writeVarUint(SYNC);
    SyncProtocol.writeUpdate(w, update);
    return w.toByteArray();
  }

  public static byte[] awareness(byte[] awarenessUpdate) {
    return new Lib0Encoder(awarenessUpdate.length + 8)
        .writeVarUint(AWARENESS)
        .writeVarUint8Array(awarenessUpdate)
        .toByteArray();
  }

  public static byte[] queryAwareness() {
    return new byte[] {QUERY_AWARENESS};
  }

  public static byte[] permissionDenied(String reason) {
    return new Lib0Encoder()
        .writeVarUint(AUTH)
        .writeVarUint(0)
        .writeVarString(reason)
        .toByteArray();
  }
}
