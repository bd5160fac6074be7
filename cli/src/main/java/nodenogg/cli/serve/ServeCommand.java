package nodenogg.cli.serve;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import nodenogg.cli.Command;
import nodenogg.cli.UsageException;
import nodenogg.cli.log.CliLogging;
import nodenogg.cli.log.LogConfig;
import nodenogg.earthstar.EarthstarPeer;
import nodenogg.earthstar.EarthstarStorage;
import nodenogg.earthstar.SyncLimits;
import nodenogg.persistence.InMemoryUpdateStore;
import nodenogg.persistence.UpdateStore;
import nodenogg.persistence.postgres.CompactionLock;
import nodenogg.persistence.postgres.PostgresUpdateStore;
import nodenogg.persistence.sqlite.SqliteUpdateStore;
import nodenogg.sync.server.SyncServer;
import nodenogg.sync.server.TokenAuthHooks;
import nodenogg.sync.server.cluster.RedisCluster;
import nodenogg.sync.server.internal.Telemetry;
import nodenogg.sync.server.signal.SignalingServer;
import nodenogg.sync.server.tracker.TrackerServer;
import nodenogg.sync.server.websocket.OriginPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * {@code ./microcosm serve}: the sync server. Prints one line with the bound port when ready, logs
 * a start-up summary, and runs until SIGTERM / Ctrl-C; then it shuts down gracefully (stops
 * accepting, makes every received update durable, closes connections with 1001, flushes the store)
 * and exits 0.
 *
 * <p>The nodenogg.in sync server's environment (v0.3.40, {@code products/yjs-sync-server}) is read
 * with the same meaning; flags win over it: {@code PORT}, {@code HOST}, {@code ALLOWED_DOMAINS}
 * (CORS headers on HTTP, not an allow-list: that is {@code --allowed-origins}), {@code
 * THROTTLE_CONNECTIONS} and {@code THROTTLE_BAN_TIME} (per-address connection throttle), {@code
 * LOG} (per-connection log lines).
 */
public final class ServeCommand implements Command {
  static final String USAGE =
      "usage: microcosm serve [--port N] [--host H] [--data DIR | --memory] [--token T]"
          + " [--readonly-token T] [--admin-token T] [--allowed-origins O1,O2] [--cors-origins O1,O2]"
          + " [--throttle-connections N] [--throttle-ban-time MINUTES] [--log-level error|warn|info|debug|trace]"
          + " [--log-format text|json] [--signal-port N] [--tracker-port N] [--max-message-bytes N]"
          + " [--redis redis://HOST:PORT [--postgres jdbc:postgresql://HOST:PORT/DB] [--instance-id ID]]"
          + " [--earthstar-shares FILE]\n"
          + "  --earthstar-shares FILE  also serve Earthstar (es.5, v10 sync) on /earthstar/ for the shares listed in FILE,\n"
          + "                           a JSON array of share addresses (earthstar's known_shares.json); documents are kept\n"
          + "                           in --data (earthstar.db) or in memory with --memory. Earthstar has no read access\n"
          + "                           control: anyone who knows a share's address can read it (writing needs its secret).\n"
          + "                           The server only ever answers for the shares in FILE.";

  /** The nodenogg.in server's CORS default when {@code ALLOWED_DOMAINS} is unset. */
  static final List<String> DEFAULT_CORS_ORIGINS = List.of("https://nodenogg.in");

  /** The nodenogg.in server's default ban time, minutes. */
  static final int DEFAULT_BAN_MINUTES = 5;

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  /** Parsed options (package-private for tests). */
  static final class Options {
    int port = 8787;
    String host = "0.0.0.0";
    Path data = Path.of("data");
    boolean memory;
    String token;
    String readOnlyToken;
    String adminToken;
    List<String> origins = List.of();
    List<String> corsOrigins = DEFAULT_CORS_ORIGINS;
    int throttleConnections; // 0 = off
    int throttleBanMinutes = DEFAULT_BAN_MINUTES;

