package nodenogg.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * One top-level subcommand of {@code ./microcosm}. Implementations live in {@code nodenogg.cli.*}
 * packages and are found by {@link Main} by class name, so areas add commands without touching a
 * shared registry.
 *
 * <p>Exit-code contract shared by every command: 0 success, 2 bad input or bad usage (a one-line
 * typed error on stderr), 1 any other failure.
 */
public interface Command {

  /** Runs the command. {@code args} excludes the subcommand name itself. */
  int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception;
}
