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
import nodenogg.earthstar.EarthstarPeer;
import nodenogg.earthstar.EarthstarStorage;
import nodenogg.earthstar.SyncLimits;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.TokenAuthHooks;
import nodenogg.sync.server.signal.SignalingServer;

/**
 * {@code ./microcosm serve}: the sync server. Prints one line with the bound port when ready and
 * runs until SIGTERM / Ctrl-C, then closes connections and flushes every acknowledged update.
 */
public final class ServeCommand implements Command {
  static final String USAGE = "usage: microcosm serve [--port N] [--host H] [--data DIR | --memory] [--token T]"
      + " [--readonly-token T] [--allowed-origins O1,O2] [--signal-port N] [--max-message-bytes N]"
      + " [--earthstar-shares FILE]\n"
      + "  --earthstar-shares FILE  also serve Earthstar (es.5, v10 sync) on /earthstar/ for the shares listed in FILE,\n"
      + "                           a JSON array of share addresses (earthstar's known_shares.json); documents are kept\n"
      + "                           in --data (earthstar.db) or in memory with --memory. Earthstar has no read access\n"
      + "                           control: anyone who knows a share's address can read it (writing needs its secret).\n"
      + "                           The server only ever answers for the shares in FILE.";

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
    Path earthstarShares;
  }

  static Options parse(String[] args, Map<String, String> env) {
    Options o = new Options();
    if (env.get("PORT") != null && !env.get("PORT").isBlank()) {
      o.port = port(env.get("PORT").trim(), "PORT");
    }
    if (env.get("ALLOWED_DOMAINS") != null) {
      o.origins = origins(env.get("ALLOWED_DOMAINS"));
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
        case "--token": o.token = v; break;
        case "--readonly-token": o.readOnlyToken = v; break;
        case "--allowed-origins": o.origins = origins(v); break;
        case "--signal-port": o.signalPort = port(v, a); break;
        case "--earthstar-shares": o.earthstarShares = Path.of(v); break;
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
    return o;
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

  /** Comma-separated origins; entries that are not http(s) URLs are dropped, as the nodenogg.in server does. */
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
    List<String> shares = o.earthstarShares == null ? null : EarthstarShares.read(o.earthstarShares);
    UpdateStore store = o.memory ? new InMemoryUpdateStore()
        : SqliteUpdateStore.openDirectory(o.data, SyncServer.defaultStoreOptions());
    EarthstarStorage esStorage = null;
    EarthstarPeer esPeer = null;
    SyncServer server;
    try {
      SyncServer.Builder sb = SyncServer.builder().host(o.host).port(o.port).store(store).allowedOrigins(o.origins)
          .maxMessageBytes(o.maxMessageBytes).implicitAuthentication(o.token == null)
          .hooks(new TokenAuthHooks(o.token, o.readOnlyToken, null));
      if (shares != null) {
        esStorage = o.memory ? EarthstarStorage.inMemory() : EarthstarStorage.open(o.data);
        esPeer = new EarthstarPeer(esStorage, shares, SyncLimits.defaults());
        sb.earthstar(esPeer);
      }
      server = sb.build().start();
    } catch (Exception e) {
      store.close();
      if (esPeer != null) {
        esPeer.close();
      }
      if (esStorage != null) {
        esStorage.close();
      }
      throw e;
    }
    EarthstarPeer peer = esPeer;
    EarthstarStorage peerStorage = esStorage;
    SignalingServer signal = o.signalPort == null ? null : SignalingServer.start(o.host, o.signalPort, o.origins);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      if (signal != null) {
        signal.close();
      }
      server.close();
      if (peer != null) {
        peer.close();
        peerStorage.close();
      }
      stopped.countDown();
    }, "microcosm-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("microcosm serve: listening on " + o.host + ":" + server.port()
        + " (Hocuspocus /sync, y-websocket /<room>, signalling /signal, GET /status; "
        + (o.memory ? "in memory" : "data in " + SqliteUpdateStore.class.getSimpleName() + " "
            + o.data.toAbsolutePath().resolve("microcosm.db")) + ")"
        + (signal != null ? "; signalling also on port " + signal.port() : "")
        + (peer != null ? "; Earthstar /earthstar/ for " + shares.size() + " share(s)"
            + (o.memory ? " in memory" : " in " + o.data.toAbsolutePath().resolve("earthstar.db")) : ""));
    out.flush();
    stopped.await();
    return 0;
  }
}
