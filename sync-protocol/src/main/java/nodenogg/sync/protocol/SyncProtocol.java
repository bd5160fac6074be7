package nodenogg.sync.protocol;

import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * The y-protocols sync messages (sync.js, update format v1): {@code vu type, vb payload} with type
 * 0 SyncStep1 (state vector), 1 SyncStep2 (diff), 2 Update. Sans-IO: hosts frame these inside
 * y-websocket or Hocuspocus messages. Stateless and thread-safe.
 */
public final class SyncProtocol {
  public static final int STEP1 = 0;
  public static final int STEP2 = 1;
  public static final int UPDATE = 2;

  private SyncProtocol() {}

  /** One decoded sync message. */
  public record Message(int type, byte[] payload) {
    public boolean isStep1() {
      return type == STEP1;
    }

    /** Step2 and Update both carry a v1 update to apply. */
    public boolean carriesUpdate() {
      return type == STEP2 || type == UPDATE;
    }
  }

  public static void writeStep1(Lib0Encoder w, byte[] stateVector) {
    w.writeVarUint(STEP1).writeVarUint8Array(stateVector);
  }

  public static void writeStep2(Lib0Encoder w, byte[] update) {
    w.writeVarUint(STEP2).writeVarUint8Array(update);
  }

  public static void writeUpdate(Lib0Encoder w, byte[] update) {
    w.writeVarUint(UPDATE).writeVarUint8Array(update);
  }

  /** Step1 carrying the document's state vector. */
  public static void writeStep1(Lib0Encoder w, SyncDocument doc) {
    writeStep1(w, doc.stateVector());
  }

  /**
   * Reads one sync message; an unknown type throws as in y-protocols ("Unknown message type").
   *
   * @throws ProtocolException for an unknown type or bytes that do not decode
   */
  public static Message read(Lib0Decoder r) {
    try {
      int at = r.pos();
      long type = r.readVarUint();
      if (type != STEP1 && type != STEP2 && type != UPDATE) {
        throw new ProtocolException("unknown sync message type " + type, at);
      }
      return new Message((int) type, r.readVarUint8Array());
    } catch (DecodingException e) {
      throw ProtocolException.of(e);
    }
  }

  /**
   * Handles a sync message the way y-protocols {@code readSyncMessage} does: a Step1 is answered
   * with a Step2 written to {@code reply}; Step2/Update are applied with {@code origin}.
   *
   * @return the message that was read
   */
  public static Message handle(Lib0Decoder r, Lib0Encoder reply, SyncDocument doc, Object origin) {
    Message m = read(r);
    if (m.isStep1()) {
      writeStep2(reply, doc.diff(m.payload()));
    } else {
      doc.apply(m.payload(), origin);
    }
    return m;
  }
}
