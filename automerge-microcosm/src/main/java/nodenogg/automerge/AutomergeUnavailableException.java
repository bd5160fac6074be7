package nodenogg.automerge;

/**
 * The Automerge native library ({@code org.automerge:automerge}, JNI) cannot be loaded on this
 * platform. The message names the platform and the platforms the library ships natives for. Nothing
 * Automerge-backed works in this JVM then; the rest of nodenogg-sync (Yjs) does.
 */
public final class AutomergeUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public AutomergeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
