package nodenogg.persistence;

/**
 * The stored data of one document is damaged: a row whose checksum does not match, bytes that are
 * not a valid update, or the database reporting corruption while reading that document. Only the
 * named document is affected; other documents of the same store still load.
 *
 * <p>What to do: run {@code ./microcosm store check --data DIR}; restore the document from a backup
 * or from a peer that still holds it (e.g. {@code ./microcosm store import}), or delete it.
 */
public final class CorruptDocumentException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String documentName;

  public CorruptDocumentException(String documentName, String detail, Throwable cause) {
    super(
        "document '"
            + documentName
            + "' is damaged in the store: "
            + detail
            + " (run `./microcosm store check`, then restore it from a backup or a peer, or delete it)",
        cause);
    this.documentName = documentName;
  }

  /** The name of the damaged document. */
  public String documentName() {
    return documentName;
  }
}
