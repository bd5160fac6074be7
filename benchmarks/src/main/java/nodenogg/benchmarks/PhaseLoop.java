package nodenogg.benchmarks;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import nodenogg.crdt.Doc;
import nodenogg.crdt.Updates;

/**
 * Repeats one phase of a trace replay for a while, for a profiler (JFR, async-profiler) to sample
 * it without the other phases in the way:
 *
 * <pre>
 *   java -XX:StartFlightRecording=filename=remote.jfr,settings=profile -cp benchmarks.jar \
 *     nodenogg.benchmarks.BenchMain loop FILE --phase local|remote|encode|parse [--seconds S]
 * </pre>
 *
 * Prints the phase's CPU and wall milliseconds per repetition (one line per repetition) on {@code
 * out}. Not a benchmark report: use {@code trace} (or {@code benchmarks/compare.sh}) for numbers.
 */
final class PhaseLoop {
  private PhaseLoop() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String file = null;
    String phase = "remote";
    double seconds = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--phase":
          phase = args[++i];
          break;
        case "--seconds":
          seconds = Double.parseDouble(args[++i]);
          break;
        default:
          file = args[i];
      }
    }
    if (file == null || !List.of("local", "remote", "encode", "parse").contains(phase)) {
      err.println("usage: loop FILE --phase local|remote|encode|parse [--seconds S]");
      return 2;
    }
    Trace trace = Trace.load(Path.of(file), -1);
    TraceReplay replay = new TraceReplay(trace);
    List<byte[]> updates = new ArrayList<>();
    Doc local = replay.replayLocal(updates);
    byte[] v1 = Updates.encodeStateAsUpdate(local);
    long until = System.nanoTime() + (long) (seconds * 1e9);
    int rep = 0;
    Object sink = null;
    while (System.nanoTime() < until) {
      Clock c = new Clock();
      switch (phase) {
        case "local":
          sink = replay.replayLocal(new ArrayList<>(updates.size()));
          break;
        case "remote":
          {
            Doc remote = new Doc();
            for (byte[] u : updates) {
              Updates.applyUpdate(remote, u);
            }
            sink = remote;
            break;
          }
        case "encode":
          for (int k = 0; k < 20; k++) {
            sink = Updates.encodeStateAsUpdate(local);
          }
          break;
        default:
          {
            for (int k = 0; k < 20; k++) {
              Doc d = new Doc();
              Updates.applyUpdate(d, v1);
              sink = d;
            }
          }
      }
      out.printf(Locale.ROOT, "%s %d cpu %.2f wall %.2f%n", phase, ++rep, c.cpuMs(), c.wallMs());
    }
    return sink == null ? 1 : 0;
  }
}
