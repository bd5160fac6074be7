package nodenogg.sync.protocol;

/**
 * A sync, awareness or Hocuspocus message could not be decoded (truncated, bad varint, invalid
 * UTF-8, bad JSON, unknown message type). Nothing was applied. A host that gets this from a
 * message sent by a peer should close that peer's connection; other peers are unaffected.
 */
public class ProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int offset;

  public ProtocolException(String message, int offset) {
    super(message + (offset >= 0 ? " (at byte " + offset + ")" : ""));
    this.offset = offset;
  }

  public ProtocolException(String message, int offset, Throwable cause) {
    this(message, offset);
    initCause(cause);
  }

  /** Byte offset in the message where decoding failed, or -1 when not known. */
  public int offset() {
    return offset;
  }
}
