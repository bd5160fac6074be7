package nodenogg.sync.client;

/** Where a client's connection stands, as observed on the socket (not guessed). */
public enum ConnectionState {
  /** Opening the socket (first time or after a drop). */
  CONNECTING,
  /** The socket is open and the server has answered at least once. */
  CONNECTED,
  /** The socket dropped; a reconnect is scheduled. Local edits are kept and sent when back. */
  DISCONNECTED,
  /** Closed by the application (or refused for good); no more reconnects. */
  CLOSED
}
