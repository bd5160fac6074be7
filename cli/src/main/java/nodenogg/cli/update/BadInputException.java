package nodenogg.cli.update;

/** Input the update commands cannot use (bad base64, a rejected update, bad JSON); exit code 2. */
final class BadInputException extends Exception {
  private static final long serialVersionUID = 1L;

  BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  BadInputException(String message) {
    super(message);
  }
}
