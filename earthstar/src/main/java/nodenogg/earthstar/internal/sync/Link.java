package nodenogg.earthstar.internal.sync;

/** The socket a sync session talks over. Implementations are thread-safe and never block. */
public interface Link {

  void sendText(String text);

  /** Closes the socket (idempotent). */
  void close(int code, String reason);
}
