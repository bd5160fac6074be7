package nodenogg.sync.server.internal;

/**
 * One client connection's membership in one document, as the document sees it; implemented by the
 * Hocuspocus and y-websocket protocol handlers. Also used as the transaction origin of the peer's
 * updates. Implementations must be thread-safe (sends come from document and store threads).
 */
public interface DocPeer {

  /**
   * Sends an applied update (broadcast); encode it through {@link Broadcast#message} to share
   * bytes.
   */
  void sendUpdate(Broadcast update);

  /** Sends an awareness update. */
  void sendAwareness(byte[] awarenessUpdate);

  /** Remote address ({@code host:port}), for hooks, logs and awareness id reservations. */
  String remoteAddress();

  /**
   * When the client's connection opened (epoch millis); a reconnection is newer than the connection
   * it replaces.
   */
  default long connectedAtMillis() {
    return 0;
  }

  /** The document cannot guarantee durability any more (the store failed): end this membership. */
  void abort(String reason);
}
