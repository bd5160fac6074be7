package nodenogg.webrtc;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the native WebRTC stack (webrtc-java 0.14.0's libwebrtc build) can run in this JVM. The
 * native library comes from a platform jar ({@code
 * dev.onvoid.webrtc:webrtc-java:0.14.0:<classifier>}, classifiers {@code linux-x86_64}, {@code
 * linux-aarch64}, {@code macos-x86_64}, {@code macos-aarch64}, {@code windows-x86_64}); this
 * module's pom adds the one for the build platform.
 *
 * <p>The check looks for the library on the class path first (so a platform without one gets a
 * clear message instead of webrtc-java's NullPointerException), then loads it once. Thread-safe;
 * the result is computed once per JVM.
 */
public final class WebrtcNative {
  private static volatile Optional<String> problem;

  private WebrtcNative() {}

  /** Empty when WebRTC can run here; otherwise why not and what to do. */
  public static Optional<String> unavailableReason() {
    Optional<String> p = problem;
    if (p == null) {
      synchronized (WebrtcNative.class) {
        p = problem;
        if (p == null) {
          p = Optional.ofNullable(check());
          problem = p;
        }
      }
    }
    return p;
  }

  /** Whether WebRTC can run here. */
  public static boolean isAvailable() {
    return unavailableReason().isEmpty();
  }

  /**
   * @throws WebrtcUnavailableException with the reason when WebRTC cannot run here
   */
  public static void require() {
    unavailableReason()
        .ifPresent(
            reason -> {
              throw new WebrtcUnavailableException(reason);
            });
  }

  /**
   * The webrtc-java classifier of this platform, or null when webrtc-java publishes none for it.
   */
  public static String platformClassifier() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String family =
        os.startsWith("linux")
            ? "linux"
            : os.startsWith("mac os") ? "macos" : os.startsWith("windows") ? "windows" : null;
    String cpu =
        switch (arch) {
          case "x86_64", "x86-64", "amd64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          default -> null;
        };
    if (family == null || cpu == null || (family.equals("windows") && !cpu.equals("x86_64"))) {
      return null;
    }
    return family + "-" + cpu;
  }

  private static String check() {
    String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    String classifier = platformClassifier();
    if (classifier == null) {
      return "WebRTC is not available: webrtc-java 0.14.0 has no native library for "
          + platform
          + " (it ships linux-x86_64, linux-aarch64, macos-x86_64, macos-aarch64, windows-x86_64)";
    }
    String lib = System.mapLibraryName("webrtc-java-" + classifier);
    ClassLoader loader = WebrtcNative.class.getClassLoader();
    if (loader.getResource(lib) == null) {
      return "WebRTC is not available: the native library "
          + lib
          + " is not on the class path; add "
          + "dev.onvoid.webrtc:webrtc-java:0.14.0:"
          + classifier
          + " (jar) next to webrtc-java";
    }
    try {
      Class.forName("dev.onvoid.webrtc.PeerConnectionFactory", true, loader);
      return null;
    } catch (LinkageError | ClassNotFoundException | RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return "WebRTC is not available: the native library "
          + lib
          + " did not load ("
          + root
          + "); on Debian/Ubuntu it needs libpulse0, libx11-6, libxfixes3, libxrandr2, libxcomposite1, libudev1 "
          + "and libdbus-1-3";
    }
  }
}
