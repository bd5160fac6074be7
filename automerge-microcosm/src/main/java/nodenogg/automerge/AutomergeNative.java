package nodenogg.automerge;

import org.automerge.Document;

/**
 * Loads the Automerge native library once and turns a failure into one clear {@link
 * AutomergeUnavailableException} naming the platform (instead of an {@code UnsatisfiedLinkError} or
 * the library's package-private exception surfacing from the first document call). Every
 * Automerge-backed class of this project calls {@link #require()} before touching the library.
 * Thread-safe.
 */
public final class AutomergeNative {
  private AutomergeNative() {}

  /** The library version this project is built and tested with. */
  public static final String LIBRARY = "org.automerge:automerge 0.0.7";

  private static volatile Throwable failure;
  private static volatile boolean loaded;

  /**
   * Makes sure the native library is loaded.
   *
   * @throws AutomergeUnavailableException if it cannot load here (the same exception on every later
   *     call)
   */
  public static void require() {
    if (loaded) {
      return;
    }
    synchronized (AutomergeNative.class) {
      if (loaded) {
        return;
      }
      if (failure == null) {
        try {
          new Document().free();
          loaded = true;
          return;
        } catch (RuntimeException | LinkageError e) {
          failure = e;
        }
      }
      throw unavailable(failure);
    }
  }

  /** True if the library loads on this platform (never throws). */
  public static boolean available() {
    try {
      require();
      return true;
    } catch (AutomergeUnavailableException e) {
      return false;
    }
  }

  static AutomergeUnavailableException unavailable(Throwable cause) {
    return new AutomergeUnavailableException(
        "the Automerge native library ("
            + LIBRARY
            + ") cannot load on this"
            + " platform (os.name="
            + System.getProperty("os.name")
            + ", os.arch="
            + System.getProperty("os.arch")
            + ", Java "
            + System.getProperty("java.version")
            + "): "
            + cause
            + ". It ships natives for Linux and macOS on x86_64 and aarch64 and for Windows on x86 and x86_64 (glibc"
            + " Linux only); on other platforms use the Yjs backend (YMicrocosm).",
        cause);
  }
}
