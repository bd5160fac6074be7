package nodenogg.cli.bench;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import nodenogg.benchmarks.RelayFloor;
import nodenogg.benchmarks.TraceCommandLine;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;

/**
 * {@code ./microcosm bench trace FILE [--runs N] [--prefix TXNS] [--out V1FILE]}: replays an
 * editing trace ({@code .json} / {@code .json.gz}, {@code {startContent, endContent,
 * txns:[{patches:[[pos, del, ins]]}]}}) through the engine and prints one JSON line per run with
 * {@code opsMs, remoteApplyMs, encodeMs, parseMs, docSizeV1, docSizeV2, heapBytes, finalLength}.
 * Exits 1 if a replayed text differs from {@code endContent}. The replay itself lives in {@code
 * nodenogg.benchmarks.TraceReplay}.
 *
 * <p>{@code ./microcosm bench backends [--notes N] [--moves N] [--edits N] [--runs R] [--js DIR]}:
 * one microcosm workload on the Yjs and the Automerge backends and on JS automerge 3.5 ({@link
 * BackendBench}).
 *
 * <p>{@code ./microcosm bench relay [--host H] [--port N]}: a do-nothing Hocuspocus relay that
 * {@code benchmarks/sync-bench.sh} measures as the floor of the fan-out benchmark (see {@link
 * RelayFloor}).
 */
public final class BenchCommand implements Command {

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
    if (args.length > 0 && args[0].equals("relay")) {
      String host = "127.0.0.1";
      int port = 0;
      for (int i = 1; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new UsageException("usage: bench relay [--host H] [--port N]");
        }
        if (args[i].equals("--host")) {
          host = args[i + 1];
        } else if (args[i].equals("--port")) {
          try {
            port = Integer.parseInt(args[i + 1]);
          } catch (NumberFormatException e) {
            throw new UsageException("bench relay: --port wants a number, got " + args[i + 1]);
          }
        } else {
          throw new UsageException("usage: bench relay [--host H] [--port N]");
        }
      }
      return RelayFloor.run(host, port);
    }
    if (args.length > 0 && args[0].equals("backends")) {
      try {
        return BackendBench.run(Arrays.copyOfRange(args, 1, args.length), out, err);
      } catch (IllegalArgumentException e) {
        throw new UsageException(
            "bench backends: "
                + e.getMessage()
                + "; usage: bench backends [--notes N] [--moves N] [--edits N] [--runs R] [--js DIR]");
      }
    }
    if (args.length == 0 || !args[0].equals("trace")) {
      throw new UsageException(
          "usage: bench trace FILE [--runs N] [--prefix TXNS] [--out V1FILE]"
              + "  |  bench relay [--host H] [--port N]  |  bench backends [--notes N] [--moves N] [--edits N] [--runs R]");
    }
    try {
      return TraceCommandLine.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    } catch (TraceCommandLine.BadUsage e) {
      throw new UsageException(e.getMessage());
    }
  }
}
