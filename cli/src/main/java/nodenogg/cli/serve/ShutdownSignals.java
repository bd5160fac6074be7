package nodenogg.cli.serve;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over SIGTERM and SIGINT so that {@code ./microcosm serve} can shut down gracefully and exit
 * 0 (the JVM's own handlers run the shutdown hooks but exit 143 / 130, which process supervisors
 * read as a failure). Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every
 * OpenJDK); where it is missing the JVM's handling stays and the shutdown hook still stops the
 * server.
 */
final class ShutdownSignals {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

  private ShutdownSignals() {}

  /**
   * Calls {@code onSignal} with "TERM" or "INT" (on a signal-handler thread) instead of exiting.
   *
   * @return whether both handlers were installed
   */
  static boolean install(Consumer<String> onSignal) {
    boolean all = true;
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> onSignal.accept(name));
      } catch (IllegalArgumentException | LinkageError | SecurityException e) {
        LOG.debug("cannot handle SIG{} ({}); the JVM's default handling stays", name, e.toString());
        all = false;
      }
    }
    return all;
  }
}
