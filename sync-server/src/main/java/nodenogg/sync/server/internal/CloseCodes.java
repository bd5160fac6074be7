package nodenogg.sync.server.internal;

/** WebSocket close codes the sync server uses (Hocuspocus codes from {@code @hocuspocus/common}). */
public final class CloseCodes {
  /** A message that cannot be decoded. */
  public static final int PROTOCOL_ERROR = 1002;
  /** A client sent a server-only message type. */
  public static final int POLICY_VIOLATION = 1008;
  /** The server is shutting down. */
  public static final int GOING_AWAY = 1001;
  /** Hocuspocus ResetConnection: pre-authentication limits exceeded. */
  public static final int RESET_CONNECTION = 4205;
  /** Hocuspocus Unauthorized. */
  public static final int UNAUTHORIZED = 4401;
  /** Hocuspocus ConnectionTimeout: no authentication in time, or idle. */
  public static final int CONNECTION_TIMEOUT = 4408;
  /** Storage failed; the client should reconnect and resync. */
  public static final int TRY_AGAIN = 1013;

  private CloseCodes() {}
}
