package nodenogg.cli.serve;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.sync.server.DocumentStore;
import nodenogg.sync.server.SqliteDocumentStore;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.TokenAuthHooks;
import nodenogg.sync.server.signal.SignalingServer;
import nodenogg.sync.server.websocket.OriginPolicy;

/**
 * {@code ./microcosm serve}: the sync server. Prints one line with the bound port when ready and
 * runs until SIGTERM / Ctrl-C, then closes connections and flushes every acknowledged update.
 */
public final class ServeCommand implements Command {
  static final String USAGE = "usage: microcosm serve [--port N] [--host H] [--data DIR | --memory] [--token T]"
      + " [--readonly-token T] [--allowed-origins O1,O2] [--signal-port N] [--max-message-bytes N]";

  /** Parsed options (package-private for tests). */
  static final class Options {
    int port = 8787;
    String host = "0.0.0.0";
    Path data = Path.of("data");
    boolean memory;
    String token;
    String readOnlyToken;
    List<String> origins = List.of();
    Integer signalPort;
    int maxMessageBytes = 16 * 1024 * 1024;
  }

  /** Exit status when the server cannot recover (e.g. out of memory again right after shedding). */
  static final int FATAL_EXIT = 70;

  /**
   * Threads started now, while memory is plentiful, that end the process with {@link #FATAL_EXIT}
   * once the returned latch is counted down: one exits normally (shutdown hooks flush the store),
   * the other halts after 15 s if that hangs. Nothing needs to be allocated when it happens.
   */
  private static CountDownLatch fatalExit(PrintStream err) {
    CountDownLatch fatal = new CountDownLatch(1);
    Thread exit = new Thread(() -> {
      awaitQuietly(fatal);
      System.exit(FATAL_EXIT);
    }, "microcosm-serve-fatal-exit");
    Thread halt = new Thread(() -> {
      awaitQuietly(fatal);
      try {
        Thread.sleep(15_000);
      } catch (InterruptedException e) {
        // halt now
      }
      err.println("microcosm serve: shutdown hung; halting");
      Runtime.getRuntime().halt(FATAL_EXIT);
    }, "microcosm-serve-fatal-halt");
    exit.setDaemon(true);
    halt.setDaemon(true);
    exit.start();
    halt.start();
    return fatal;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // keep waiting
      }
    }
  }

  static Options parse(String[] args, Map<String, String> env) {
    Options o = new Options();
    if (env.get("PORT") != null && !env.get("PORT").isBlank()) {
      o.port = port(env.get("PORT").trim(), "PORT");
    }
    if (env.get("ALLOWED_DOMAINS") != null && !env.get("ALLOWED_DOMAINS").isBlank()) {
      o.origins = origins(env.get("ALLOWED_DOMAINS"));
      if (o.origins.isEmpty()) {
        throw new UsageException("ALLOWED_DOMAINS holds no origin ('" + env.get("ALLOWED_DOMAINS").trim()
            + "'): write each as scheme://host, e.g. https://nodenogg.in (wildcards are not supported),"
            + " or unset it to allow every origin");
      }
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--memory":
          o.memory = true;
          continue;
        case "--help":
        case "-h":
          throw new UsageException(USAGE);
        default:
          break;
      }
      if (i + 1 >= args.length) {
        throw new UsageException("option " + a + " needs a value; " + USAGE);
      }
      String v = args[++i];
      switch (a) {
        case "--port": o.port = port(v, a); break;
        case "--host": o.host = v; break;
        case "--data": o.data = Path.of(v); break;
        case "--token": o.token = token(v, a); break;
        case "--readonly-token": o.readOnlyToken = token(v, a); break;
        case "--allowed-origins":
          try {
            o.origins = OriginPolicy.parseList(v, a);
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
          }
          break;
        case "--signal-port": o.signalPort = port(v, a); break;
        case "--max-message-bytes":
          try {
            o.maxMessageBytes = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new UsageException("--max-message-bytes must be a number of bytes, got '" + v + "'");
          }
          break;
        default:
          throw new UsageException("unknown option " + a + "; " + USAGE);
      }
    }
    if (o.token != null && o.token.equals(o.readOnlyToken)) {
      throw new UsageException("--token and --readonly-token are the same: the read-only token must differ"
          + " from the read-write one");
    }
    return o;
  }

  /** A token option's value; an empty one (an unset variable) is refused instead of meaning "no token". */
  private static String token(String v, String option) {
    if (v.isBlank()) {
      throw new UsageException(option + " is empty (is the variable unset?): give the token clients must"
          + " present, or leave " + option + " out" + (option.equals("--token")
              ? " to let every client write" : ""));
    }
    return v;
  }

  private static int port(String v, String what) {
    try {
      int p = Integer.parseInt(v);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new UsageException(what + " must be a port number 0-65535, got '" + v + "'");
    }
  }

  /**
   * ALLOWED_DOMAINS (the nodenogg.in server's variable): comma-separated; entries that are not http(s)
   * URLs are dropped, as the nodenogg.in server does (a list left with none is refused by the caller).
   */
  static List<String> origins(String list) {
    List<String> out = new ArrayList<>();
    for (String s : list.split(",")) {
      String t = s.trim();
      try {
        URI u = new URI(t);
        if (u.getScheme() != null && u.getHost() != null) {
          out.add(t);
        }
      } catch (Exception e) {
        // dropped
      }
    }
    return out;
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
    Options o = parse(args, System.getenv());
    DocumentStore store = o.memory ? DocumentStore.inMemory() : SqliteDocumentStore.openDirectory(o.data);
    CountDownLatch fatal = fatalExit(err);
    SyncServer server;
    try {
      server = SyncServer.builder().host(o.host).port(o.port).store(store).allowedOrigins(o.origins)
          .maxMessageBytes(o.maxMessageBytes).implicitAuthentication(o.token == null)
          .onFatalError(e -> {
            err.println("microcosm serve: the server cannot recover (" + e + "); exiting with "
                + FATAL_EXIT + " so that a supervisor restarts it");
            fatal.countDown();
          })
          .hooks(new TokenAuthHooks(o.token, o.readOnlyToken, null)).build().start();
    } catch (Exception e) {
      store.close();
      throw e;
    }
    // an OutOfMemoryError on any thread (a store or library thread too) sheds connections like one on ours
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      if (e instanceof OutOfMemoryError) {
        server.outOfMemory((OutOfMemoryError) e);
      }
      if (previous != null) {
        previous.uncaughtException(thread, e);
      } else {
        err.println("Exception in thread \"" + thread.getName() + "\" " + e);
        e.printStackTrace(err);
      }
    });
    SignalingServer signal = o.signalPort == null ? null : SignalingServer.start(o.host, o.signalPort, o.origins);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      if (signal != null) {
        signal.close();
      }
      server.close();
      stopped.countDown();
    }, "microcosm-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("microcosm serve: listening on " + o.host + ":" + server.port()
        + " (Hocuspocus /sync, y-websocket /<room>, signalling /signal, GET /status; "
        + (o.memory ? "in memory" : "data in " + SqliteDocumentStore.class.getSimpleName() + " "
            + o.data.toAbsolutePath().resolve("microcosm.db")) + ")"
        + (signal != null ? "; signalling also on port " + signal.port() : ""));
    out.flush();
    stopped.await();
    return 0;
  }
}
