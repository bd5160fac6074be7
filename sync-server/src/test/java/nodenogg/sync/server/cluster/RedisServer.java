package nodenogg.sync.server.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway {@code redis-server} for tests: a free loopback port, no persistence ({@code --save
 * '' --appendonly no}), its files in a temporary directory. {@link #restart()} kills it and starts
 * a new one on the same port (a Redis restart: every connection and subscription is gone). Tests
 * are skipped with a message when {@code redis-server} is not installed ({@code apt-get install
 * redis-server}, or {@code NODENOGG_REDIS_SERVER} naming the binary).
 */
public final class RedisServer implements AutoCloseable {

  private final String binary;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(String binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  public static RedisServer start() {
    String bin = System.getenv("NODENOGG_REDIS_SERVER");
    if (bin == null) {
      bin = Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : null;
    }
    Assumptions.assumeTrue(
        bin != null && Files.isExecutable(Path.of(bin)),
        "skipped: redis-server is not installed (apt-get install redis-server, or set NODENOGG_REDIS_SERVER)");
    try {
      Path dir = Files.createTempDirectory("nodenogg-redis");
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      RedisServer r = new RedisServer(bin, dir, port);
      r.launch();
      return r;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server: " + e.getMessage(), e);
    }
  }

  private synchronized void launch() throws IOException {
    process =
        new ProcessBuilder(
                List.of(
                    binary,
                    "--port",
                    String.valueOf(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    dir.toString(),
                    "--protected-mode",
                    "yes"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .directory(new File("/"))
            .start();
    long end = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < end) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        s.getOutputStream().write("PING\r\n".getBytes());
        byte[] b = new byte[7];
        if (s.getInputStream().read(b) > 0) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      if (!process.isAlive()) {
        throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
    }
    throw new IOException("redis-server did not answer on port " + port);
  }

  public URI uri() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  /** kill -9 and start again on the same port, empty. */
  public synchronized void restart() throws IOException, InterruptedException {
    kill();
    launch();
  }

  /** kill -9 (stays down until {@link #restart()}). */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public synchronized void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temp files
    }
  }
}
