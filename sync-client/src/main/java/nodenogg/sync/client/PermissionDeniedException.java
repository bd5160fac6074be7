package nodenogg.sync.client;

/** The server refused access to a document (Hocuspocus PermissionDenied or y-websocket auth). */
public class PermissionDeniedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String document;
  private final String reason;

  public PermissionDeniedException(String document, String reason) {
    super(
        "access to document '"
            + document
            + "' was denied by the server: "
            + reason
            + " (check the token)");
    this.document = document;
    this.reason = reason;
  }

  public String document() {
    return document;
  }

  public String reason() {
    return reason;
  }
}
