package nodenogg.webrtc;

/**
 * WebRTC cannot run in this JVM: webrtc-java has no native library for this platform on the class
 * path, or the library failed to load (a missing system library). The message says which and what
 * to do.
 */
public final class WebrtcUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WebrtcUnavailableException(String message) {
    super(message);
  }

  public WebrtcUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
