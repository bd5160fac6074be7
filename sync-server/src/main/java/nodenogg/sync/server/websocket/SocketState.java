package nodenogg.sync.server.websocket;

/**
 * Where an accepted socket is in its life: {@link #HEAD} (collecting the request head) then {@link
 * #OPEN} (a WebSocket) or {@link #ANSWERED} (a plain HTTP response being flushed), then {@link
 * #CLOSING} (a close frame sent or queued; nothing more is sent), {@link #DRAINING} (output shut
 * down after the close frame was flushed; input is read and dropped until the peer closes, so
 * unread bytes never turn our close into a reset), and {@link #DONE} (socket closed).
 */
enum SocketState {
  HEAD,
  OPEN,
  ANSWERED,
  CLOSING,
  DRAINING,
  DONE
}
