package nodenogg.sync.protocol;

import nodenogg.crdt.encoding.DecodingException;

/**
 * A sync, awareness or Hocuspocus message could not be decoded (truncated, bad varint, invalid
 * UTF-8, bad JSON, unknown message type). Nothing was applied. A host that gets this from a message
 * sent by a peer should close that peer's connection; other peers are unaffected.
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

  private ProtocolException(DecodingException cause) {
    super(cause.getMessage(), cause);
    this.offset = cause.offset();
  }

  /**
   * A message whose lib0 primitives did not decode (truncated, bad varint, invalid UTF-8): same
   * text and offset.
   */
  static ProtocolException of(DecodingException e) {
    return new ProtocolException(e);
  }

  /** Byte offset in the message where decoding failed, or -1 when not known. */
  public int offset() {
    return offset;
  }
}
