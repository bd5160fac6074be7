package nodenogg.webrtc.internal;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import nodenogg.webrtc.WebrtcNative;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one {@link PeerConnectionFactory} (three native threads), created with the first
 * room and kept for the life of the process: webrtc-java 0.14.0 leaves two native threads ({@code
 * AudioDeviceBuff}, {@code rtc-low-prio}) behind for every factory it disposes, so one factory for
 * all rooms is what keeps the thread count flat. Rooms take a {@link Lease} (counted, for
 * diagnostics) and release everything else they create (peer connections, data channels)
 * themselves.
 *
 * <p>The factory is created with a {@link HeadlessAudioDeviceModule}: without an audio device
 * module libwebrtc probes the sound system, and on a headless Linux machine that aborts the JVM.
 * Thread-safe.
 */
public final class NativeRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(NativeRuntime.class);
  private static final Object LOCK = new Object();
  private static int leases;
  private static HeadlessAudioDeviceModule audio;
  private static PeerConnectionFactory factory;

  private NativeRuntime() {}

  /**
   * A use of the shared factory; close it exactly once, after closing every connection made with
   * it.
   */
  public interface Lease extends AutoCloseable {
    PeerConnectionFactory factory();

    @Override
    void close();
  }

  /**
   * @throws nodenogg.webrtc.WebrtcUnavailableException when the native library cannot run here
   */
  public static Lease acquire() {
    WebrtcNative.require();
    synchronized (LOCK) {
      if (factory == null) {
        audio = new HeadlessAudioDeviceModule();
        try {
          factory = new PeerConnectionFactory(audio);
        } catch (RuntimeException | Error e) {
          audio.dispose();
          audio = null;
          throw new nodenogg.webrtc.WebrtcUnavailableException(
              "the native WebRTC factory could not be created: " + e, e);
        }
        LOG.debug("native WebRTC factory created");
      }
      leases++;
      PeerConnectionFactory f = factory;
      return new Lease() {
        private boolean closed;

        @Override
        public PeerConnectionFactory factory() {
          return f;
        }

        @Override
        public void close() {
          synchronized (LOCK) {
            if (!closed) {
              closed = true;
              leases--;
            }
          }
        }
      };
    }
  }

  /** Open leases (for tests). */
  public static int leases() {
    synchronized (LOCK) {
      return leases;
    }
  }
}
