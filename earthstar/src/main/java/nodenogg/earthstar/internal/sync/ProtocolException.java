package nodenogg.earthstar.internal.sync;

/** A message that breaks the sync protocol; the connection that sent it is closed. */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String code;

  public ProtocolException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** Counter name, e.g. {@code malformed_message}. */
  public String code() {
    return code;
  }
}
