package nodenogg.webrtc;

import org.junit.jupiter.api.Assumptions;

/** Test helper: skips a test with the reason when the native WebRTC library cannot run here. */
final class NativeWebrtc {
  private NativeWebrtc() {}

  static void assumeAvailable() {
    Assumptions.assumeTrue(
        WebrtcNative.isAvailable(),
        () -> "webrtc-peer tests skipped: " + WebrtcNative.unavailableReason().orElse(""));
  }
}
