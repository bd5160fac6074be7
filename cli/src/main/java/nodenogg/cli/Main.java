package nodenogg.cli;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Entry point of {@code ./microcosm}: dispatches to the subcommand named first on the line. */
public final class Main {

  /** subcommand -> implementing class and one-line help. */
  private static final Map<String, String[]> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put(
        "serve",
        new String[] {
          "nodenogg.cli.serve.ServeCommand",
          "run the sync server (Hocuspocus + y-websocket + y-webrtc signalling) on SQLite"
        });
    COMMANDS.put(
        "update",
        new String[] {
          "nodenogg.cli.update.UpdateCommand",
          "apply / decode / sv / merge / diff / convert / obfuscate / log Yjs updates (base64 on stdin)"
        });
    COMMANDS.put(
        "export",
        new String[] {
          "nodenogg.cli.microcosm.ExportCommand",
          "write a microcosm document (--update FILE; --backend automerge for an Automerge one) as JSON, or as the web app's exports (--format app-json|markdown|rtf)"
        });
    COMMANDS.put(
        "import",
        new String[] {
          "nodenogg.cli.microcosm.ImportCommand",
          "turn JSON entities or the web app's JSON export (--format app-json) into a base64 Yjs update (--backend automerge: an Automerge document), or import an E3 document (--from e3)"
        });
    COMMANDS.put(
        "store",
        new String[] {
          "nodenogg.cli.store.StoreCommand",
          "administer an update store: list|dump|compact|check|import --data DIR | --postgres JDBC_URL"
        });
    COMMANDS.put(
        "earthstar",
        new String[] {
          "nodenogg.cli.earthstar.EarthstarCommand",
          "Earthstar (es.5): keygen --author NAME | --share NAME; sync URL --share FILE ...; ls --data DIR --share ADDRESS"
        });
    COMMANDS.put(
        "example",
        new String[] {
          "nodenogg.cli.ExampleCommand",
          "run a program from examples/: example NAME [args] (example alone lists them)"
        });
    COMMANDS.put(
        "bench",
        new String[] {
          "nodenogg.cli.bench.BenchCommand", "replay editing traces: bench trace FILE [--runs N]"
        });
    // in the optional webrtc-peer module (native WebRTC): on the class path when ./microcosm runs
    // it
    COMMANDS.put(
        "peer",
        new String[] {
          "nodenogg.webrtc.cli.PeerCommand",
          "join a y-webrtc room as a peer: --signal ws://HOST:PORT/signal --room ROOM [--password P] [--print] [--note TEXT] [--seconds N]",
          "it is in the optional webrtc-peer module; ./microcosm puts webrtc-peer/target/microcosm-peer.jar on the class path"
        });
  }

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false,
            StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    try {
      return dispatch(args, out, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static int dispatch(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0
        || args[0].equals("help")
        || args[0].equals("--help")
        || args[0].equals("-h")) {
      usage(args.length == 0 ? err : out);
      return args.length == 0 ? 2 : 0;
    }
    String[] entry = COMMANDS.get(args[0]);
    if (entry == null) {
      err.println("microcosm: unknown command '" + args[0] + "'; run ./microcosm help");
      return 2;
    }
    Command command;
    try {
      command = (Command) Class.forName(entry[0]).getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      err.println(
          "microcosm: '"
              + args[0]
              + "' is not available in this build"
              + (entry.length > 2 ? ": " + entry[2] : ""));
      return 1;
    } catch (ReflectiveOperationException e) {
      err.println("microcosm: cannot start '" + args[0] + "': " + e);
      return 1;
    }
    String[] rest = new String[args.length - 1];
    System.arraycopy(args, 1, rest, 0, rest.length);
    try {
      return command.run(rest, System.in, out, err);
    } catch (UsageException e) {
      err.println("microcosm " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      Throwable t = e instanceof InvocationTargetException ? e.getCause() : e;
      err.println(
          "microcosm " + args[0] + ": " + t.getClass().getSimpleName() + ": " + t.getMessage());
      return 1;
    }
  }

  private static void usage(PrintStream s) {
    s.println("usage: ./microcosm <command> [options]");
    s.println();
    for (Map.Entry<String, String[]> e : COMMANDS.entrySet()) {
      s.printf("  %-8s %s%n", e.getKey(), e.getValue()[1]);
    }
  }
}
