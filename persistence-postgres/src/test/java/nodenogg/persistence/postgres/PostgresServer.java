package nodenogg.persistence.postgres;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL server for tests: {@code initdb} into a temporary directory, {@code pg_ctl
 * start} on a free loopback port, trust authentication for the user {@code nodenogg}. PostgreSQL
 * refuses to run as root ("initdb: cannot be run as root"), so as root the directory is given to
 * the {@code postgres} user and the tools run through {@code runuser -u postgres}. Binaries: {@code
 * $NODENOGG_PG_BIN}, else the newest {@code /usr/lib/postgresql/N/bin} (Debian's {@code postgresql}
 * package), else {@code pg_config --bindir}. Tests call {@link #shared()} (one server per test JVM,
 * stopped at exit) or {@link #startNew()} for a server of their own (e.g. to stop it mid-test);
 * without PostgreSQL they are skipped with a message saying what to install.
 */
public final class PostgresServer implements AutoCloseable {

  private static PostgresServer shared;
  private static String unavailable;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final Path bin;
  private final Path dir;
  private final int port;
  private final boolean asRoot;
  private volatile boolean running;

  private PostgresServer(Path bin, Path dir, int port, boolean asRoot) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.asRoot = asRoot;
  }

  /**
   * The JVM's shared server, started on first use; skips the calling test when PostgreSQL is
   * absent.
   */
  public static synchronized PostgresServer shared() {
    if (shared == null && unavailable == null) {
      try {
        shared = startNew();
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
      } catch (RuntimeException e) {
        unavailable = e.getMessage();
      }
    }
    Assumptions.assumeTrue(shared != null, () -> "skipped: " + unavailable);
    return shared;
  }

  /**
   * A new server of the caller's own (close it); skips the calling test when PostgreSQL is absent.
   */
  public static PostgresServer startNew() {
    Path bin = findBin();
    Assumptions.assumeTrue(
        bin != null,
        "skipped: PostgreSQL is not installed (apt-get install postgresql,"
            + " or set NODENOGG_PG_BIN to the directory holding initdb and pg_ctl)");
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      // NODENOGG_PG_PARENT: where its data directory goes (default: java.io.tmpdir); benchmarks use
      // it to
      // tell the disk's share of latency (e.g. /dev/shm, where fsync costs nothing: not durable)
      String parent = System.getenv("NODENOGG_PG_PARENT");
      Path dir =
          parent == null
              ? Files.createTempDirectory("nodenogg-pg")
              : Files.createTempDirectory(Path.of(parent), "nodenogg-pg");
      if (root) {
        run(List.of("chown", "postgres", dir.toString()), 30);
      }
      PostgresServer s = new PostgresServer(bin, dir, freePort(), root);
      s.initdb();
      s.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
    }
  }

  private static Path findBin() {
    String env = System.getenv("NODENOGG_PG_BIN");
    if (env != null && Files.isExecutable(Path.of(env, "pg_ctl"))) {
      return Path.of(env);
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Path best =
            versions
                .filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                .max(Comparator.comparingInt(p -> parse(p.getFileName().toString())))
                .orElse(null);
        if (best != null) {
          return best.resolve("bin");
        }
      } catch (IOException ignored) {
        // fall through
      }
    }
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() == 0 && Files.isExecutable(Path.of(out, "initdb"))) {
        return Path.of(out);
      }
    } catch (IOException | InterruptedException ignored) {
      // not installed
    }
    return null;
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private List<String> as(String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    if (asRoot) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static String run(List<String> cmd, int timeoutSeconds) {
    try {
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).directory(new File("/")).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + new String(out));
      }
      return new String(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void initdb() {
    run(
        as(
            "initdb",
            "-D",
            dir.resolve("data").toString(),
            "-U",
            "nodenogg",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--locale=C"),
        120);
  }

  /** Starts (or restarts after {@link #stop()}) the server on the same port and data. */
  public synchronized void start() {
    run(
        as(
            "pg_ctl",
            "-D",
            dir.resolve("data").toString(),
            "-l",
            dir.resolve("log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p "
                + port
                + " -k "
                + dir
                + " -c listen_addresses=127.0.0.1 -c max_connections=300"
                + " -c fsync=on -c synchronous_commit=on",
            "start"),
        90);
    running = true;
  }

  /** Stops the server now ({@code pg_ctl stop -m fast}: open connections are cut). */
  public synchronized void stop() {
    if (running) {
      run(as("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop"), 60);
      running = false;
    }
  }

  public int port() {
    return port;
  }

  /** A new empty database; its JDBC URL. */
  public String createDatabase() {
    String name = "test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(adminUrl("postgres"));
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return adminUrl(name);
  }

  /** The JDBC URL of database {@code name} as the test superuser. */
  public String adminUrl(String name) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=nodenogg";
  }

  /** Stops the server immediately and deletes its files. */
  @Override
  public synchronized void close() {
    if (running) {
      try {
        run(
            as("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"),
            60);
      } catch (RuntimeException ignored) {
        // exiting anyway
      }
      running = false;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files
    }
  }
}
