package nodenogg.earthstarit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./microcosm serve --earthstar-shares FILE} in a child JVM (the tests' classpath), with the
 * JVM options the {@code ./microcosm} launcher gives {@code serve}.
 */
final class ServeChild implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("listening on [^:]+:(\\d+)");
  private static final double SCALE =
      Double.parseDouble(System.getProperty("nodenogg.timeout.scale", "4"));

  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();

  ServeChild(Path data, Path shares, Path log, String... extra) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseG1GC",
                "-XX:MaxNewSize=32m",
                "-XX:MinHeapFreeRatio=5",
                "-XX:MaxHeapFreeRatio=20",
                "-cp",
                System.getProperty("java.class.path"),
                "nodenogg.cli.Main",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--data",
                data.toString(),
                "--earthstar-shares",
                shares.toString()));
    cmd.addAll(List.of(extra));
    process =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // ended
              }
            });
    t.setDaemon(true);
    t.start();
  }

  int port() throws InterruptedException {
    long end = System.currentTimeMillis() + (long) (30_000 * SCALE);
    while (System.currentTimeMillis() < end) {
      for (String l : lines) {
        Matcher m = READY.matcher(l);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("serve did not print its port: " + lines);
  }

  void kill9() throws InterruptedException {
    process.destroyForcibly();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "serve dies after SIGKILL");
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /** CPU time (user + system) of the process so far, in milliseconds (Linux /proc). */
  long cpuMillis() throws IOException {
    return Proc.cpuMillis(process.pid());
  }
}
