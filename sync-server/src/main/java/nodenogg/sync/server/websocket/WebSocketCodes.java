package nodenogg.sync.server.websocket;

/**
 * WebSocket opcodes and close codes in one place: RFC 6455 (sections 5.2 and 7.4.1) and the
 * application codes the sync protocols close with (Hocuspocus's {@code @hocuspocus/common}; the
 * y-websocket client does not reconnect after 4400–4499, both Hocuspocus providers and y-websocket
 * do after 1013). Constants only; stateless.
 */
public final class WebSocketCodes {
  private WebSocketCodes() {}

  // ---- opcodes (RFC 6455 5.2) ----
  public static final int OP_CONTINUATION = 0;
  public static final int OP_TEXT = 1;
  public static final int OP_BINARY = 2;
  public static final int OP_CLOSE = 8;
  public static final int OP_PING = 9;
  public static final int OP_PONG = 10;

  // ---- close codes (RFC 6455 7.4.1) ----
  /** The purpose of the connection was fulfilled (also: idle timeout). */
  public static final int NORMAL = 1000;

  /** The server is going away (shutting down). */
  public static final int GOING_AWAY = 1001;

  /** A frame or message that breaks the protocol (WebSocket or the sync protocol on top). */
  public static final int PROTOCOL_ERROR = 1002;

  /** A data type this endpoint does not accept (text on a binary path, or the reverse). */
  public static final int UNSUPPORTED_DATA = 1003;

  /** Never sent: a close frame without a status code is reported as this. */
  public static final int NO_STATUS = 1005;

  /** Never sent: the connection dropped without a close frame. */
  public static final int ABNORMAL = 1006;

  /** Data inconsistent with its type (text that is not UTF-8). */
  public static final int INVALID_PAYLOAD = 1007;

  /** A message that violates the server's policy (a client sent a server-only message type). */
  public static final int POLICY_VIOLATION = 1008;

  /** A message over the size limit. */
  public static final int MESSAGE_TOO_BIG = 1009;

  /** The server failed while handling the connection. */
  public static final int INTERNAL_ERROR = 1011;

  /**
   * Try again later: slow consumer, memory budget, a document whose store failed. Clients
   * reconnect.
   */
  public static final int TRY_AGAIN_LATER = 1013;

  // ---- application codes (Hocuspocus, @hocuspocus/common) ----
  /** Hocuspocus ResetConnection: limits before authentication exceeded. */
  public static final int RESET_CONNECTION = 4205;

  /** Hocuspocus Unauthorized (y-websocket does not reconnect after 44xx). */
  public static final int UNAUTHORIZED = 4401;

  /** Hocuspocus ConnectionTimeout: no authentication in time, or idle. */
  public static final int CONNECTION_TIMEOUT = 4408;

  /** Whether {@code opcode} is a control frame's (8 and up). */
  static boolean isControl(int opcode) {
    return opcode >= OP_CLOSE;
  }

  /** Close codes a close frame may carry (RFC 6455 7.4): 1000–1003, 1007–1014, 3000–4999. */
  public static boolean isSendable(int code) {
    if (code >= 3000 && code <= 4999) {
      return true;
    }
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
  }
}
