package nodenogg.crdt;

/** Root of the engine's own unchecked exceptions (decoding errors are {@link nodenogg.crdt.encoding.DecodingException}). */
public class CrdtException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CrdtException(String message) {
        super(message);
    }

    public CrdtException(String message, Throwable cause) {
        super(message, cause);
    }
}
