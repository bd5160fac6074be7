package nodenogg.crdt;

/**
 * Root of every unchecked exception the engine throws for bad input or misuse; malformed bytes
 * throw its subclass {@link nodenogg.crdt.encoding.DecodingException} (with the byte offset),
 * updates that decode but cannot be applied throw {@link UpdateException}. A rejected update leaves
 * the document as it was.
 */
public class CrdtException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CrdtException(String message) {
    super(message);
  }

  public CrdtException(String message, Throwable cause) {
    super(message, cause);
  }
}
