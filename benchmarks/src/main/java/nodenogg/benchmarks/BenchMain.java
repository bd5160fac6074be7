package nodenogg.benchmarks;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Entry point of the benchmarks jar for the comparison script ({@code benchmarks/compare.sh}):
 *
 * <pre>
 *   java -cp benchmarks.jar nodenogg.benchmarks.BenchMain trace FILE [--runs N] [--prefix TXNS]
 *   java -cp benchmarks.jar nodenogg.benchmarks.BenchMain suite INPUTS.json [--only B1.1,B3.2]
 * </pre>
 *
 * JMH micro benchmarks run through JMH's own main: {@code java -jar benchmarks.jar}.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0) {
      err.println(
          "usage: BenchMain trace FILE [--runs N] [--prefix TXNS] | suite INPUTS.json [--only IDS]");
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "trace":
          return TraceCommandLine.run(rest, out, err);
        case "suite":
          return SuiteRunner.main(rest, out, err);
        case "loop":
          return PhaseLoop.run(rest, out, err);
        default:
          err.println("unknown command " + args[0] + "; use trace or suite");
          return 2;
      }
    } catch (TraceCommandLine.BadUsage e) {
      err.println(e.getMessage());
      return 2;
    }
  }
}
