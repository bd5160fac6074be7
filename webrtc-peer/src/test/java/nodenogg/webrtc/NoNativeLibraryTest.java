package nodenogg.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A platform with no native WebRTC library: in a child JVM whose class path lacks webrtc-java's
 * platform jar (and one that claims an architecture webrtc-java has no build for), nothing crashes
 * — {@link WebrtcNative} says why and what to add, {@link WebrtcProvider#open} throws {@link
 * WebrtcUnavailableException} with that message, and {@code ./microcosm peer} prints it and exits
 * 1. (At build time the module's tests skip with the same message; nothing else in the build
 * depends on it.)
 */
class NoNativeLibraryTest {

  /** Run in the child JVM: reports what a user without the native library sees. */
  public static final class Probe {
    public static void main(String[] args) {
      System.out.println("reason: " + WebrtcNative.unavailableReason().orElse("(available)"));
      try {
        nodenogg.crdt.Doc doc = new nodenogg.crdt.Doc();
        WebrtcProvider.open(
                "room",
                doc,
                new nodenogg.sync.protocol.Awareness(doc.clientId()),
                WebrtcOptions.signaling("ws://127.0.0.1:1/signal"))
            .close();
        System.out.println("opened");
      } catch (WebrtcUnavailableException e) {
        System.out.println("refused: " + e.getMessage());
      }
    }
  }

  static String classPathWithoutNatives() {
    String classifier = WebrtcNative.platformClassifier();
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(
            e ->
                classifier == null
                    || !new File(e).getName().equals("webrtc-java-0.14.0-" + classifier + ".jar"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  @Test
  void withoutThePlatformJar() throws Exception {
    String cp = classPathWithoutNatives();
    try (ChildJvm probe = new ChildJvm(List.of(), cp, Probe.class.getName())) {
      assertEquals(0, probe.waitFor(60), probe.log());
      String out = String.join("\n", probe.out);
      if (WebrtcNative.platformClassifier() == null) {
        assertTrue(out.contains("has no native library for"), out);
      } else {
        assertTrue(out.contains("reason: WebRTC is not available: the native library "), out);
        assertTrue(
            out.contains(
                "add dev.onvoid.webrtc:webrtc-java:0.14.0:" + WebrtcNative.platformClassifier()),
            out);
      }
      assertTrue(out.contains("refused: WebRTC is not available"), out);
    }
    try (ChildJvm cli =
        new ChildJvm(
            List.of(),
            cp,
            "nodenogg.cli.Main",
            "peer",
            "--signal",
            "ws://127.0.0.1:1/signal",
            "--room",
            "abc")) {
      assertEquals(1, cli.waitFor(60), cli.log());
      assertTrue(
          cli.err.stream().anyMatch(l -> l.startsWith("microcosm peer: WebRTC is not available")),
          cli.log());
    }
  }

  @Test
  void onAnArchitectureWithoutABuild() throws Exception {
    try (ChildJvm probe =
        new ChildJvm(
            List.of("-Dos.arch=riscv64"),
            System.getProperty("java.class.path"),
            Probe.class.getName())) {
      assertEquals(0, probe.waitFor(60), probe.log());
      String out = String.join("\n", probe.out);
      assertTrue(
          out.contains("webrtc-java 0.14.0 has no native library for ") && out.contains("/riscv64"),
          out);
      assertTrue(out.contains("refused: WebRTC is not available"), out);
    }
  }
}
