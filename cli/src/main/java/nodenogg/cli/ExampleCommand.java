package nodenogg.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./microcosm example NAME [args...]}: runs one of the programs under {@code examples/}
 * (their {@code main}, in this JVM; they print to stdout). {@code ./microcosm example} lists them.
 */
public final class ExampleCommand implements Command {
  /** Example class (in {@code nodenogg.examples}) → what it shows and its arguments. */
  static final Map<String, String> EXAMPLES = new LinkedHashMap<>();

  static {
    EXAMPLES.put(
        "QuickStart", "an in-memory microcosm: notes, emoji, connections, undo (no arguments)");
    EXAMPLES.put("StoredMicrocosm", "a microcosm kept in SQLite; each run adds a note [DIR]");
    EXAMPLES.put(
        "LiveMicrocosm",
        "join a running server and print changes: ws://HOST:PORT/sync MICROCOSM_ID [SECONDS]");
    EXAMPLES.put(
        "JoinServer",
        "join a server, add a note, print what others do: ws://HOST:PORT/sync MICROCOSM_ID [TOKEN] [SECONDS]");
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      (args.length == 0 ? err : out)
          .println("usage: ./microcosm example NAME [args...]; examples:");
      EXAMPLES.forEach((k, v) -> (args.length == 0 ? err : out).printf("  %-16s %s%n", k, v));
      return args.length == 0 ? 2 : 0;
    }
    String wanted = args[0].replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    String name =
        EXAMPLES.keySet().stream()
            .filter(k -> k.toLowerCase(Locale.ROOT).equals(wanted))
            .findFirst()
            .orElseThrow(
                () ->
                    new UsageException(
                        "no example '"
                            + args[0]
                            + "'; one of "
                            + String.join(", ", EXAMPLES.keySet())));
    Method main = Class.forName("nodenogg.examples." + name).getMethod("main", String[].class);
    out.flush();
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      Throwable t = e.getCause();
      if (t instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
    System.out.flush();
    return 0;
  }
}
