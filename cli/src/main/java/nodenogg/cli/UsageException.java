package nodenogg.cli;

/** Bad command-line usage; {@link Main} prints the message and exits with code 2. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
