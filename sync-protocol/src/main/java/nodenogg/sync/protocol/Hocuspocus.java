package nodenogg.sync.protocol;

import nodenogg.crdt.encoding.DecodingException;
import nodenogg.crdt.encoding.Lib0Decoder;
import nodenogg.crdt.encoding.Lib0Encoder;

/**
 * Hocuspocus framing (server 4.7, provider 2.15/4.8): every message is {@code vs address, vu type,
 * body}, where the address is the document name, or {@code name + "\0" + sessionId}.
 * Connection-level Ping/Pong are a single byte without address. Encoders return whole WebSocket
 * messages; {@link #decode} splits one. Stateless and thread-safe.
 */
public final class Hocuspocus {
  public static final int SYNC = 0;
  public static final int AWARENESS = 1;
  public static final int AUTH = 2;
  public static final int QUERY_AWARENESS = 3;
  public static final int SYNC_REPLY = 4;
  public static final int STATELESS = 5;
  public static final int BROADCAST_STATELESS = 6;
  public static final int CLOSE = 7;
  public static final int SYNC_STATUS = 8;
  public static final int PING = 9;
  public static final int PONG = 10;

  /** Auth subtypes ({@code @hocuspocus/common} auth.ts). */
  public static final int AUTH_TOKEN = 0;

  public static final int AUTH_PERMISSION_DENIED = 1;
  public static final int AUTH_AUTHENTICATED = 2;

  public static final String SCOPE_READ_WRITE = "read-write";
  public static final String SCOPE_READ_ONLY = "readonly";

  private Hocuspocus() {}

  /**
   * One decoded message. {@code address} is null for connection-level Ping/Pong. {@code body} reads
   * the rest of the message after the type (a malformed body throws the decoder's {@link
   * DecodingException} when it is read).
   */
  public record Frame(String address, int type, Lib0Decoder body) {
    /** The document name: the address up to an optional NUL and session id. */
    public String documentName() {
      if (address == null) {
        return null;
      }
      int i = address.indexOf('\0');
      return i < 0 ? address : address.substring(0, i);
    }

    public boolean isConnectionLevel() {
      return address == null;
    }
  }

  /**
   * Splits a message into address, type and body; the body is not validated here.
   *
   * @throws ProtocolException when the address or type cannot be read
   */
  public static Frame decode(byte[] message) {
    if (message.length == 1 && (message[0] == PING || message[0] == PONG)) {
      return new Frame(null, message[0], new Lib0Decoder(new byte[0]));
    }
    Lib0Decoder r = new Lib0Decoder(message);
    try {
      String address = r.readVarString();
      int at = r.pos();
      long type = r.readVarUint();
      if (type > Integer.MAX_VALUE) {
        throw new ProtocolException("message type out of range: " + type, at);
      }
      return new Frame(address, (int) type, r);
    } catch (DecodingException e) {
      throw ProtocolException.of(e);
    }
  }

  private static Lib0Encoder start(String address, int type, int extra) {
    return new Lib0Encoder(address.length() + extra + 8).writeVarString(address).writeVarUint(type);
  }

  public static byte[] syncStep1(String address, byte[] stateVector) {
    Lib0Encoder w = start(address, SYNC, stateVector.length + 4);
    SyncProtocol.writeStep1(w, stateVector);
    return w.toByteArray();
  }

  public static byte[] syncStep2(String address, byte[] update) {
    Lib0Encoder w = start(address, SYNC, update.length + 4);
    SyncProtocol.writeStep2(w, update);
    return w.toByteArray();
  }

  public static byte[] syncUpdate(String address, byte[] update) {
    Lib0Encoder w = start(address, SYNC, update.length + 4);
    SyncProtocol.writeUpdate(w, update);
    return w.toByteArray();
  }

  public static byte[] awareness(String address, byte[] awarenessUpdate) {
    return start(address, AWARENESS, awarenessUpdate.length + 4)
        .writeVarUint8Array(awarenessUpdate)
        .toByteArray();
  }

  public static byte[] queryAwareness(String address) {
    return start(address, QUERY_AWARENESS, 0).toByteArray();
  }

  /** Client to server: the token, then the provider version string (4.x sends it; 2.x does not). */
  public static byte[] authToken(String address, String token, String providerVersion) {
    Lib0Encoder w = start(address, AUTH, 16).writeVarUint(AUTH_TOKEN).writeVarString(token);
    if (providerVersion != null) {
      w.writeVarString(providerVersion);
    }
    return w.toByteArray();
  }

  /** Server to client: "send your token again" (a Token subtype with no string). */
  public static byte[] tokenSyncRequest(String address) {
    return start(address, AUTH, 1).writeVarUint(AUTH_TOKEN).toByteArray();
  }

  public static byte[] authenticated(String address, boolean readOnly) {
    return start(address, AUTH, 12)
        .writeVarUint(AUTH_AUTHENTICATED)
        .writeVarString(readOnly ? SCOPE_READ_ONLY : SCOPE_READ_WRITE)
        .toByteArray();
  }

  public static byte[] permissionDenied(String address, String reason) {
    return start(address, AUTH, 20)
        .writeVarUint(AUTH_PERMISSION_DENIED)
        .writeVarString(reason)
        .toByteArray();
  }

  public static byte[] stateless(String address, String payload) {
    return start(address, STATELESS, payload.length() + 4).writeVarString(payload).toByteArray();
  }

  /** Client to server CLOSE has an empty body. */
  public static byte[] closeRequest(String address) {
    return start(address, CLOSE, 0).toByteArray();
  }

  /** Server to client CLOSE carries a reason. */
  public static byte[] close(String address, String reason) {
    return start(address, CLOSE, reason.length() + 4).writeVarString(reason).toByteArray();
  }

  public static byte[] syncStatus(String address, boolean applied) {
    return start(address, SYNC_STATUS, 1).writeVarUint(applied ? 1 : 0).toByteArray();
  }

  public static byte[] ping() {
    return new byte[] {PING};
  }

  public static byte[] pong() {
    return new byte[] {PONG};
  }
}