    /** LOG: null unset (per-connection lines on), true "true", false any other value (off). */
    Boolean activityLog;

    Level logLevel = Level.INFO;
    LogConfig.Format logFormat = LogConfig.Format.TEXT;
    Integer signalPort;
    Integer trackerPort;
    int maxMessageBytes = 16 * 1024 * 1024;

    /** --postgres: the shared PostgreSQL update store (instead of SQLite under --data). */
    String postgres;

    /** --instance-id: this instance's name in a cluster (default: generated). */
    String instanceId;

    /** --redis: join the cluster on this Redis (fan-out to the other instances). */
    URI redis;

    Path earthstarShares;
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
    Thread exit =
        new Thread(
            () -> {
              awaitQuietly(fatal);
              System.exit(FATAL_EXIT);
            },
            "microcosm-serve-fatal-exit");
    Thread halt =
        new Thread(
            () -> {
              awaitQuietly(fatal);
              try {
                Thread.sleep(15_000);
              } catch (InterruptedException e) {
                // halt now
              }
              err.println("microcosm serve: shutdown hung; halting");
              Runtime.getRuntime().halt(FATAL_EXIT);
            },
            "microcosm-serve-fatal-halt");
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
    // the nodenogg.in server's environment: an empty value means unset, as `process.env.X ||
    // default` does
    String port = env.get("PORT");
    if (port != null && !port.isBlank()) {
      o.port = port(port.trim(), "PORT");
    }
    String host = env.get("HOST");
    if (host != null && !host.isBlank()) {
      o.host = host.trim();
    }
    String domains = env.get("ALLOWED_DOMAINS");
    if (domains != null && !domains.isEmpty()) {
      o.corsOrigins = urls(domains);
    }
    String throttle = env.get("THROTTLE_CONNECTIONS");
    if (throttle != null && !throttle.isBlank()) {
      o.throttleConnections = count(throttle.trim(), "THROTTLE_CONNECTIONS");
    }
    String ban = env.get("THROTTLE_BAN_TIME");
    if (ban != null && !ban.isBlank()) {
      o.throttleBanMinutes = count(ban.trim(), "THROTTLE_BAN_TIME");
    }
    String log = env.get("LOG");
    if (log != null) {
      o.activityLog = log.equals("true");
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
        case "--port":
          o.port = port(v, a);
          break;
        case "--host":
          o.host = v;
          break;
        case "--data":
          o.data = Path.of(v);
          break;
        case "--token":
          o.token = token(v, a);
          break;
        case "--readonly-token":
          o.readOnlyToken = token(v, a);
          break;
        case "--admin-token":
          o.adminToken = token(v, a);
          break;
        case "--allowed-origins":
          try {
            o.origins = OriginPolicy.parseList(v, a);
          } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
          }
          break;
        case "--cors-origins":
          o.corsOrigins = urls(v);
          break;
        case "--throttle-connections":
          o.throttleConnections = count(v, a);
          break;
        case "--throttle-ban-time":
          o.throttleBanMinutes = count(v, a);
          break;
        case "--log-level":
          try {
            o.logLevel = LogConfig.parseLevel(v);
          } catch (IllegalArgumentException e) {
            throw new UsageException("--" + e.getMessage());
          }
          break;
        case "--log-format":
          try {
            o.logFormat = LogConfig.Format.parse(v);
          } catch (IllegalArgumentException e) {
            throw new UsageException("--" + e.getMessage());
          }
          break;
        case "--signal-port":
          o.signalPort = port(v, a);
          break;
        case "--tracker-port":
          o.trackerPort = port(v, a);
          break;
        case "--postgres":
          if (!v.startsWith("jdbc:postgresql:")) {
            throw new UsageException(
                "--postgres needs a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DATABASE"
                    + "[?user=U&password=P]), got '"
                    + v
                    + "'");
          }
          o.postgres = v;
          break;
        case "--redis":
          try {
            o.redis = new URI(v);
          } catch (java.net.URISyntaxException e) {
            throw new UsageException("--redis needs a URL redis://HOST:PORT, got '" + v + "'");
          }
          if (!"redis".equals(o.redis.getScheme()) || o.redis.getHost() == null) {
            throw new UsageException("--redis needs a URL redis://HOST:PORT, got '" + v + "'");
          }
          break;
        case "--instance-id":
          if (v.isEmpty() || v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw new UsageException(
                "--instance-id must be 1 to 255 bytes of UTF-8, got '" + v + "'");
          }
          o.instanceId = v;
          break;
        case "--earthstar-shares":
          o.earthstarShares = Path.of(v);
          break;
        case "--max-message-bytes":
          try {
            o.maxMessageBytes = Integer.parseInt(v);
          } catch (NumberFormatException e) {
            throw new UsageException(
                "--max-message-bytes must be a number of bytes, got '" + v + "'");
          }
          break;
        default:
          throw new UsageException("unknown option " + a + "; " + USAGE);
      }
    }
    if (o.token != null && o.token.equals(o.readOnlyToken)) {
      throw new UsageException(
          "--token and --readonly-token are the same: the read-only token must differ"
              + " from the read-write one");
    }
    if (o.memory && o.postgres != null) {
      throw new UsageException("--memory and --postgres exclude each other; " + USAGE);
    }
    return o;
  }

  /**
   * A token option's value; an empty one (an unset variable) is refused instead of meaning "no
   * token".
   */
  private static String token(String v, String option) {
    if (v.isBlank()) {
      throw new UsageException(
          option
              + " is empty (is the variable unset?): give the token clients must"
              + " present, or leave "
              + option
              + " out"
              + (option.equals("--token") ? " to let every client write" : ""));
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

  private static int count(String v, String what) {
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(what + " must be a whole number, 0 or more, got '" + v + "'");
    }
  }

  /**
   * {@code --allowed-origins}: comma-separated origins; entries that are not http(s) URLs are
   * dropped.
   */
  static List<String> origins(String list) {
    return urls(list);
  }

  /**
   * {@code ALLOWED_DOMAINS}: comma-separated, entries that are not URLs dropped (the nodenogg.in
   * server filters with {@code new URL()}); surrounding spaces are ignored. Matched exactly against
   * Origin.
   */
  static List<String> urls(String list) {
    List<String> out = new ArrayList<>();
    for (String s : list.split(",")) {
      String t = s.trim();
      try {
        URI u = new URI(t);
        if (u.getScheme() != null && u.getHost() != null) {
          out.add(t);
        }
      } catch (Exception e) {
        // dropped, as isValidURL does
      }
    }
    return out;
  }

  /** The log configuration the options ask for, writing to {@code err}. */
  static LogConfig logConfig(Options o, PrintStream err) {
    LogConfig c = LogConfig.defaults().withOut(err).withRoot(o.logLevel).withFormat(o.logFormat);
    if (Boolean.FALSE.equals(o.activityLog)) {
      c = c.withLevel(Telemetry.ACTIVITY_LOGGER, Level.WARN);
    } else if (Boolean.TRUE.equals(o.activityLog) && o.logLevel.toInt() > Level.INFO.toInt()) {
      c =
          c.withLevel(
              Telemetry.ACTIVITY_LOGGER, Level.INFO); // LOG=true asks for the connection lines
    }
    return c;
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) throws Exception {
    Options o = parse(args, System.getenv());
    CliLogging.configure(logConfig(o, err));
    List<String> shares =
        o.earthstarShares == null ? null : EarthstarShares.read(o.earthstarShares);
    RedisCluster cluster = null;
    if (o.redis != null) {
      RedisCluster.Builder cb = RedisCluster.builder(o.redis).sharedStore(o.postgres != null);
      if (o.instanceId != null) {
        cb.instanceId(o.instanceId);
      }
      cluster = cb.connect();
    }
    UpdateStore store;
    try {
      String id = cluster != null ? cluster.instanceId() : o.instanceId;
      store =
          o.memory
              ? new InMemoryUpdateStore()
              : o.postgres != null
                  ? PostgresUpdateStore.open(
                      o.postgres,
                      SyncServer.defaultPostgresOptions(id)
                          .withCompactionLock(
                              cluster != null ? cluster.compactionLock() : CompactionLock.NONE))
                  : SqliteUpdateStore.openDirectory(o.data, SyncServer.defaultStoreOptions());
    } catch (RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      }
      throw e;
    }
    EarthstarStorage esStorage = null;
    EarthstarPeer esPeer = null;
    CountDownLatch fatal = fatalExit(err);
    SyncServer server;
    try {
      SyncServer.Builder sb = SyncServer.builder();
      if (cluster != null) {
        sb.cluster(cluster);
      }
      sb.host(o.host)
          .port(o.port)
          .store(store)
          .allowedOrigins(o.origins)
          .corsOrigins(o.corsOrigins)
          .throttle(o.throttleConnections, o.throttleBanMinutes)
          .adminToken(o.adminToken)
          .inspector(inspectorOn(o))
          .maxMessageBytes(o.maxMessageBytes)
          .implicitAuthentication(o.token == null)
          .automergeStorageId(o.memory ? null : automergeStorageId(o.data))
          .onFatalError(
              e -> {
                err.println(
                    "microcosm serve: the server cannot recover ("
                        + e
                        + "); exiting with "
                        + FATAL_EXIT
                        + " so that a supervisor restarts it");
                fatal.countDown();
              })
          .hooks(new TokenAuthHooks(o.token, o.readOnlyToken, null));
      if (shares != null) {
        esStorage = o.memory ? EarthstarStorage.inMemory() : EarthstarStorage.open(o.data);
        esPeer = new EarthstarPeer(esStorage, shares, SyncLimits.defaults());
        sb.earthstar(esPeer);
      }
      server = sb.build().start();
    } catch (Exception e) {
      store.close();
      if (cluster != null) {
        cluster.close();
      }
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
    // an OutOfMemoryError on any thread (a store or library thread too) sheds connections like one
    // on ours
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
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
    SignalingServer signal;
    TrackerServer tracker;
    try {
      signal = o.signalPort == null ? null : SignalingServer.start(o.host, o.signalPort, o.origins);
      try {
        tracker =
            o.trackerPort == null ? null : TrackerServer.start(o.host, o.trackerPort, o.origins);
      } catch (Exception e) {
        if (signal != null) {
          signal.close();
        }
        throw e;
      }
    } catch (Exception e) {
      server.close();
      throw e;
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    AtomicReference<String> why = new AtomicReference<>();
    Runnable shutdown =
        () -> {
          if (signal != null) {
            signal.close();
          }
          if (tracker != null) {
            tracker.close();
          }
          server.close();
          if (peer != null) {
            peer.close();
            peerStorage.close();
          }
        };
    // SIGTERM / SIGINT: a graceful stop and exit 0 (the JVM's own handler would exit 143 / 130)
    boolean handled =
        ShutdownSignals.install(
            name -> {
              why.compareAndSet(null, "SIG" + name);
              stopRequested.countDown();
            });
    // any other way out (SIGHUP, System.exit elsewhere) still flushes the store
    Thread hook = new Thread(shutdown, "microcosm-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String where =
        o.memory
            ? "in memory"
            : o.postgres != null
                ? "data in PostgreSQL " + ((PostgresUpdateStore) store).url()
                : "data in "
                    + SqliteUpdateStore.class.getSimpleName()
                    + " "
                    + o.data.toAbsolutePath().resolve("microcosm.db");
    out.println(
        "microcosm serve: listening on "
            + o.host
            + ":"
            + server.port()
            + " (Hocuspocus /sync, y-websocket /<room>, signalling /signal, WebTorrent tracker /announce"
            + (server.automergeHandler() != null
                ? ", automerge-repo " + SyncServer.AUTOMERGE_PATH
                : "")
            + ", GET /status, GET /metrics"
            + (inspectorOn(o) ? ", inspector /inspect" : "")
            + "; "
            + where
            + ")"
            + (signal != null ? "; signalling also on port " + signal.port() : "")
            + (tracker != null ? "; tracker also on port " + tracker.port() : "")
            + (cluster != null
                ? "; instance "
                    + cluster.instanceId()
                    + " of the cluster on "
                    + cluster.status().redis()
                : "")
            + (peer != null
                ? "; Earthstar /earthstar/ for "
                    + shares.size()
                    + " share(s)"
                    + (o.memory
                        ? " in memory"
                        : " in " + o.data.toAbsolutePath().resolve("earthstar.db"))
                : ""));
    out.flush();
    summary(o, server, signal, tracker, handled);
    stopRequested.await();
    LOG.atInfo().addKeyValue("signal", why.get()).log("stop requested: shutting down gracefully");
    shutdown.run();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
    return 0;
  }

  /**
   * The automerge-repo storage id of this data directory, kept in {@code automerge-storage-id}
   * beside the database (created on first use), so clients that track what the server stored
   * recognise it after a restart.
   */
  static String automergeStorageId(java.nio.file.Path data) throws java.io.IOException {
    java.nio.file.Path f = data.resolve("automerge-storage-id");
    if (java.nio.file.Files.isRegularFile(f)) {
      String id = java.nio.file.Files.readString(f).trim();
      if (!id.isEmpty()) {
        return id;
      }
    }
    java.nio.file.Files.createDirectories(data);
    String id = java.util.UUID.randomUUID().toString();
    java.nio.file.Files.writeString(f, id + "\n");
    return id;
  }

  /**
   * The inspector shows every document: served when documents are open to all (no --token) or when
   * an admin token guards it; off when documents need a token but no admin token is set.
   */
  static boolean inspectorOn(Options o) {
    return o.token == null || o.adminToken != null;
  }

  /**
   * The start-up summary: ports, data, store, limits, what is protected (never a token's value).
   */
  private static void summary(
      Options o,
      SyncServer server,
      SignalingServer signal,
      TrackerServer tracker,
      boolean signals) {
    LOG.atInfo()
        .addKeyValue("host", o.host)
        .addKeyValue("port", server.port())
        .addKeyValue("signal_port", signal == null ? "-" : String.valueOf(signal.port()))
        .addKeyValue("tracker_port", tracker == null ? "-" : String.valueOf(tracker.port()))
        .addKeyValue("store", o.memory ? "memory" : o.postgres != null ? "postgresql" : "sqlite")
        .addKeyValue(
            "data",
            o.memory
                ? "-"
                : o.postgres != null
                    ? "(PostgreSQL)"
                    : o.data.toAbsolutePath().resolve("microcosm.db").toString())
        .addKeyValue("token", o.token == null ? "none (every client read-write)" : "set")
        .addKeyValue("readonly_token", o.readOnlyToken == null ? "none" : "set")
        .addKeyValue(
            "admin_token", o.adminToken == null ? "none (/metrics and /status open)" : "set")
        .addKeyValue(
            "inspector",
            inspectorOn(o)
                ? "/inspect"
                : "off (--token is set: give --admin-token to use /inspect)")
        .addKeyValue("allowed_origins", o.origins.isEmpty() ? List.of("*") : o.origins)
        .addKeyValue("cors_origins", o.corsOrigins)
        .addKeyValue(
            "throttle",
            o.throttleConnections == 0
                ? "off"
                : o.throttleConnections
                    + " connections/min per address, ban "
                    + o.throttleBanMinutes
                    + " min")
        .addKeyValue("max_message_bytes", o.maxMessageBytes)
        .addKeyValue("connection_log", Boolean.FALSE.equals(o.activityLog) ? "off (LOG)" : "on")
        .addKeyValue("graceful_sigterm", signals)
        .log("microcosm serve started");
  }
}
