package nodenogg.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code trace FILE [--runs N] [--prefix TXNS] [--out V1FILE]} command shared by {@code
 * ./microcosm bench} and {@link BenchMain}: replays the trace N times, one JSON line per run on
 * {@code out}; {@code --out} writes the final document's v1 encoding (for a byte comparison with
 * Yjs's).
 */
public final class TraceCommandLine {
  private TraceCommandLine() {}

  /** Thrown for a bad command line; the caller prints the message and exits with 2. */
  public static final class BadUsage extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadUsage(String message) {
      super(message);
    }
  }

  /**
   * Runs the command. {@code args} starts with the FILE.
   *
   * @return 0 if every run reproduced {@code endContent}, 1 if a replayed text differed
   * @throws BadUsage for a bad command line or unreadable/malformed trace
   */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String file = null;
    int runs = 1;
    int prefix = -1;
    String outFile = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--out")) {
        if (i + 1 >= args.length) {
          throw new BadUsage("--out needs a file name");
        }
        outFile = args[++i];
      } else if (a.equals("--runs") || a.equals("--prefix")) {
        if (i + 1 >= args.length) {
          throw new BadUsage(a + " needs a number");
        }
        int v;
        try {
          v = Integer.parseInt(args[++i]);
        } catch (NumberFormatException e) {
          throw new BadUsage(a + " needs a number, got '" + args[i] + "'");
        }
        if (v < (a.equals("--runs") ? 1 : 0)) {
          throw new BadUsage(
              a + " must be " + (a.equals("--runs") ? "at least 1" : "0 or more") + ", got " + v);
        }
        if (a.equals("--runs")) {
          runs = v;
        } else {
          prefix = v;
        }
      } else if (a.startsWith("--")) {
        throw new BadUsage(
            "unknown option "
                + a
                + "; usage: trace FILE [--runs N] [--prefix TXNS] [--out V1FILE]");
      } else if (file == null) {
        file = a;
      } else {
        throw new BadUsage(
            "one trace file only; usage: trace FILE [--runs N] [--prefix TXNS] [--out V1FILE]");
      }
    }
    if (file == null) {
      throw new BadUsage(
          "usage: trace FILE [--runs N] [--prefix TXNS] [--out V1FILE]  (FILE: .json or .json.gz editing trace)");
    }
    Path path = Path.of(file);
    if (!Files.isReadable(path)) {
      throw new BadUsage("cannot read trace file " + file);
    }
    Trace trace;
    try {
      trace = Trace.load(path, prefix);
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw new BadUsage("not a usable trace: " + file + ": " + e.getMessage());
    }
    TraceReplay replay = new TraceReplay(trace);
    for (int r = 1; r <= runs; r++) {
      ReplayResult result;
      try {
        result = replay.run(r);
      } catch (TraceReplay.MismatchException e) {
        err.println("bench trace: MismatchException: " + e.getMessage());
        return 1;
      }
      out.println(result.toJson());
      out.flush();
    }
    if (outFile != null) {
      Files.write(Path.of(outFile), replay.lastEncoded());
    }
    return 0;
  }
}
