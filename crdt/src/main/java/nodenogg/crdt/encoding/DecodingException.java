package nodenogg.crdt.encoding;

/**
 * Thrown when bytes cannot be decoded: truncated input, an integer out of range, invalid UTF-8, an
 * unknown tag, or a count that the remaining input cannot possibly hold. Unchecked; carries the
 * byte offset at which decoding failed and what was expected there. Thread-safety: immutable.
 *
 * <p>It extends {@link nodenogg.crdt.CrdtException} so that every rejection of an update has one
 * exception root, as the engine's API promises; that is the only reference from this leaf package
 * into the engine.
 */
public class DecodingException extends nodenogg.crdt.CrdtException {
  private static final long serialVersionUID = 1L;
  private final int offset;
  private final String expected;

  public DecodingException(int offset, String expected, String message) {
    super(message + " (at byte " + offset + ", expected " + expected + ")");
    this.offset = offset;
    this.expected = expected;
  }

  /** Byte offset in the input at which decoding failed. */
  public int offset() {
    return offset;
  }

  /** What the decoder expected to read at {@link #offset()}. */
  public String expected() {
    return expected;
  }
}
